"""Journey in Chromium: a canteen purchaser orders from two cooperatives, the unit manager
approves the large order, the cooperative confirms and ships, the purchaser accepts it partly."""
import re

import pytest

from marketplace.ordering.models import Order
from tests import factories
from tests.journeys.helpers import confirm_and_ship, log_in, log_out

pytestmark = pytest.mark.browser


def add_to_cart(page, product, quantity):
    """What the product page's form does: POST product_id and quantity with the CSRF token."""
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post("/cart/add", form={"csrf_token": token,
                                                    "product_id": str(product.id),
                                                    "quantity": str(quantity)},
                                 max_redirects=0)
    assert response.status == 302


def test_canteen_order_from_two_cooperatives_to_partial_acceptance(page, db):
    school = factories.org("budget_unit", name="拉萨市第一中学", approval_threshold_fen=100000)
    purchaser = factories.user("purchaser", organization=school, name="王采购")
    manager = factories.user("unit_manager", organization=school, name="李主任")
    coop_a = factories.org("supplier", name="鲁朗松茸合作社", region_code=factories.NYINGCHI_COUNTY)
    coop_b = factories.org("supplier", name="达孜青稞合作社", region_code=factories.LHASA_COUNTY)
    staff_a = factories.user("supplier_staff", organization=coop_a, name="次仁")
    matsutake = factories.product(supplier=coop_a, name="林芝松茸", price_fen=60000, stock=20)
    barley = factories.product(supplier=coop_b, name="青稞面", price_fen=5000, stock=20,
                               origin_region_code=factories.LHASA_COUNTY)
    db.session.commit()

    # The purchaser fills the cart from two cooperatives and raises one quantity in the cart.
    log_in(page, purchaser)
    add_to_cart(page, matsutake, 1)
    add_to_cart(page, barley, 3)
    page.goto("/cart")
    assert page.locator("[data-testid=cart-group]").count() == 2
    page.fill("[data-testid=cart-line]:has-text('林芝松茸') input[name=quantity]", "2")
    page.click("[data-testid=cart-line]:has-text('林芝松茸') button:has-text('更新')")
    page.wait_for_selector("text=购物车已更新")
    assert page.inner_text("[data-testid=cart-total]") == "¥1,350.00"

    # Checkout with a new canteen address: two orders, over the threshold together, so both
    # wait for approval.
    page.click("[data-testid=to-checkout]")
    page.fill("input[name=new_label]", "学生食堂")
    page.fill("input[name=new_recipient]", "王采购")
    page.fill("input[name=new_phone]", "0891-6330001")
    page.fill("input[name=new_address]", "拉萨市城关区江苏路 1 号")
    page.check("input[name=payment_terms][value=goods_first]")   # 先货后款: ships unpaid
    page.click("[data-testid=place-order]")
    page.wait_for_selector("text=下单成功，共 2 个订单")
    assert page.locator("[data-testid=order-card]").count() == 2
    large = Order.query.filter_by(supplier_id=coop_a.id).one()
    assert large.status == "pending_approval"
    assert page.locator("[data-testid=order-card]:has-text('待审批')").count() == 2
    log_out(page)

    # The unit manager approves the whole checkout at once.
    log_in(page, manager)
    page.goto("/approvals")
    assert page.locator("[data-testid=approval-order]").count() == 2
    assert page.inner_text("[data-testid=checkout-total]") == "¥1,350.00"
    page.locator("[data-testid=approval-checkout] button:has-text('批准')").click()
    page.wait_for_selector("text=已批准")
    assert page.locator("[data-testid=approval-checkout]").count() == 0
    log_out(page)

    # The cooperative confirms and ships from its queue.
    log_in(page, staff_a)
    confirm_and_ship(page, large)
    log_out(page)

    # The purchaser accepts 1 of the 2 boxes, noting the problem.
    log_in(page, purchaser)
    page.goto(f"/orders/{large.id}")
    page.click("[data-testid=accept-link]")
    line = large.lines[0]
    page.fill(f"#line_{line.id}", "1")
    page.fill("textarea[name=note]", "一斤松茸变质，已退回")
    page.click("[data-testid=submit-acceptance]")
    page.wait_for_selector(f"text=订单 {large.number} 已验收")
    assert page.inner_text(f"[data-testid=accepted-{line.id}]") == "1"
    assert re.search("已验收", page.inner_text("[data-testid=order-status]"))
    timeline = page.inner_text("[data-testid=timeline]")
    for step in ("待审批", "已下单", "已确认", "已发货", "已验收"):
        assert step in timeline
    page.click("[data-testid=acceptance-record-link]")
    assert page.inner_text("[data-testid=accepted-total]") == "¥600.00"
