"""The header by role: a few grouped menus instead of a row of every link, the user's own menu
with the logout button, a cart count for buyers and an unread count for everyone, updated as
they change."""
import re

import pytest

from flask_login import login_user

from marketplace import nav
from marketplace.accounts.auth import load_user
from marketplace.accounts.services.sessions import start_login
from marketplace.catalog.caching import clear_catalog_caches
from marketplace.notifications.services import mark_read, notify
from marketplace.ordering.models import CartItem
from marketplace.ordering.services import add_to_cart
from tests import factories
from tests.helpers import statements_during

# role → the groups its header shows (each a <details> that opens a list of entries).
GROUPS = {
    "purchaser": {"buy", "account"},
    "supplier_staff": {"buy", "sell", "money", "account"},
    "unit_manager": {"buy", "account"},
    "auditor": {"buy", "quota", "money", "reports", "account"},
    "admin": {"buy", "quota", "money", "review", "reports", "account"},
}


def groups(page):
    return set(re.findall(r'data-testid="nav-group-(\w+)"', page))


def top_entries(page):
    """How many entries stand in the bar: groups and single links."""
    menu = page[page.index('data-testid="site-menu"'):page.index("</nav>")]
    return len(re.findall(r'data-testid="nav-(?:group-)?[\w.]+"', menu))


@pytest.mark.parametrize("role", sorted(GROUPS))
def test_each_role_sees_a_few_grouped_menus(client, login_as, role):
    user = login_as(role)
    page = client.get("/").get_data(as_text=True)
    assert groups(page) == GROUPS[role]
    assert top_entries(page) <= 7, role      # was 10–14 links in a row
    # The user's own menu is named after them and holds the logout button.
    account = page[page.index('data-testid="nav-group-account"'):]
    assert user.name in account[:account.index("</summary>")]
    assert 'data-testid="logout"' in account[:account.index("</details>")]
    # The phone's menu button is a checkbox and its label: it opens without JavaScript.
    assert 'id="menu-toggle"' in page and 'for="menu-toggle"' in page


@pytest.mark.parametrize("role, group, entry", [("supplier_staff", "sell", "销售统计"),
                                                ("purchaser", "buy", "采购统计")])
def test_statistics_sit_in_the_menu_of_what_they_count(client, login_as, role, group, entry):
    login_as(role)
    page = client.get("/").get_data(as_text=True)
    menu = page[page.index(f'data-testid="nav-group-{group}"'):]
    assert entry in menu[:menu.index("</details>")]


def test_a_visitor_sees_login_and_register_and_no_user_menu(client, db):
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="nav-accounts.login"' in page
    assert 'data-testid="nav-accounts.register"' in page
    assert "nav-group-account" not in page and "nav-count" not in page


def test_the_cart_count_follows_the_cart(client, login_as, post_form):
    login_as("purchaser")
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="count-ordering.cart"' not in page          # an empty cart: no number
    product = factories.product()
    factories.db.session.commit()
    post_form("/cart/add", {"product_id": product.id, "quantity": 2})
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'data-testid="count-ordering.cart">1<', page)


def test_the_unread_count_follows_the_messages(client, login_as):
    user = login_as("supplier_staff")
    assert 'data-testid="count-notifications.index"' not in client.get("/").get_data(as_text=True)
    notify([user], "test", "一条消息", email=False)
    notify([user], "test", "又一条消息", email=False)
    factories.db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'data-testid="count-notifications.index">2<', page)
    mark_read(user)
    factories.db.session.commit()
    assert "count-notifications.index" not in client.get("/").get_data(as_text=True)


def test_a_signed_in_hit_runs_one_statement_with_the_counts_in_it(app, client, login_as,
                                                                  monkeypatch):
    for setting in ("PUBLIC_PAGE_CACHE_SECONDS", "CATALOG_LIST_CACHE_SECONDS",
                    "CATALOG_PART_CACHE_SECONDS"):
        monkeypatch.setitem(app.config, setting, 60)   # as in production: the list kept
    monkeypatch.setitem(app.config, "SIGNED_IN_CACHE_SECONDS", 0)  # the user read every time
    clear_catalog_caches()
    user = login_as("purchaser")
    product = factories.product()
    factories.db.session.add(CartItem(user_id=user.id, product_id=product.id, quantity=1))
    notify([user], "test", "一条消息", email=False)
    factories.db.session.commit()
    client.get("/products")               # warm: the kept list and frame
    page = []
    statements = statements_during(lambda: page.append(client.get("/products")))
    selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(selects) == 1, selects     # the user loader's, the counts in it
    assert "cart_items" in selects[0] and "notifications" in selects[0]
    text = page[0].get_data(as_text=True)
    assert re.search(r'data-testid="count-ordering.cart">1<', text)
    assert re.search(r'data-testid="count-notifications.index">1<', text)
    assert re.search(r'data-testid="menu-count">2<', text)
    clear_catalog_caches()


def test_a_count_changed_within_the_request_shows_the_new_number(app, login_as):
    user = login_as("purchaser")
    product = factories.product(stock=10)
    factories.db.session.commit()
    key = start_login(user)
    factories.db.session.commit()
    with app.test_request_context("/products"):
        loaded = load_user(f"{user.id}:{key}:{user.session_fingerprint()}")
        login_user(loaded)
        assert nav.count_for("ordering.cart") == 0     # loaded with the user
        add_to_cart(loaded, product.id, 1)
        assert nav.count_for("ordering.cart") == 1     # counted again after the write
        notify([loaded], "test", "一条消息", email=False)
        assert nav.count_for("notifications.index") == 1
        mark_read(loaded)
        assert nav.count_for("notifications.index") == 0
        assert nav.counts_total() == 1
    factories.db.session.rollback()
