"""Journey in Chromium (万企兴万村): a cooperative publishes its village's need; an enterprise
browses the board, answers it and asks to pair with the village; the admin approves; the
enterprise finds the paired cooperative's product first, orders it, the cooperative ships, the
enterprise accepts — and the pairing's progress moves."""
import pytest

from marketplace.catalog.services import certify_supplier
from marketplace.ordering.models import Order
from marketplace.pairings.models import Pairing
from tests import factories
from tests.journeys.helpers import confirm_and_ship, log_in, log_out, open_menu_group, shoot

pytestmark = pytest.mark.browser
SHOTS = "/tmp/pairings-{}-{}.png"


def test_board_request_approval_order_and_progress(page, db):
    admin = factories.user("admin", name="平台管理员")
    enterprise = factories.org("enterprise", name="拉萨净土农牧产品贸易有限公司")
    buyer = factories.user("purchaser", organization=enterprise, name="孙采购")
    coop = factories.org("supplier", name="鲁朗松茸种植专业合作社", region_code="540402")
    certify_supplier(admin, coop, "540402")
    staff = factories.user("supplier_staff", organization=coop, name="扎西")
    other = factories.org("supplier", name="达孜青稞合作社", region_code="540104")
    certify_supplier(admin, other, "540104")
    barley = factories.product(supplier=other, name="达孜青稞", price_fen=1_250, stock=500,
                               origin_region_code="540104", sales_count=900)
    factories.product(supplier=coop, name="鲁朗鲜松茸", price_fen=12_800, stock=200)
    db.session.commit()
    assert barley.sales_count == 900  # the best seller leads the list for everyone else

    # The cooperative publishes a need of its village on the board.
    log_in(page, staff)
    open_menu_group(page, "buy")
    page.click("header >> text=万企兴万村")
    page.click("text=发布村级需求")
    page.select_option("select[name=county_code]", "540402")
    page.fill("input[name=village]", "扎西岗村")
    page.fill("input[name=title]", "鲁朗松茸 5000 斤寻找长期买家")
    page.fill("input[name=quantity]", "5000")
    page.fill("input[name=unit]", "斤")
    page.fill("input[name=season]", "7–9 月")
    page.click("[data-testid=submit-need]")
    page.wait_for_selector("text=需求已发布到村级需求板")
    log_out(page)

    # The enterprise browses the board, answers, and asks to pair with the village.
    log_in(page, buyer)
    open_menu_group(page, "buy")
    page.click("header >> text=万企兴万村")
    page.click("[data-testid=to-board]")
    shoot(page, SHOTS, "board")
    page.click("text=鲁朗松茸 5000 斤寻找长期买家")
    page.fill("textarea[name=body]", "我司每月可采购 300 斤，请联系。")
    page.click("[data-testid=submit-answer]")
    page.wait_for_selector("text=已回应，对方会收到通知")
    assert "我司每月可采购 300 斤" in page.inner_text("[data-testid=messages]")
    page.click("text=查看需求")
    page.click("[data-testid=to-village]")
    page.click("[data-testid=request-pairing]")
    assert page.is_checked(f"input[name=supplier_ids][value='{coop.id}']")
    page.fill("input[name=target_amount]", "0")
    page.click("[data-testid=submit-request]")
    page.wait_for_selector("text=采购目标须大于 0")   # refused, nothing made
    assert Pairing.query.count() == 0
    page.fill("input[name=target_amount]", "5000")
    page.select_option("select[name='projects-0-kind']", "efficient_farming")
    page.fill("input[name='projects-0-households']", "46")
    page.fill("textarea[name=note]", "每月采购松茸")
    page.click("[data-testid=submit-request]")
    page.wait_for_selector("text=结对申请已提交")
    assert page.inner_text("[data-testid=purchased]") == "¥0.00"
    log_out(page)

    # The admin approves the request.
    pairing = Pairing.query.one()
    log_in(page, admin)
    open_menu_group(page, "buy")
    page.click("header >> text=万企兴万村")
    shoot(page, SHOTS, "admin-index")
    page.click(f"[data-testid=approve-{pairing.id}]")
    page.wait_for_selector("text=已批准 拉萨净土农牧产品贸易有限公司 与 扎西岗村 结对")
    log_out(page)

    # The enterprise shops: the paired cooperative's product comes first; it orders 2 jin.
    log_in(page, buyer)
    page.goto("/products")
    first = page.locator("[data-testid=product-card]").first
    assert "鲁朗鲜松茸" in first.inner_text() and "结对村合作社" in first.inner_text()
    first.locator(".product-name").click()
    page.fill("[data-testid=cart-form] input[name=quantity]", "2")
    page.click("[data-testid=cart-form] button")
    page.goto("/cart")
    page.click("[data-testid=to-checkout]")
    page.check("input[name=purpose][value=other]")
    page.fill("input[name=new_label]", "公司仓库")
    page.fill("input[name=new_recipient]", "孙采购")
    page.fill("input[name=new_phone]", "0891-6330004")
    page.fill("input[name=new_address]", "拉萨市城关区金珠西路 99 号")
    page.check("input[name=payment_terms][value=goods_first]")
    page.click("[data-testid=place-order]")
    page.wait_for_selector("text=下单成功")
    order = Order.query.one()
    log_out(page)

    # The cooperative confirms and ships.
    log_in(page, staff)
    confirm_and_ship(page, order)
    log_out(page)

    # The enterprise accepts the delivery: the pairing's progress moves.
    log_in(page, buyer)
    page.goto(f"/orders/{order.id}")
    page.click("[data-testid=accept-link]")
    page.click("[data-testid=submit-acceptance]")
    page.wait_for_selector(f"text=订单 {order.number} 已验收")
    open_menu_group(page, "buy")
    page.click("header >> text=万企兴万村")
    assert page.inner_text("[data-testid=card-purchased]") == "¥256.00"
    assert page.inner_text("[data-testid=card-rate]") == "5.12%"
    page.click("[data-testid=pairing-card] a")
    assert page.inner_text("[data-testid=purchased]") == "¥256.00"
    assert "鲁朗鲜松茸" in page.inner_text("[data-testid=pairing-lines]")
    shoot(page, SHOTS, "detail")
