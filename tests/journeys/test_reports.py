"""Journey: an auditor filters the quota report, downloads every format and verifies the CSV."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests import factories
from tests.journeys.helpers import follow_menu, log_in
from tests.reports.helpers import YEAR, build_world

pytestmark = pytest.mark.browser


def test_auditor_filters_downloads_each_format_and_verifies_the_csv(page, db, tmp_path):
    world = build_world()
    auditor = factories.user("auditor", organization=world.tibet_office)
    db.session.commit()

    log_in(page, auditor)

    follow_menu(page, "报表")
    page.select_option("select[name=year]", str(YEAR))
    page.select_option("select[name=parent_id]", label="自治区农业农村厅")
    page.select_option("select[name=status]", "behind")
    page.click("[data-testid=apply-filters]")
    page.wait_for_url(re.compile(r"status=behind"))
    units = int(page.inner_text("[data-testid=unit-count]"))
    assert units == 2
    # The page writes yuan as people do ("5,446.00"); the files' trailers as machines read them.
    completed_on_page = page.inner_text("[data-testid=total-completed]").replace(",", "")
    assert page.locator("svg.chart").count() == 2

    files = {}
    for fmt in ("csv", "xlsx", "pdf"):
        with page.expect_download() as download_info:
            page.click(f"[data-testid=download-quota-{fmt}]")
        target = tmp_path / f"report.{fmt}"
        download_info.value.save_as(target)
        files[fmt] = target

    text = files["csv"].read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    blank = rows.index([])
    assert len(rows[1:blank]) == units
    trailer = {row[0].lstrip("#"): row[1] for row in rows[blank + 1:]}
    assert trailer["total_completed"] == completed_on_page
    assert f"parent_id={world.root.id}" in trailer["filters"]
    assert "status=behind" in trailer["filters"]

    workbook = load_workbook(files["xlsx"])
    assert dict(workbook["export_info"].iter_rows(values_only=True))["sha256"] == trailer["sha256"]
    pdf_text = re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in
                                                PdfReader(str(files["pdf"])).pages))
    assert "拉萨农业技术推广站" in pdf_text and trailer["sha256"] in pdf_text

    with page.expect_download() as download_info:
        page.click("[data-testid=download-ledger-csv]")
    ledger = download_info.value.path().read_bytes().decode("utf-8-sig")
    ledger_rows = list(csv.reader(io.StringIO(ledger, newline="")))
    ledger_trailer = {row[0].lstrip("#"): row[1] for row in ledger_rows[ledger_rows.index([]) + 1:]}
    assert int(ledger_trailer["rows"]) == ledger_rows.index([]) - 1 > 0
    assert ledger_trailer["total_counted_amount"] == completed_on_page

    page.click("text=核验导出文件 >> nth=-1")
    page.set_input_files("input[type=file]", str(files["csv"]))
    page.click("[data-testid=verify-submit]")
    page.wait_for_selector("[data-testid=verify-result]")
    assert "文件未被改动" in page.inner_text("[data-testid=verify-result]")
    assert page.inner_text("[data-testid=verify-export-id]") == trailer["export_id"]

    tampered = tmp_path / "tampered.csv"
    tampered.write_bytes(files["csv"].read_bytes().replace(",进度落后".encode(), ",已完成".encode(), 1))
    page.set_input_files("input[type=file]", str(tampered))
    page.click("[data-testid=verify-submit]")
    page.wait_for_selector("text=文件已被改动")

    page.click("text=返回报表")
    page.click("text=导出记录")
    # click() does not wait for the new page to render; expect() retries until it has.
    expect(page.locator("[data-testid=export-history] tbody tr")).to_have_count(4)
