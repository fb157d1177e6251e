"""Journey: a cooperative applies for certification with a document, the admin certifies it,
it lists a product with a photo, and a buyer finds it by a two-character search and opens it."""
import pytest

from tests import factories
from tests.catalog.helpers import NYINGCHI, leaf
from tests.helpers import PDF, image_bytes
from tests.journeys.helpers import log_in, log_out

pytestmark = pytest.mark.browser


def test_cooperative_is_certified_lists_a_product_and_a_buyer_finds_it(page, db):
    cooperative = factories.org("supplier", name="巴宜区雪域农牧合作社", region_code=NYINGCHI)
    staff = factories.user("supplier_staff", organization=cooperative)
    admin = factories.user("admin")
    buyer = factories.user("purchaser")
    category = leaf("菌菇", "农产品")
    db.session.commit()

    # The cooperative applies for 巴宜区 with its business licence.
    log_in(page, staff)
    page.goto("/supplier/certifications")
    page.check(f"input[name=region_codes][value='{NYINGCHI}']")
    page.set_input_files("input[name=documents]", files=[
        {"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("[data-testid=apply]")
    page.wait_for_selector("text=申请已提交")
    assert page.inner_text("[data-testid=cert-status]") == "待审核"
    log_out(page)

    # The admin reviews the queue, sees the document and approves.
    log_in(page, admin)
    page.goto("/admin/catalog/certifications")
    item = page.locator("[data-testid=queue-item]", has_text="巴宜区雪域农牧合作社")
    assert item.locator("[data-testid=document-link]").inner_text() == "营业执照.pdf"
    item.locator("[data-testid=approve]").click()
    page.wait_for_selector("text=已批准")
    log_out(page)

    # The cooperative lists a product with a photo.
    log_in(page, staff)
    page.goto("/supplier/certifications")
    assert page.inner_text("[data-testid=cert-status]") == "已认证"
    page.goto("/supplier/products/new")
    page.fill("input[name=name]", "雪域野生松茸")
    page.select_option("select[name=category]", str(category.id))
    page.fill("input[name=spec]", "500g/袋")
    page.fill("input[name=unit]", "袋")
    page.fill("input[name=price]", "168.00")
    page.fill("input[name=stock]", "30")
    page.select_option("select[name=origin_region_code]", NYINGCHI)
    page.set_input_files("input[name=photos]", files=[
        {"name": "songrong.jpg", "mimeType": "image/jpeg",
         "buffer": image_bytes("JPEG", (800, 600))}])
    page.click("[data-testid=save-product]")
    page.wait_for_selector("text=已上架")
    assert page.inner_text("[data-testid=product-name]") == "雪域野生松茸"
    assert page.locator("img.main-photo").count() == 1
    log_out(page)

    # A buyer searches for 松茸 and opens it.
    log_in(page, buyer)
    page.goto("/")
    page.fill("input[name=q]", "松茸")
    page.press("input[name=q]", "Enter")
    card = page.locator("[data-testid=product-card]", has_text="雪域野生松茸")
    card.locator("a.product-card-link").click()
    page.wait_for_selector("[data-testid=product-name]")
    assert page.inner_text("[data-testid=product-name]") == "雪域野生松茸"
    assert "¥168.00" in page.inner_text("main")
    assert "巴宜区雪域农牧合作社" in page.inner_text("main")
    photo = page.locator("img.main-photo")
    assert photo.evaluate("img => img.naturalWidth") > 0
