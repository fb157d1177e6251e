"""Journey: a canteen's purchaser opens the home page, finds what the unit orders most often
under 常买商品 and puts it in the cart at today's price."""
import pytest

from tests import factories
from tests.journeys.helpers import log_in

pytestmark = pytest.mark.browser


def test_a_purchaser_adds_a_frequently_bought_product_from_the_home_page(page, db):
    purchaser = factories.user("purchaser")
    supplier = factories.org("supplier", region_code=factories.NYINGCHI_COUNTY)
    qingke = factories.product(supplier=supplier, name="青稞面", price_fen=2550, stock=50)
    for _ in range(2):
        factories.order(purchaser, [(qingke, 10)], status="accepted")
    qingke.price_fen = 2800
    db.session.commit()

    log_in(page, purchaser)
    page.goto("/")
    section = page.locator("[data-testid=frequently-bought]")
    assert "青稞面" in section.inner_text() and "¥28.00" in section.inner_text()
    assert "过去 12 个月下单 2 次" in section.inner_text()
    section.get_by_role("button", name="将 青稞面 加入购物车").click()
    page.get_by_text("已将 青稞面 加入购物车。").wait_for()
    page.goto("/cart")
    assert "青稞面" in page.inner_text("main") and "28.00" in page.inner_text("main")
