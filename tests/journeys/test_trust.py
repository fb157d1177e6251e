"""Journey: the admin reads the audit trail in words and the manager's monthly chart on one
axis, at 1366×900 and on a 390×844 phone (screenshots in /tmp/trust-*.png, looked at)."""
import pytest

from marketplace.audit.services import record
from tests import factories
from tests.journeys.helpers import log_in, log_out

pytestmark = pytest.mark.browser
SIZES = ({"width": 1366, "height": 900}, {"width": 390, "height": 844})


def test_the_trail_reads_in_words_and_the_chart_keeps_one_scale(page, db):
    admin = factories.user("admin", name="平台管理员甲")
    unit = factories.org("budget_unit", name="拉萨市实验小学", region_code="540102")
    manager = factories.user("unit_manager", organization=unit, name="次仁主任")
    order = factories.order(status="shipped")
    record("payment.transfer_confirmed", order, actor=admin, object_type="orders",
           detail={"order_id": order.id, "amount_fen": 94400, "amount_mismatch": False})
    db.session.commit()

    log_in(page, admin)
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto("/admin/audit")
        row = page.locator("table.audit tbody tr").first
        assert "确认收到银行转账：订单「" in row.inner_text()
        assert "¥944.00" in row.inner_text() and "amount_fen" not in row.inner_text()
        assert row.locator(f"a[href='/orders/{order.id}']").count() == 1
        page.screenshot(path=f"/tmp/trust-audit-{size['width']}.png", full_page=True)
    log_out(page)

    log_in(page, manager)
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto("/quota/")
        chart = page.locator("[data-testid=quota-monthly-chart] svg:visible")
        chart.scroll_into_view_if_needed()
        legend = chart.locator("g.legend-item")
        assert legend.count() >= 2
        box = chart.bounding_box()
        figure = page.locator("[data-testid=quota-monthly-chart]").bounding_box()
        # Full width, never wider: a phone gets the chart drawn for its width (no scrolling).
        assert figure["width"] - 1 <= box["width"] <= figure["width"] + 1
        ticks = chart.locator("text.tick")
        assert ticks.first.text_content() == "0"
        page.screenshot(path=f"/tmp/trust-chart-{size['width']}.png", full_page=False)


def test_an_auditor_reads_its_trail_from_the_menu_and_downloads_it(page, db):
    """The auditor's 审计日志: its jurisdiction's orders in words, no other unit's, and the
    trail as a download (screenshots in /tmp/trust-auditor-*.png, looked at)."""
    from tests.journeys.helpers import follow_menu

    admin = factories.user("admin")
    near = factories.order(buyer=factories.user("purchaser", organization=factories.org(
        "budget_unit", name="拉萨市实验小学", region_code="540102")), status="shipped")
    far = factories.order(buyer=factories.user("purchaser", organization=factories.org(
        "budget_unit", name="林芝市某医院", region_code="540402")), status="shipped")
    for order in (near, far):
        record("order.shipped", order, actor=admin, detail={"from": "confirmed", "to": "shipped"})
    auditor = factories.user("auditor", organization=factories.org(
        "audit_office", name="拉萨市审计局", region_code="540100"))
    db.session.commit()

    log_in(page, auditor)
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto("/")
        follow_menu(page, "审计日志")
        table = page.locator("table.audit tbody")
        assert f"发货了订单「{near.number}」" in table.inner_text()
        assert far.number not in table.inner_text()
        page.screenshot(path=f"/tmp/trust-auditor-{size['width']}.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
