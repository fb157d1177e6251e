"""The header by role: a few grouped menus instead of a row of every link, the user's own menu
with the logout button, a cart count for buyers and an unread count for everyone, updated as
they change."""
import re

import pytest

from marketplace.notifications.services import mark_read, notify
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


def test_the_counts_are_one_small_query_each(client, login_as):
    login_as("purchaser")
    client.get("/")                       # warm: the user and the page's own reads
    statements = statements_during(lambda: client.get("/"))
    counted = [s for s in statements if "count(" in s.lower() and
               ("cart_items" in s or "notifications" in s)]
    assert len(counted) == 2, counted
