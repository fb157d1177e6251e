"""Journey in Chromium at 1366×900 and 390×844: a canteen accepts part of a delivery on the
acceptance page; the cooperative puts what was refused back in stock with one click, the
order's timeline says who did it and how many, and the product page shows the stock back."""
import pytest

from marketplace.catalog.models import Product
from tests import factories
from tests.journeys.helpers import log_in, log_out, shoot
from tests.ordering.helpers import buyer, checkout_and_ship

pytestmark = pytest.mark.browser
SHOTS = "/tmp/restock-{}-{}.png"


def test_a_cooperative_puts_refused_goods_back_in_stock(page, db):
    purchaser = buyer()
    coop = factories.org("supplier", name="达孜青稞合作社", region_code=factories.LHASA_COUNTY)
    staff = factories.user("supplier_staff", organization=coop, name="次仁")
    barley = factories.product(supplier=coop, name="青稞面", price_fen=5000, stock=20,
                               origin_region_code=factories.LHASA_COUNTY)
    order, _shipper = checkout_and_ship(purchaser, barley, quantity=6)
    db.session.commit()

    log_in(page, purchaser)
    page.goto(f"/orders/{order.id}")
    page.click("[data-testid=accept-link]")
    page.fill(f"#line_{order.lines[0].id}", "4")
    page.fill("textarea[name=note]", "两袋受潮，已退回")
    page.click("[data-testid=submit-acceptance]")
    page.wait_for_selector(f"text=订单 {order.number} 已验收")
    assert page.locator("[data-testid=restock]").count() == 0     # the supplier's to do
    log_out(page)

    log_in(page, staff)
    page.goto(f"/orders/{order.id}")
    actions = page.inner_text("[data-testid=actions-supplier]")
    assert "拒收商品退回库存" in actions and "青稞面 ×2" in actions
    shoot(page, SHOTS, "before")
    page.click("[data-testid=restock]")
    page.wait_for_selector(f"text=订单 {order.number} 拒收的商品已退回库存。")
    timeline = page.inner_text("[data-testid=timeline]")
    assert "拒收商品已退回库存" in timeline and "次仁" in timeline and "青稞面 ×2" in timeline
    assert page.locator("[data-testid=restock]").count() == 0     # once
    shoot(page, SHOTS, "after")
    db.session.expire_all()
    assert db.session.get(Product, barley.id).stock == 16           # 20 − 6 + 2
