"""Journey: a canteen's purchaser marks a product ☆ on its page, finds it under 我的收藏 in the
menu, and takes it off the list again."""
import pytest

from tests import factories
from tests.journeys.helpers import follow_menu, log_in

pytestmark = pytest.mark.browser


def test_a_purchaser_marks_a_favourite_and_finds_it_in_the_menu(page, db):
    purchaser = factories.user("purchaser")
    supplier = factories.org("supplier", region_code=factories.NYINGCHI_COUNTY)
    songrong = factories.product(supplier=supplier, name="林芝松茸", price_fen=12800, stock=50)
    db.session.commit()

    log_in(page, purchaser)
    page.goto(f"/products/{songrong.id}")
    page.get_by_role("button", name="收藏").click()
    page.wait_for_url(f"**/products/{songrong.id}")
    assert "已加入我的收藏。" in page.inner_text("main")
    assert "★" in page.inner_text("[data-testid=favourite-button]")
    page.screenshot(path="/tmp/favourite_product.png", full_page=True)

    follow_menu(page, "我的收藏")
    page.wait_for_url("**/favourites")
    favourite = page.locator("[data-testid=favourite]")
    assert "林芝松茸" in favourite.inner_text() and "128.00" in favourite.inner_text()
    page.screenshot(path="/tmp/favourites.png", full_page=True)
    page.get_by_role("button", name="从收藏中移除 林芝松茸").click()
    page.wait_for_url("**/favourites")
    assert "还没有收藏的商品" in page.inner_text("main")
