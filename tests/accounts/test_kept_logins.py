"""A signed-in user's next page sends no query for them: their login, organisation and header
numbers are kept, in Redis for every server or in each worker, and forgotten everywhere the
moment any of it changes (a logout, a suspension, a message, the cart)."""
import re
from datetime import timedelta

from marketplace.accounts import kept_logins
from marketplace.accounts.models import LoginSession, User
from marketplace.accounts.services import set_organization_status
from marketplace.accounts.services.sessions import end_sessions
from marketplace.catalog.caching import clear_catalog_caches
from marketplace.notifications.services import notify
from marketplace.ordering.models import CartItem
from marketplace.timeutil import utcnow
from tests import factories
from tests.helpers import csrf_token, login, statements_during
from tests.pg import free_port
from tests.shared_apps import KEPT, forget_local_stores, redis_commands

UNREAD = re.compile(r'data-testid="count-notifications.index">(\d+)<')


def user_statements(action, app=None):
    """The statements `action()` sends that read a user's login (through `app`'s engine, when
    given: another app's)."""
    if app is not None:
        with app.app_context():
            return user_statements(action)
    return [s for s in statements_during(action) if "login_sessions" in s]


def signed_in_as(client, name):
    page = client.get("/my/organization")
    return page.status_code == 200 and name in page.get_data(as_text=True)


def test_the_next_page_of_a_login_sends_no_query_for_its_user(client, db, login_as):
    login_as("purchaser", name="王采购")
    assert user_statements(lambda: client.get("/products")) != []   # read, and kept
    pages = []
    assert user_statements(lambda: pages.append(client.get("/products"))) == []
    assert "王采购" in pages[0].get_data(as_text=True)
    assert signed_in_as(client, "王采购")   # the organisation comes with it


def test_a_kept_page_of_a_kept_login_sends_nothing_to_the_database(app, client, db, login_as,
                                                                   monkeypatch):
    for setting, seconds in KEPT.items():
        monkeypatch.setitem(app.config, setting, seconds)   # as in production
    clear_catalog_caches()
    try:
        login_as("purchaser", name="王采购")
        product = factories.product(name="野生松茸")
        db.session.commit()
        for url in ("/products", f"/products/{product.id}"):
            client.get(url)   # the page's part and the login are kept
            pages = []
            assert statements_during(lambda: pages.append(client.get(url))) == []
            assert "王采购" in pages[0].get_data(as_text=True)
            assert "野生松茸" in pages[0].get_data(as_text=True)
    finally:
        clear_catalog_caches()


def test_with_no_lifetime_every_page_reads_its_user(app, client, db, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNED_IN_CACHE_SECONDS", 0)
    login_as("purchaser")
    for _ in range(2):
        assert len(user_statements(lambda: client.get("/products"))) == 1


def kept_entries(monkeypatch):
    """What the store is handed to keep, from now on: [(its lifetime, the entry)]."""
    store, kept = kept_logins.kept_store(), []
    keep = store.set
    monkeypatch.setattr(store, "set", lambda key, value, timeout: (
        kept.append((timeout, value)), keep(key, value, timeout)))
    return kept


def test_a_kept_login_keeps_no_password_hash_and_reads_it_when_asked(client, db, login_as,
                                                                     monkeypatch):
    user = login_as("purchaser")
    kept = kept_entries(monkeypatch)
    client.get("/products")
    entries = [entry for _lifetime, entry in kept]
    assert [entry["user"]["email"] for entry in entries] == [user.email]
    assert "password_hash" not in entries[0]["user"]
    # A page that needs the hash reads it: the password is changed with the current one.
    answer = client.post("/my/password", data={
        "current_password": factories.PASSWORD, "password": "brand-new-pass-1",
        "confirm": "brand-new-pass-1", "csrf_token": csrf_token(client)})
    assert answer.status_code == 302 and signed_in_as(client, user.name)


def test_the_header_numbers_follow_what_others_send_and_the_cart(client, db, login_as):
    user = login_as("purchaser")
    product = factories.product()
    db.session.commit()
    assert not UNREAD.search(client.get("/products").get_data(as_text=True))
    notify([user], "test", "订单已发货", email=False)   # another request's doing
    db.session.commit()
    assert UNREAD.search(client.get("/products").get_data(as_text=True)).group(1) == "1"
    db.session.add(CartItem(user_id=user.id, product_id=product.id, quantity=1))
    db.session.commit()
    page = client.get("/products").get_data(as_text=True)
    assert re.search(r'data-testid="count-ordering.cart">1<', page)


def test_a_change_to_another_user_keeps_this_login(client, db, login_as):
    other = factories.user("purchaser")
    login_as("purchaser")
    client.get("/products")
    notify([other], "test", "别人的消息", email=False)
    db.session.commit()
    assert user_statements(lambda: client.get("/products")) == []


def test_ending_every_login_of_a_unit_at_once_ends_the_kept_ones(client, db, login_as):
    user = login_as("purchaser", name="王采购")
    assert signed_in_as(client, "王采购") and signed_in_as(client, "王采购")   # kept
    end_sessions(User.query.filter(User.organization_id == user.organization_id))  # bulk UPDATE
    db.session.commit()
    assert client.get("/my/organization").headers["Location"].startswith("/login")


def test_a_logout_on_one_server_ends_the_login_kept_by_the_other(servers, db):
    first, second = servers
    buyer = factories.user("purchaser", name="王采购")
    db.session.commit()
    on_first = login(first.test_client(), buyer)
    on_second = second.test_client()
    with on_first.session_transaction() as cookie, on_second.session_transaction() as copy:
        copy.update(cookie)   # the same browser, its requests spread over both
    assert signed_in_as(on_second, "王采购") and signed_in_as(on_second, "王采购")
    assert on_first.post("/logout", data={"csrf_token": csrf_token(on_first)}).status_code == 302
    assert not signed_in_as(on_second, "王采购")


def test_a_suspension_on_one_server_ends_the_login_kept_by_the_other(servers, db):
    _first, second = servers
    buyer = factories.user("purchaser", name="王采购")
    db.session.commit()
    on_second = login(second.test_client(), buyer)
    assert signed_in_as(on_second, "王采购") and signed_in_as(on_second, "王采购")
    set_organization_status(factories.user("admin"), buyer.organization, "suspend", "抽检不合格")
    db.session.commit()
    assert not signed_in_as(on_second, "王采购")


def test_a_message_sent_through_one_server_shows_on_the_other(servers, db):
    first, second = servers
    buyer = factories.user("purchaser")
    db.session.commit()
    on_second = login(second.test_client(), buyer)
    assert not UNREAD.search(on_second.get("/products").get_data(as_text=True))
    with first.test_request_context():
        notify([db.session.merge(buyer)], "test", "订单已发货", email=False)
        db.session.commit()
    assert UNREAD.search(on_second.get("/products").get_data(as_text=True)).group(1) == "1"


def test_without_redis_every_page_reads_its_user_and_works(app, client, db, login_as,
                                                           monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    forget_local_stores(app)
    try:
        login_as("purchaser", name="王采购")
        for _ in range(2):
            assert len(user_statements(lambda: signed_in_as(client, "王采购"))) == 1
    finally:
        forget_local_stores(app)


def test_a_login_is_never_kept_past_its_own_end(app, client, db, login_as, monkeypatch):
    user = login_as("purchaser")
    login_row = LoginSession.query.filter_by(user_id=user.id).one()
    login_row.created_at = utcnow() - timedelta(days=app.config["LOGIN_SESSION_DAYS"],
                                                seconds=-20)   # 20 seconds left
    db.session.commit()
    kept = kept_entries(monkeypatch)
    assert signed_in_as(client, user.name)
    assert len(kept) == 1 and 0 < kept[0][0] <= 20


def test_a_kept_page_asks_redis_once(redis_servers, db, monkeypatch):
    first, _second = redis_servers
    buyer = factories.user("purchaser", name="王采购")
    product = factories.product(name="野生松茸")
    db.session.commit()
    browser = login(first.test_client(), buyer)
    asked = redis_commands(first, monkeypatch)
    for url, expected in (("/products", ["MGET"]),
                          # and what the buyer's unit received (may it review the product?)
                          (f"/products/{product.id}", ["MGET", "GET"])):
        browser.get(url)   # the page's part and the login kept, and copied in the process
        asked.clear()
        page = browser.get(url).get_data(as_text=True)
        assert "王采购" in page and "野生松茸" in page
        assert asked == expected   # the catalog's version and the login's counters together
