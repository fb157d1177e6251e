"""Journey, with the production caches on: a visitor browses kept pages, signs in and sees
their own live pages, signs out; nobody's name is ever kept for the next visitor, and a
cooperative pausing its product takes it off the visitors' list at once."""
import pytest

from tests import factories
from tests.catalog.helpers import certified_staff, listed
from tests.journeys.accessibility import CheckedPage, watch
from tests.journeys.helpers import log_in, log_out

pytestmark = pytest.mark.browser


@pytest.fixture
def production_caches(app, monkeypatch):
    from marketplace.catalog.caching import clear_catalog_caches

    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE_SECONDS", 30)
    monkeypatch.setitem(app.config, "CATALOG_LIST_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.config, "CATALOG_CHOICES_CACHE_SECONDS", 60)
    clear_catalog_caches()
    yield
    clear_catalog_caches()


def test_visitors_share_kept_pages_but_never_a_buyers(page, chromium, live_server, db,
                                                      production_caches, axe_violations):
    staff = certified_staff(name="雪域合作社")
    listed(staff, name="林芝野生松茸", stock="50")
    buyer = factories.user("purchaser", name="王采购")
    db.session.commit()

    # A visitor finds the product; the second look is the kept page.
    page.goto("/products?q=松茸")
    card = page.locator("[data-testid=product-card]", has_text="林芝野生松茸")
    assert "库存 50" in card.inner_text()
    assert page.goto("/products?q=松茸").headers.get("x-page-cache") == "hit"

    # Signed in, the buyer gets a page of their own, and can order.
    log_in(page, buyer)
    answer = page.goto("/products?q=松茸")
    assert "x-page-cache" not in answer.headers
    assert "王采购" in page.text_content("header")
    page.click("text=林芝野生松茸")
    page.fill("[data-testid=cart-form] input[name=quantity]", "2")
    page.click("[data-testid=cart-form] button[type=submit]")
    page.wait_for_selector("text=已将 林芝野生松茸 加入购物车")
    log_out(page)                          # the farewell message shows: not a kept page

    # The next visitor's pages carry nobody's name.
    page.goto("/products?q=松茸")
    assert "王采购" not in page.content()
    assert page.locator("[data-testid=logout]").count() == 0

    # The cooperative pauses the listing in its own browser: visitors no longer see it.
    supplier_context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    watch(supplier_context)
    supplier_page = CheckedPage(supplier_context.new_page(), axe_violations)
    log_in(supplier_page, staff)
    supplier_page.goto("/supplier/products")
    supplier_page.locator("[data-testid=my-product]", has_text="林芝野生松茸") \
        .locator("button", has_text="暂停").click()
    supplier_page.wait_for_selector("text=已暂停销售")
    supplier_context.close()
    page.goto("/products?q=松茸")
    assert page.locator("[data-testid=product-card]", has_text="林芝野生松茸").count() == 0
