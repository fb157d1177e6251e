"""Journey: the auditor asks for the year's ledger in Excel; it is queued, a real worker writes
it while the page follows it (its script polls the status), the page offers the file, the
notification links it, and the download carries the digest the page shows."""
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from marketplace.jobs import queue
from tests.jobs.helpers import start_jobs, stop
from tests import factories
from tests.journeys.helpers import follow_menu, log_in
from tests.reports.helpers import YEAR, build_world

pytestmark = pytest.mark.browser


def test_the_auditor_asks_for_the_ledger_watches_it_and_downloads_it(
        page, app, db, redis_url, tmp_path, monkeypatch):
    for key, value in {"JOBS_BACKEND": "rq", "REDIS_URL": redis_url, "EXPORTS_QUEUE_ROWS": 0,
                       "EXPORTS_DIR": str(tmp_path / "exports")}.items():
        monkeypatch.setitem(app.config, key, value)
    queue.redis_connection().flushall()
    world = build_world()
    auditor = factories.user("auditor", organization=world.tibet_office)
    db.session.commit()

    log_in(page, auditor)
    follow_menu(page, "报表")
    page.select_option("select[name=year]", str(YEAR))
    page.click("[data-testid=apply-filters]")
    page.click("[data-testid=download-ledger-xlsx]")
    # No worker yet: the export waits in the queue, and the page says so.
    expect(page.locator("[data-testid=export-state]")).to_contain_text("已排队")
    expect(page.locator("[data-testid=export-progress]")).to_be_visible()
    page.screenshot(path=str(tmp_path / "export-queued.png"), full_page=True)

    worker = start_jobs(app, EXPORTS_DIR=app.config["EXPORTS_DIR"])
    try:
        # The page's script polls the status and shows the file once it is ready.
        expect(page.locator("[data-testid=export-download]")).to_be_visible(timeout=60000)
    finally:
        stop(worker)
    expect(page.locator("[data-testid=export-state]")).to_contain_text("已生成")
    page.screenshot(path=str(tmp_path / "export-ready.png"), full_page=True)
    digest = page.inner_text("code.digest")
    with page.expect_download() as download_info:
        page.click("[data-testid=export-download]")
    book = load_workbook(io.BytesIO(download_info.value.path().read_bytes()), read_only=True)
    assert dict(book["export_info"].iter_rows(values_only=True))["sha256"] == digest
    book.close()

    # The notification links the same page; the history lists the file as ready.
    page.goto("/notifications")
    page.click("text=台账")
    expect(page.locator("[data-testid=export-download]")).to_be_visible()
    page.click("text=导出记录")
    expect(page.locator("[data-testid=export-files] tbody tr")).to_have_count(1)
    expect(page.locator("[data-testid=export-files]")).to_contain_text("可下载")
