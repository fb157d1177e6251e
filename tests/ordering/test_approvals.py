"""The approval threshold covers everything one checkout creates: a cart split over several
cooperatives waits as a whole, and the unit manager approves or rejects it as a whole."""
import pytest

from marketplace.catalog.models import Product
from marketplace.errors import StateError
from marketplace.notifications.models import Notification
from marketplace.ordering import services
from marketplace.ordering.models import Order
from tests import factories
from tests.helpers import assert_error, bearer
from tests.ordering.helpers import buyer, checkout


@pytest.fixture
def split_cart(db):
    """A ¥30,000 cart over two cooperatives (¥15,000 each) in a unit whose threshold is
    ¥20,000: neither order is over it alone."""
    user = buyer(threshold_fen=2_000_000)
    manager = factories.user("unit_manager", organization=user.organization)
    first = factories.product(price_fen=150_000, stock=20)
    second = factories.product(price_fen=150_000, stock=20)
    orders = checkout(user, [(first, 10), (second, 10)])
    db.session.commit()
    return user, manager, orders, (first, second)


def test_a_cart_split_over_suppliers_waits_as_a_whole(split_cart):
    user, manager, orders, _ = split_cart
    assert len(orders) == 2 and {order.total_fen for order in orders} == {1_500_000}
    assert [order.status for order in orders] == ["pending_approval", "pending_approval"]
    assert orders[0].checkout_id and orders[0].checkout_id == orders[1].checkout_id
    # Neither supplier hears of them yet; the manager is told once, of both.
    for order in orders:
        staff = factories.user("supplier_staff", organization=order.supplier)
        assert not services.can_view(order, staff)
    assert Notification.query.filter_by(user_id=manager.id,
                                        kind="order.approval_needed").count() == 1


def test_under_the_threshold_in_total_nothing_waits(db):
    user = buyer(threshold_fen=2_000_000)
    orders = checkout(user, [(factories.product(price_fen=500_000), 2),
                             (factories.product(price_fen=500_000), 1)])
    assert [order.status for order in orders] == ["placed", "placed"]


def test_approving_one_approves_the_whole_checkout(client, split_cart):
    _, manager, orders, _ = split_cart
    response = client.post(f"/api/v1/orders/{orders[1].id}/approve", headers=bearer(manager))
    assert response.status_code == 200 and response.get_json()["status"] == "placed"
    statuses = [order.status for order in Order.query.order_by(Order.id)]
    assert statuses == ["placed", "placed"]
    # Approving again is a state conflict, for either order.
    assert_error(client.post(f"/api/v1/orders/{orders[0].id}/approve",
                             headers=bearer(manager)), 409)


def test_rejecting_one_rejects_the_whole_checkout_and_gives_the_stock_back(split_cart,
                                                                           login_as, post_form,
                                                                           client, db):
    _, manager, orders, products = split_cart
    login_as(manager)
    page = client.get("/approvals").get_data(as_text=True)
    assert page.count('data-testid="approval-checkout"') == 1
    assert page.count('data-testid="approval-order"') == 2 and "¥30,000.00" in page
    response = post_form(f"/orders/{orders[0].id}/reject", {"reason": "超出本月预算"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [order.status for order in Order.query.order_by(Order.id)] == ["rejected"] * 2
    assert [db.session.get(Product, p.id).stock for p in products] == [20, 20]


def test_an_order_cancelled_meanwhile_is_left_as_it_is(split_cart, db):
    user, manager, orders, _ = split_cart
    services.cancel_order(orders[0], user)
    services.approve_order(orders[1], manager)
    assert [orders[0].status, orders[1].status] == ["cancelled", "placed"]
    with pytest.raises(StateError):
        services.approve_order(orders[0], manager)


def test_the_approvals_card_shows_what_is_bought_its_prices_and_the_quota_effect(db, client,
                                                                                login_as):
    """The unit manager decides from the card: the lines (named, linked, quantity and unit,
    unit price, amount), supplier and origin by name, a price far above its reference said
    plainly, and what the checkout does to the unit's share (the compliance figures)."""
    from marketplace.timeutil import this_year
    from tests.compliance.helpers import filing

    user = buyer(threshold_fen=2_000_000)
    filing(user.organization, year=this_year(), budget_fen=100_000_000, ratio="0.10")
    manager = factories.user("unit_manager", organization=user.organization)
    dear = factories.product(name="林芝松茸", price_fen=300_000, reference_price_fen=200_000)
    fair = factories.product(name="海淀小米", price_fen=100_000, unit="袋",
                             origin_region_code=factories.BEIJING_DISTRICT,
                             reference_price_fen=100_000)
    orders = checkout(user, [(dear, 10), (fair, 1)])
    db.session.commit()
    assert {order.status for order in orders} == {"pending_approval"}

    login_as(manager)
    page = client.get("/approvals").get_data(as_text=True)
    assert page.count('data-testid="approval-line"') == 2
    assert f'href="/products/{dear.id}"' in page and "林芝松茸" in page
    assert "10 斤 × ¥3,000.00/斤 = <strong>¥30,000.00</strong>" in page
    assert "1 袋 × ¥1,000.00/袋 = <strong>¥1,000.00</strong>" in page
    assert dear.supplier.name in page and "巴宜区" in page and "海淀区" in page
    # Only the dear line is flagged, with its reference; the fair one shows its reference.
    assert page.count('data-testid="price-flag"') == 1
    assert "价格高于参考价 30% 以上：参考价 ¥2,000.00/斤" in page
    assert "参考价 ¥1,000.00/袋" in page
    # Only the aided origin counts: ¥30,000 of a ¥1,000,000 budget, 0% → 3% against 10%.
    assert "¥30,000.00</strong>" in page.split('data-testid="effect-counted"')[1][:40]
    assert "已完成 0.00% → 3.00%（目标 10%）" in page
    assert "540402" not in page and "110108" not in page
    # In English the same card reads right (no format codes leak).
    client.get("/language/en")
    page = client.get("/approvals").get_data(as_text=True)
    assert "Priced more than 30% above the reference: reference ¥2,000.00/斤" in page
    assert "done 0.00% → 3.00% (target 10%)" in page and "%(" not in page
    assert "（" not in page.split('data-testid="approval-supplier"')[1][:200]


def test_the_quota_effect_without_a_filing_says_so(db, client, login_as):
    user = buyer(threshold_fen=100)
    manager = factories.user("unit_manager", organization=user.organization)
    checkout(user, [(factories.product(price_fen=12_800), 1)])
    db.session.commit()
    login_as(manager)
    page = client.get("/approvals").get_data(as_text=True)
    assert "¥128.00" in page and "尚未填报" in page and "→" not in page
