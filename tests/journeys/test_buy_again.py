"""Journey: a canteen buys last month's order again; the cart holds what is still on sale at
today's prices, and the page says which price changed and what could not be added."""
import pytest

from tests import factories
from tests.journeys.helpers import log_in
from tests.ordering.helpers import buyer, checkout

pytestmark = pytest.mark.browser


def test_a_canteen_buys_last_months_order_again(page, db):
    purchaser = buyer()
    supplier = factories.org("supplier", region_code=factories.NYINGCHI_COUNTY)
    songrong = factories.product(supplier=supplier, name="林芝松茸", price_fen=12800, stock=50)
    paused = factories.product(supplier=supplier, name="牦牛肉", price_fen=9900, stock=50)
    [order] = checkout(purchaser, [(songrong, 3), (paused, 1)])
    songrong.price_fen = 13800
    paused.status = "paused"
    db.session.commit()

    log_in(page, purchaser)
    page.goto(f"/orders/{order.id}")
    page.click("[data-testid=buy-again]")
    page.wait_for_url("**/cart")
    text = page.inner_text("main")
    assert "按今日价格计价" in text
    assert "林芝松茸 的价格已从 ¥128.00 变为今日的 ¥138.00" in text
    assert "牦牛肉 未加入：供应商已暂停销售该商品" in text
    assert "138.00" in text and "414.00" in text            # 3 × today's price
    page.screenshot(path="/tmp/buy_again.png", full_page=True)
