"""Journey: a cooperative downloads the bulk template, fills it, sees every bad row's problem
by row and column, fixes the file and imports it, adds photos named by product code, and
re-uploads its export unchanged."""
import io

import pytest
from openpyxl import load_workbook

from marketplace.catalog.models import Product
from tests.catalog.helpers import certified_staff, leaf
from tests.helpers import image_bytes
from tests.journeys.helpers import log_in

pytestmark = pytest.mark.browser
SHOT = "/tmp/bulk-{}-{}.png"


def _shoot(page, name):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=SHOT.format(name, "desktop"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOT.format(name, "phone"), full_page=True)


def _filled(template, rows):
    book = load_workbook(io.BytesIO(template))
    for values in rows:
        book["商品"].append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, data):
    page.set_input_files("input[name=file]", files=[
        {"name": "商品.xlsx", "buffer": data,
         "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.click("[data-testid=bulk-check]")
    page.wait_for_selector("[data-testid=bulk-summary]")


def test_a_cooperative_lists_its_products_from_one_excel_file(page, db):
    leaf("菌菇", "农产品")
    staff = certified_staff(name="巴宜区雪域农牧合作社")
    db.session.commit()
    log_in(page, staff)
    page.goto("/supplier/products")
    page.click("[data-testid=bulk-listing]")
    with page.expect_download() as download:
        page.click("[data-testid=bulk-template]")
    template = open(download.value.path(), "rb").read()

    good = ["MX-001", "雪域野生松茸", "菌菇", "林芝市巴宜区", "500g/袋", "袋", "1,280.00", 20, 1,
            "有机产品", "", "冷冻", ""]
    bad = ["MX-002", "青稞挂面", "面条", "纽约", "1kg/袋", "袋", "十二元", -5, 1, "", "", "", ""]
    _upload(page, _filled(template, [good, bad]))
    problems = page.inner_text("[data-testid=bulk-problems]")
    assert "第 4 行" in problems and "品类" in problems and "产地" in problems \
        and "价格（元）" in problems and "库存" in problems
    assert page.locator("[data-testid=bulk-confirm]").count() == 0
    _shoot(page, "problems")
    assert Product.query.count() == 0
    db.session.rollback()   # let go of the database before the server writes to it

    fixed = ["MX-002", "青稞挂面", "菌菇", "巴宜区", "1kg/袋", "袋", "12", 5, 1, "", "", "", ""]
    _upload(page, _filled(template, [good, fixed]))
    assert "新增 2 个" in page.inner_text("[data-testid=bulk-summary]")
    _shoot(page, "clean")
    # The first listing indexed in a process loads the search dictionary (seconds).
    page.click("[data-testid=bulk-confirm]", timeout=60000)
    page.wait_for_selector("text=已导入：新增 2 个")
    assert page.locator("[data-testid=my-product]").count() == 2

    page.goto("/supplier/products/bulk")
    page.set_input_files("input[name=photos]", files=[
        {"name": "MX-001.png", "mimeType": "image/png", "buffer": image_bytes()},
        {"name": "XX-404.png", "mimeType": "image/png", "buffer": image_bytes()}])
    page.click("[data-testid=bulk-photos]")
    results = page.inner_text("[data-testid=photo-results]")
    assert "已加到「雪域野生松茸」" in results and "没有编码为“XX-404”的商品" in results
    _shoot(page, "photos")

    with page.expect_download() as download:
        page.click("[data-testid=bulk-export]")
    _upload(page, open(download.value.path(), "rb").read())
    assert "新增 0 个，更新 0 个，未变 2 个" in page.inner_text("[data-testid=bulk-summary]")
    assert "没有需要导入的变化" in page.content()
    assert page.locator("[data-testid=bulk-confirm]").count() == 0
