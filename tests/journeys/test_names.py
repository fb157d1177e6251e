"""Journey: an auditor reads the overview by region names and narrows it to a prefecture by
choosing its name; the quota report downloaded from the reports page speaks Chinese."""
import csv
import io

import pytest

from tests import factories
from tests.compliance.helpers import filing
from tests.compliance.test_pages import YEAR
from tests.journeys.helpers import log_in, shoot

pytestmark = pytest.mark.browser
SHOTS = "/tmp/names-{}-{}.png"


def test_an_auditor_filters_by_region_name_and_downloads_a_report_in_chinese(page, db):
    lhasa = factories.org("budget_unit", name="拉萨市实验小学", region_code="540102")
    nyingchi = factories.org("budget_unit", name="林芝市第一中学", region_code="540402")
    filing(lhasa, year=YEAR, budget_fen=260_000_000)
    filing(nyingchi, year=YEAR, budget_fen=100_000)
    auditor = factories.user("auditor", name="赵审计")
    db.session.commit()

    log_in(page, auditor)
    page.goto(f"/quota/overview?year={YEAR}")
    assert page.locator("[data-testid=quota-table] >> text=西藏自治区拉萨市城关区").count() == 1
    page.select_option("select[name=region]", label="西藏自治区林芝市")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("[data-testid=quota-table] >> text=林芝市第一中学")
    assert page.locator("[data-testid=quota-table] >> text=拉萨市实验小学").count() == 0
    shoot(page, SHOTS, "overview")

    page.goto(f"/reports/?year={YEAR}")
    with page.expect_download() as download:
        page.click("[data-testid=download-quota-csv]")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    header, *rows = list(csv.reader(io.StringIO(text.split("\r\n\r\n")[0])))
    assert header[:3] == ["单位编号", "单位名称", "地区"]
    lhasa_row = next(row for row in rows if row and row[1] == "拉萨市实验小学")
    assert lhasa_row[2] == "西藏自治区拉萨市城关区" and lhasa_row[4] == "2,600,000.00"
