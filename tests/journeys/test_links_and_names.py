"""Journey: the admin opens the price-flag notification and lands on the flagged products; an
English reader browses the catalog by the stored English names of categories and regions."""
import pytest

from marketplace.catalog import services
from tests import factories
from tests.catalog.helpers import leaf, listed
from tests.journeys.helpers import log_in

pytestmark = pytest.mark.browser


def test_admin_follows_the_price_flag_and_an_english_reader_sees_english_names(page, db):
    admin = factories.user("admin", name="平台管理员")
    category = leaf("菌菇", "农产品")
    product = listed(name="林芝松茸", category=category.id, price="200")
    services.save_category(admin, "菌菇", category.parent_id, name_en="Mushrooms",
                           category=category)
    services.set_reference_price(admin, category, "斤", "100")
    db.session.commit()

    log_in(page, admin)
    page.goto("/notifications/")
    page.click("text=价格高于参考价")
    page.wait_for_url("**/admin/catalog/products?flagged=1")
    assert "林芝松茸" in page.inner_text("main")

    page.click("[data-testid=lang-en]")
    page.goto("/")
    page.click("text=Mushrooms")
    page.wait_for_selector(f"a[href='/products/{product.id}']")
    # The county and its city by their English names (the shipped registry has both).
    assert "Bayi District" in page.inner_text("main") and "巴宜区" not in page.inner_text("main")
    assert "Nyingchi" in page.locator("select[name=region] option[value='540400']").text_content()
    page.goto(f"/products/{product.id}")
    crumbs = page.inner_text("main")
    assert "Mushrooms" in crumbs and "Nyingchi" in crumbs and "菌菇" not in crumbs
    page.screenshot(path="/tmp/english_product.png", full_page=True)
