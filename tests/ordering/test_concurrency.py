"""Many buyers racing for the last units, on SQLite as on PostgreSQL: exactly the stock is sold,
never more."""
import threading
import time

import pytest

from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from marketplace.errors import InsufficientStock
from marketplace.extensions import db as _db
from marketplace.ordering import services
from marketplace.ordering.models import Order, OrderLine
from tests import factories

BUYERS = 20
STOCK = 5


def _racer(user_id):
    """The buyer in this thread's own session, with what checkout reads of it loaded; the
    connection is given back, so waiting for the others holds no lock."""
    user = _db.session.get(User, user_id)
    _ = user.organization.budget_unit
    _db.session.commit()
    return user


def test_twenty_buyers_race_for_the_last_five_units(app, db):
    product = factories.product(stock=STOCK, price_fen=1000)
    other = factories.product(supplier=product.supplier, stock=100, price_fen=500)
    buyers = [factories.user("purchaser") for _ in range(BUYERS)]
    db.session.commit()
    product_id, other_id = product.id, other.id
    buyer_ids = [user.id for user in buyers]
    barrier = threading.Barrier(BUYERS)
    outcomes = []
    lock = threading.Lock()

    def buy(user_id):
        with app.app_context():
            user = _racer(user_id)
            barrier.wait(timeout=30)
            try:
                # Each buys one unit of the scarce product and two of a plentiful one.
                services.place_orders(user, [(product_id, 1), (other_id, 2)], "canteen",
                                      "拉萨市 食堂", "bank_transfer", "pay_first")
                _db.session.commit()
                result = "sold"
            except InsufficientStock:
                _db.session.rollback()
                result = "refused"
            except Exception as error:  # noqa: BLE001 - reported in the assertion below
                _db.session.rollback()
                result = repr(error)
            finally:
                _db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=buy, args=(user_id,)) for user_id in buyer_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    db.session.expire_all()
    assert sorted(outcomes) == ["refused"] * (BUYERS - STOCK) + ["sold"] * STOCK
    assert db.session.get(Product, product_id).stock == 0
    # The losers took nothing of the other product either: nothing is half-written.
    assert db.session.get(Product, other_id).stock == 100 - 2 * STOCK
    assert Order.query.count() == STOCK
    assert OrderLine.query.count() == 2 * STOCK
    assert db.session.get(Product, product_id).sales_count == STOCK


def _same_key_checkout(app, user_id, lines, outcomes, lock, before=None, after=None):
    """One request's checkout with key "same-key" in its own session; records the order ids."""
    with app.app_context():
        user = _racer(user_id)
        if before is not None:
            before()
        try:
            orders = services.place_orders(user, lines, "canteen", "拉萨市 食堂",
                                           "bank_transfer", "pay_first", checkout_key="same-key")
            ids = sorted(order.id for order in orders)
            if after is not None:
                after()
            _db.session.commit()
            result = ids
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            _db.session.rollback()
            result = repr(error)
        finally:
            _db.session.remove()
        with lock:
            outcomes.append(result)


def _two_supplier_cart():
    a = factories.product(stock=10, price_fen=1000)
    b = factories.product(stock=10, price_fen=500)
    user = factories.user("purchaser")
    return user, a, b


def _assert_ordered_once(db, outcomes, a, b):
    db.session.expire_all()
    assert len(outcomes) == 2 and outcomes[0] == outcomes[1], outcomes
    assert Order.query.count() == 2 and sorted(o.id for o in Order.query) == outcomes[0]
    assert db.session.get(Product, a.id).stock == 7
    assert db.session.get(Product, b.id).stock == 9
    assert db.session.get(Product, a.id).sales_count == 3


def test_double_submit_at_the_same_moment_orders_once(app, db):
    user, a, b = _two_supplier_cart()
    db.session.commit()
    barrier = threading.Barrier(2)
    outcomes, lock = [], threading.Lock()
    threads = [threading.Thread(target=_same_key_checkout,
                                args=(app, user.id, [(a.id, 3), (b.id, 1)], outcomes, lock),
                                kwargs={"before": lambda: barrier.wait(timeout=30)})
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    _assert_ordered_once(db, outcomes, a, b)


@pytest.mark.postgres_only  # watches PostgreSQL's lock waits; on SQLite the second one waits
def test_second_submit_while_the_first_is_still_writing_returns_the_first_orders(app, db):
    """The loser's insert hits the unique constraint: it gives its stock back and answers with
    the winner's orders."""
    user, a, b = _two_supplier_cart()
    db.session.commit()
    outcomes, lock = [], threading.Lock()
    first_written = threading.Event()

    def hold_until_the_second_waits():
        # The first request has written its orders but not committed: wait until the second
        # one is blocked behind it (on the stock row lock), then commit.
        first_written.set()
        deadline = time.monotonic() + 20
        with _db.engine.connect() as probe:
            while time.monotonic() < deadline:
                waiting = probe.exec_driver_sql(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()").scalar()
                probe.rollback()
                if waiting:
                    return
                time.sleep(0.05)

    first = threading.Thread(target=_same_key_checkout,
                             args=(app, user.id, [(a.id, 3), (b.id, 1)], outcomes, lock),
                             kwargs={"after": hold_until_the_second_waits})
    second = threading.Thread(target=_same_key_checkout,
                              args=(app, user.id, [(a.id, 3), (b.id, 1)], outcomes, lock),
                              kwargs={"before": lambda: first_written.wait(timeout=30)})
    first.start()
    second.start()
    first.join(60)
    second.join(60)
    _assert_ordered_once(db, outcomes, a, b)
