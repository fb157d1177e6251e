"""Journey: a unit manager files the reserved share; a canteen's Tibet-local order is shipped and
accepted; the manager's dashboard and the auditor's overview show the new figure and status.

Ordering's pages are built on another branch, so the order is written with the factories and
moved through shipped → accepted on the tables (as ordering's services would).
"""
import pytest

from marketplace.timeutil import utcnow
from tests import factories
from tests.journeys.helpers import follow_menu, log_in, log_out

pytestmark = pytest.mark.browser


def test_filing_then_an_accepted_tibetan_order_shows_on_both_dashboards(page, db):
    unit = factories.org("budget_unit", name="拉萨市实验小学", region_code="540102")
    manager = factories.user("unit_manager", organization=unit, name="次仁主任")
    purchaser = factories.user("purchaser", organization=unit, name="卓玛采购")
    auditor = factories.user("auditor", name="赵审计")
    mushrooms = factories.product(name="林芝松茸", price_fen=12_800, origin_region_code="540402")
    db.session.commit()

    # The manager files: budget ¥100,000 at the default 10% → reserved ¥10,000.00.
    log_in(page, manager)
    follow_menu(page, "预留份额")
    page.wait_for_selector("[data-testid=quota-summary] >> text=未填报")
    page.click("[data-testid=file-now]")
    page.select_option("select[name=canteen_status]", "own")
    page.fill("input[name=food_budget]", "100000")
    page.click("[data-testid=submit-filing]")
    page.wait_for_selector("text=已提交第 1 版填报，预留金额 ¥10,000.00")
    page.goto("/quota/")
    assert page.inner_text("[data-testid=quota-completed]") == "¥0.00"
    assert page.inner_text("[data-testid=quota-reserved]") == "¥10,000.00"
    log_out(page)

    # The purchaser orders 100 斤 of Nyingchi matsutake; the cooperative ships; it is accepted.
    order = factories.order(purchaser, lines=[(mushrooms, 100)], status="shipped",
                            purpose="canteen", shipped_at=utcnow())
    db.session.commit()
    log_in(page, manager)
    page.goto("/quota/")
    assert page.inner_text("[data-testid=quota-in-progress]") == "¥12,800.00"
    order.status, order.accepted_at = "accepted", utcnow()
    order.lines[0].accepted_quantity = 100
    db.session.commit()

    page.goto("/quota/")
    assert page.inner_text("[data-testid=quota-completed]") == "¥12,800.00"
    assert page.inner_text("[data-testid=quota-in-progress]") == "¥0.00"
    assert page.inner_text("[data-testid=quota-rate]") == "128.00%"
    assert page.inner_text("[data-testid=quota-summary] .badge") == "已完成"
    assert "林芝松茸" in page.inner_text("[data-testid=quota-lines]")
    page.screenshot(path="/tmp/compliance-dashboard.png", full_page=True)
    log_out(page)

    # The auditor's overview: one unit filed and met, with the new figure; drill down to lines.
    log_in(page, auditor)
    follow_menu(page, "份额总览")
    assert page.inner_text("[data-testid=count-met] strong") == "1"
    row = page.locator("[data-testid=quota-table] tr", has_text="拉萨市实验小学")
    assert "¥12,800.00" in row.inner_text() and "已完成" in row.inner_text()
    # On the phone each unit is a card of labelled figures: nothing to scroll sideways.
    assert page.evaluate("""(() => { const box = document.querySelector(
        '[data-testid=quota-table]').parentElement; return box.scrollWidth <= box.clientWidth; })()""")
    assert page.evaluate("""getComputedStyle(document.querySelector(
        '[data-testid=quota-table] td[data-label]'), '::before').content""") == '"地区"'
    page.screenshot(path="/tmp/compliance-overview.png", full_page=True)
    row.locator("a").click()
    page.wait_for_selector("[data-testid=quota-lines] >> text=林芝松茸")
    assert page.inner_text("[data-testid=lines-total]") == "¥12,800.00"
