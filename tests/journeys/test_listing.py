"""A buyer on a phone narrows the product list with the filter bar, with JavaScript off."""
import pytest

from marketplace.extensions import db as _db
from tests import factories
from tests.catalog.helpers import MEDOG, certified_staff, leaf, listed
from tests.journeys.helpers import log_in

pytestmark = pytest.mark.browser


def test_the_filter_bar_works_on_a_phone_without_javascript(chromium, live_server, db):
    staff = certified_staff(factories.NYINGCHI_COUNTY, MEDOG)
    mushrooms, tea = leaf("菌菇"), leaf("茶叶")
    listed(staff, name="林芝松茸", category=mushrooms.id, labels="gi")
    listed(staff, name="墨脱松茸", category=mushrooms.id, origin_region_code=MEDOG, labels="gi")
    listed(staff, name="墨脱绿茶", category=tea.id, origin_region_code=MEDOG, labels="gi")
    listed(staff, name="墨脱香菇", category=mushrooms.id, origin_region_code=MEDOG)
    buyer = factories.user("purchaser")
    _db.session.commit()
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN",
                                   viewport={"width": 390, "height": 844},
                                   java_script_enabled=False)
    page = context.new_page()
    log_in(page, buyer)
    page.goto("/products")
    assert page.locator("[data-testid=product-card]").count() == 4
    bar = page.locator("[data-testid=filter-bar]")
    # One row that scrolls sideways on the phone, not a tall block above the results.
    assert bar.bounding_box()["height"] < 90
    bar.locator("select[name=category]").select_option(str(mushrooms.id))
    bar.locator("select[name=region]").select_option(MEDOG)
    bar.locator("input[name=label][value=gi]").check()
    bar.locator("button[type=submit]").click()
    page.wait_for_url("**/products?*region=*")
    names = page.locator("[data-testid=product-card] .product-name").all_inner_texts()
    assert names == ["墨脱松茸"]
    assert page.locator("[data-testid=sales-count]").first.inner_text() == "已售 0"
    assert bar.locator("input[name=label][value=gi]").is_checked()
    context.close()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_filter_bar_is_one_row_on_a_desktop_in_either_language(page, db, language):
    staff = certified_staff(factories.NYINGCHI_COUNTY, MEDOG)
    listed(staff, name="林芝松茸", category=leaf("菌菇").id, labels="gi")
    _db.session.commit()
    page.set_viewport_size({"width": 1366, "height": 900})
    if language == "en":
        page.goto("/language/en")
    page.goto("/products")
    tops = page.evaluate("""[...document.querySelectorAll(
        '[data-testid=filter-bar] .filter-fields > *, [data-testid=filter-bar] > button')]
        .map(element => element.getBoundingClientRect())
        .map(box => [Math.round(box.top), Math.round(box.bottom)])""")
    # Every field and the button overlap one band: a single row, nothing wrapped below it.
    assert max(top for top, _bottom in tops) < min(bottom for _top, bottom in tops), tops
    page.screenshot(path=f"/tmp/filter-bar-{language}.png")
