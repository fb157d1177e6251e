"""Many buyers racing for the last units on PostgreSQL: exactly the stock is sold, never more."""
import threading

import pytest

from marketplace.catalog.models import Product
from marketplace.errors import InsufficientStock
from marketplace.extensions import db as _db
from marketplace.ordering import services
from marketplace.ordering.models import Order, OrderLine
from tests import factories

pytestmark = pytest.mark.postgres_only

BUYERS = 20
STOCK = 5


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
            from marketplace.accounts.models import User

            user = _db.session.get(User, user_id)
            _ = user.organization.budget_unit
            _db.session.commit()  # give the connection back while waiting at the barrier
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
