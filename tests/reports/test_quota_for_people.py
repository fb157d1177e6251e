"""The quota report a person opens: Chinese headers and values, regions by name, money with
separators; no region code, field key or fen amount in the table or anywhere in the PDF."""
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from marketplace.reports.services import QUOTA_COLUMNS
from tests.helpers import bearer
from tests.reports.helpers import YEAR, auditor_of, build_world, csv_sections

PEOPLE_HEADER = ["单位编号", "单位名称", "地区", "食堂情况", "食材预算（元）", "预留比例",
                 "预留金额（元）", "已完成（元）", "在途（元）", "完成率", "状态", "比例例外"]
CODES = ("540102", "540402", "540000", "5401", "5404")
STATUS_KEYS = ("met", "on_track", "behind", "not_met", "not_filed", "exempt", "pending",
               "own", "outsourced", "none")


@pytest.fixture
def world(db):
    return build_world()


def leaks(text):
    """Codes, field keys and fen-style amounts (a bare number of 4+ digits) found in `text`."""
    found = [code for code in CODES if code in text]
    found += [key for key in QUOTA_COLUMNS + STATUS_KEYS
              if re.search(rf"(?<![A-Za-z_]){key}(?![A-Za-z_])", text)]
    found += re.findall(r"(?<![\d,.])\d{4,}(?:\.\d+)?(?![\d,])", text)
    return found


def test_the_csv_speaks_chinese_with_names_and_separators(client, world):
    headers = bearer(auditor_of(world.tibet_office))
    data = client.get(f"/api/v1/quota/{YEAR}/report.csv", headers=headers).data
    header, rows, _trailer = csv_sections(data)
    assert header == PEOPLE_HEADER
    root = next(row for row in rows if row["单位名称"] == "自治区农业农村厅")
    assert root["地区"] == "西藏自治区拉萨市城关区"
    assert root["预留金额（元）"] == "10,000.00" and root["食材预算（元）"] == "100,000.00"
    assert root["预留比例"] == "10.00%" and root["状态"] in ("进度落后", "进度正常", "已完成")
    assert root["完成率"].endswith("%")
    canteenless = next(row for row in rows if row["单位名称"] == "林芝市巴宜区第一中学")
    assert canteenless["食堂情况"] == "无食堂" and canteenless["地区"].endswith("巴宜区")
    table = data.decode("utf-8-sig").split("\r\n\r\n", 1)[0]
    assert leaks(table) == []


def test_header_keys_keeps_the_machine_columns(client, world):
    headers = bearer(auditor_of(world.tibet_office))
    data = client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys", headers=headers).data
    header, rows, _ = csv_sections(data)
    assert header == list(QUOTA_COLUMNS)
    assert {row["region_code"] for row in rows} == {"540102", "540402"}
    assert "10000.00" in {row["reserved"] for row in rows}


def test_the_excel_file_has_chinese_columns_and_formatted_numbers(client, world):
    auditor = auditor_of(world.tibet_office)
    headers = bearer(auditor)
    workbook = load_workbook(io.BytesIO(
        client.get(f"/api/v1/quota/{YEAR}/report.xlsx", headers=headers).data))
    sheet = workbook["quota"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    at = values.index(PEOPLE_HEADER)
    first = values[at + 1]
    assert first[2].startswith("西藏自治区") and first[10] in ("进度落后", "进度正常", "已完成",
                                                             "未填报", "免于考核")
    reserved = sheet.cell(row=at + 2, column=7)
    assert reserved.number_format == "#,##0.00" and isinstance(reserved.value, (int, float))
    texts = " ".join(str(cell) for row in values[: at + 4] for cell in row
                     if isinstance(cell, str))
    # (The exporting user's name is the factory's "auditor 1234".)
    assert leaks(texts.replace(str(YEAR), "").replace(auditor.name, "")) == []


def test_the_pdf_reads_as_sentences_end_to_end(client, world):
    auditor = auditor_of(world.tibet_office)
    headers = bearer(auditor)
    response = client.get(f"/api/v1/quota/{YEAR}/report.pdf?region=5401", headers=headers)
    reader = PdfReader(io.BytesIO(response.data))
    pages = [page.extract_text() for page in reader.pages]
    text = re.sub(r"[\s\x00]+", "", "".join(pages))
    assert "筛选条件：地区为西藏自治区拉萨市" in text
    assert "10,000.00" in text and "西藏自治区拉萨市城关区" in text
    assert "本报表由" in text and "完整性校验码（SHA-256）为" in text
    # The export code and digest are hexadecimal: everything else is read by people.
    # (The exporting user's name is the factory's "auditor 1234".)
    without_hashes = re.sub(r"[0-9a-f]{32,64}", "", text.replace(auditor.name.replace(" ", ""), ""))
    assert leaks(without_hashes.replace(str(YEAR), "")) == []


def test_a_completed_order_and_a_met_quota_read_alike_in_english(client, db, login_as):
    """One word for 已完成 in English wherever it appears (never "Met" beside "Done")."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from marketplace.reports.charts import status_label

    with force_locale("en"):
        assert _("已完成") == "Completed" == status_label("met")
        assert status_label("exempt") == "Exempt"
