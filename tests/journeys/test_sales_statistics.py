"""Sales statistics in the browser: a supplier opens them from its workbench and picks a year;
on a phone the tables fit the screen."""
from tests import factories
from tests.helpers import cst
from tests.journeys.helpers import follow_menu, log_in


def test_a_supplier_sees_its_sales_and_a_bad_year_is_explained(page, db):
    parties = factories.Parties()
    factories.accepted_order(parties.buyer, [(parties.product, 2)], cst(2025, 3, 10))
    db.session.commit()
    log_in(page, parties.supplier)
    follow_menu(page, "工作台")
    page.click("[data-testid=wb-sales]")
    page.fill("input[name=year]", "2025")
    page.click("form.year-chooser button[type=submit]")
    page.wait_for_selector("text=¥256.00", state="attached")
    assert page.get_by_role("cell", name=parties.product.name, exact=True).is_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("""[...document.querySelectorAll('.table-scroll')]
        .every(box => box.scrollWidth <= box.clientWidth)""")
    page.fill("input[name=year]", "二〇二五")
    page.click("form.year-chooser button[type=submit]")
    page.wait_for_selector("#year-error")
    assert "年份须为四位数字" in page.locator("#year-error").inner_text()
