"""Quota reports as CSV, Excel and PDF: the API's rows, in scope, with their integrity data."""
import hashlib
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from marketplace.audit.models import AuditEntry
from marketplace.reports.models import ReportExport
from marketplace.reports.services import QUOTA_COLUMNS
from tests.helpers import bearer
from tests.reports.helpers import YEAR, auditor_of, build_world, csv_sections, manager_of


def api_rows(client, headers, query=""):
    """The rows and totals of GET /api/v1/quota/{year}/units with the same filters."""
    response = client.get(f"/api/v1/quota/{YEAR}/units?per_page=200&{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["total"] == len(body["items"])
    return body["items"], body["totals"]


def as_strings(row):
    return {key: "" if value is None else str(value) for key, value in row.items()}


@pytest.fixture
def world(db):
    return build_world()


def test_csv_has_the_api_rows_of_the_auditors_jurisdiction(client, world):
    auditor = auditor_of(world.tibet_office)
    headers = bearer(auditor)
    response = client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, rows, trailer = csv_sections(response.data)
    assert header == list(QUOTA_COLUMNS)
    expected, totals = api_rows(client, headers)
    assert rows == [as_strings(row) for row in expected]
    names = {row["unit_name"] for row in rows}
    assert "北京某学校食堂" not in names and "自治区农业农村厅" in names
    assert trailer["rows"] == str(len(rows))
    assert trailer["total_completed"] == totals["completed"]
    assert trailer["total_reserved"] == totals["reserved"]


def test_csv_digest_matches_its_rows_the_log_and_the_audit_trail(client, world):
    auditor = auditor_of(world.tibet_office)
    response = client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys&status=not_filed",
                          headers=bearer(auditor))
    raw = response.data.decode("utf-8-sig")
    data_part = raw.split("\r\n\r\n", 1)[0] + "\r\n"
    _, rows, trailer = csv_sections(response.data)
    assert trailer["sha256"] == hashlib.sha256(data_part.encode()).hexdigest()
    assert trailer["filters"] == "parent_id=;region=;status=not_filed"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", trailer["generated_at"])
    export = ReportExport.query.filter_by(token=trailer["export_id"]).one()
    assert (export.sha256, export.row_count, export.kind, export.format) == \
        (trailer["sha256"], len(rows), "quota", "csv")
    assert export.user_id == auditor.id
    actions = {entry.action: entry for entry in AuditEntry.query.filter_by(
        object_type="report_exports", object_id=str(export.id))}
    assert actions["report.export"].detail["filters"]["status"] == "not_filed"
    assert actions["report.export_completed"].detail["sha256"] == export.sha256
    assert actions["report.export"].actor_id == auditor.id


def test_an_auditor_never_gets_rows_outside_its_jurisdiction(client, world):
    auditor = auditor_of(world.nyingchi_office)
    headers = bearer(auditor)
    _, rows, _ = csv_sections(client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys", headers=headers).data)
    assert [row["unit_name"] for row in rows] == ["林芝市巴宜区第一中学"]
    # A wider region is narrowed to the jurisdiction, never widened.
    _, rows, _ = csv_sections(client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys&region=54",
                                         headers=headers).data)
    assert [row["unit_name"] for row in rows] == ["林芝市巴宜区第一中学"]
    for query in ("region=110000", "region=5401", f"parent_id={world.beijing_unit.id}",
                  f"parent_id={world.root.id}"):
        response = client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys&{query}", headers=headers)
        assert response.status_code == 403, query
        assert response.get_json()["error"]["code"] == "forbidden"
    assert ReportExport.query.count() == 2


def test_parent_filter_covers_the_subtree_and_a_unit_manager_only_its_own(client, world):
    auditor = auditor_of(world.tibet_office)
    _, rows, _ = csv_sections(client.get(
        f"/api/v1/quota/{YEAR}/report.csv?header=keys&parent_id={world.root.id}",
        headers=bearer(auditor)).data)
    assert {row["unit_name"] for row in rows} == {"自治区农业农村厅", "拉萨农业技术推广站",
                                                   "林芝市巴宜区第一中学"}
    manager = manager_of(world.lhasa_child)
    headers = bearer(manager)
    _, rows, _ = csv_sections(client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys", headers=headers).data)
    assert [row["unit_name"] for row in rows] == ["拉萨农业技术推广站"]
    response = client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys&parent_id={world.root.id}",
                          headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["purchaser", "supplier_staff"])
def test_other_roles_may_not_export_the_quota_report(client, world, role):
    from tests import factories

    user = factories.user(role)
    response = client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys", headers=bearer(user))
    assert response.status_code == 403
    assert ReportExport.query.count() == 0


@pytest.mark.parametrize("path, status, code", [
    ("/api/v1/quota/1900/report.csv?header=keys", 422, "validation_error"),
    (f"/api/v1/quota/{YEAR}/report.doc", 404, "not_found"),
    (f"/api/v1/quota/{YEAR}/report.csv?header=keys&status=great", 422, "validation_error"),
    (f"/api/v1/quota/{YEAR}/report.csv?header=keys&region=abc", 422, "validation_error"),
    (f"/api/v1/quota/{YEAR}/report.csv?header=keys&parent_id=x", 422, "validation_error"),
    (f"/api/v1/quota/{YEAR}/report.csv?header=keys&parent_id=99999", 404, "not_found"),
])
def test_bad_parameters_get_a_clear_error_and_log_nothing(client, world, path, status, code):
    auditor = auditor_of(world.tibet_office)
    response = client.get(path, headers=bearer(auditor))
    assert response.status_code == status
    body = response.get_json()
    assert body["error"]["code"] == code and body["error"]["message"]
    assert ReportExport.query.count() == 0


def test_without_a_token_the_report_needs_authentication(client, world):
    assert client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys").status_code == 401


def test_excel_has_formatted_rows_totals_and_the_same_digest_as_the_csv(client, world):
    auditor = auditor_of(world.tibet_office)
    headers = bearer(auditor)
    response = client.get(f"/api/v1/quota/{YEAR}/report.xlsx?header=keys", headers=headers)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook["quota"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_at = values.index(list(QUOTA_COLUMNS))
    assert "年度" in values[0][0] and str(YEAR) in values[0][0]
    assert sheet.freeze_panes == f"A{header_at + 2}"
    expected, totals = api_rows(client, headers)
    data = values[header_at + 1: header_at + 1 + len(expected)]
    for got, want in zip(data, expected):
        assert got[0] == want["unit_id"] and got[1] == want["unit_name"]
        for column in ("reserved", "completed", "in_progress", "food_budget"):
            index = QUOTA_COLUMNS.index(column)
            assert (None if got[index] is None else f"{got[index]:.2f}") == want[column]
        assert got[QUOTA_COLUMNS.index("status")] == want["status"]
        assert got[QUOTA_COLUMNS.index("exception_status")] == want["exception_status"]
    rate_cell = sheet.cell(row=header_at + 2, column=QUOTA_COLUMNS.index("completion_rate") + 1)
    assert rate_cell.number_format == "0.00%"
    money_cell = sheet.cell(row=header_at + 2, column=QUOTA_COLUMNS.index("reserved") + 1)
    assert money_cell.number_format == "#,##0.00"
    status_cell = sheet.cell(row=header_at + 2, column=QUOTA_COLUMNS.index("status") + 1)
    assert status_cell.fill.fgColor.rgb.endswith(("C8E6C9", "BBDEFB", "FFE0B2", "FFCDD2",
                                                  "E0E0E0", "ECEFF1"))
    total_row = values[header_at + 1 + len(expected)]
    assert "合计" in total_row[0]
    assert f"{total_row[QUOTA_COLUMNS.index('completed')]:.2f}" == totals["completed"]
    info = dict(workbook["export_info"].iter_rows(values_only=True))
    _, _, trailer = csv_sections(client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys",
                                            headers=headers).data)
    assert info["sha256"] == trailer["sha256"]
    assert info["rows"] == str(len(expected))
    assert ReportExport.query.filter_by(token=info["export_id"]).one().sha256 == info["sha256"]


def _pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "".join(re.sub(r"[\s\x00]+", "", page.extract_text()) for page in reader.pages)


def test_pdf_has_title_summary_rows_and_digest_in_chinese(client, world):
    auditor = auditor_of(world.tibet_office)
    headers = bearer(auditor)
    response = client.get(f"/api/v1/quota/{YEAR}/report.pdf", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert len(response.data) < 400_000, "the CJK font is subset"
    reader, text = _pdf_text(response.data)
    expected, totals = api_rows(client, headers)
    assert f"{YEAR}年度食堂食材预留份额完成情况" in text
    assert "范围：西藏自治区" in text
    for row in expected:
        assert row["unit_name"] in text
        assert f"{Decimal(row['completed']):,.2f}" in text
    assert f"{totals['completed']}" in text.replace(",", "")
    export = ReportExport.query.filter_by(format="pdf").one()
    assert export.sha256 in text and export.token in text
    fonts = str(reader.pages[0]["/Resources"]["/Font"])
    assert "/F" in fonts


def test_pdf_repeats_the_table_header_on_every_page(client, db):
    from tests import factories
    from tests.compliance.helpers import filing

    office = factories.org("audit_office", region_code="540000")
    parent = factories.org("budget_unit", name="上级单位", region_code="540102")
    for number in range(50):
        unit = factories.org("budget_unit", name=f"下级单位{number:03d}", region_code="540102",
                             parent=parent)
        filing(unit, YEAR, budget_fen=1_000_000 + number)
    auditor = auditor_of(office)
    response = client.get(f"/api/v1/quota/{YEAR}/report.pdf", headers=bearer(auditor))
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        text = re.sub(r"[\s\x00]+", "", page.extract_text())
        assert "单位名称" in text and "完成率" in text
    last = re.sub(r"[\s\x00]+", "", reader.pages[-1].extract_text())
    assert "下级单位049" in "".join(re.sub(r"[\s\x00]+", "", p.extract_text()) for p in reader.pages)
    assert f"{len(reader.pages)}/{len(reader.pages)}" in last


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_first_page_renders_to_an_image(client, world, tmp_path):
    auditor = auditor_of(world.tibet_office)
    response = client.get(f"/api/v1/quota/{YEAR}/report.pdf", headers=bearer(auditor))
    source = tmp_path / "report.pdf"
    source.write_bytes(response.data)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    image = next(tmp_path.glob("page*.png"))
    from PIL import Image

    with Image.open(image) as picture:
        assert picture.width > picture.height  # landscape A4
        colours = picture.convert("RGB").getcolors(maxcolors=1_000_000)
        assert len(colours) > 10  # text, chart bars and table lines, not a blank page


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_without_the_configured_font_the_pdf_embeds_a_shipped_one(app, client, world, tmp_path):
    """A new machine without fonts-noto-cjk: the report is still made, its Chinese text is
    extractable and drawn by the font embedded in the file (no font of the machine needed)."""
    auditor = auditor_of(world.tibet_office)
    configured = app.config["REPORTS_CJK_FONT"]
    app.config["REPORTS_CJK_FONT"] = str(tmp_path / "missing" / "NotoSansCJK-Regular.ttc")
    try:
        response = client.get(f"/api/v1/quota/{YEAR}/report.pdf",
                              headers=bearer(auditor))
    finally:
        app.config["REPORTS_CJK_FONT"] = configured
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))
    assert "食堂食材预留份额完成情况" in text and "西藏自治区" in text
    assert "单位数" in text and "关于本报表" in text
    fonts = {str(font) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()
             for font in [font.get_object()["/BaseFont"]]}
    assert any("NotoSansSC" in font for font in fonts), fonts
    assert ReportExport.query.count() == 1
    # Rendered without any CJK font of the machine: poppler draws the embedded glyphs.
    source = tmp_path / "report.pdf"
    source.write_bytes(response.data)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(source),
                    str(tmp_path / "page")], check=True, timeout=60,
                   env={"PATH": "/usr/bin:/bin", "FONTCONFIG_FILE": "/dev/null"})
    from PIL import Image

    with Image.open(next(tmp_path.glob("page*.png"))) as picture:
        assert len(picture.convert("RGB").getcolors(maxcolors=1_000_000)) > 10


@pytest.mark.parametrize("query", ["region=540400", "region=540100", "status=behind",
                                   "status=exempt", "parent_id={root}",
                                   "parent_id={root}&region=540100&status=behind"])
def test_every_filter_gives_the_rows_and_totals_of_the_api(client, world, query):
    query = query.format(root=world.root.id)
    headers = bearer(auditor_of(world.tibet_office))
    expected, totals = api_rows(client, headers, query)
    _, rows, trailer = csv_sections(
        client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys&{query}", headers=headers).data)
    assert rows == [as_strings(row) for row in expected]
    assert {key: trailer[f"total_{key}"] for key in totals} == totals
    workbook = load_workbook(io.BytesIO(
        client.get(f"/api/v1/quota/{YEAR}/report.xlsx?header=keys&{query}", headers=headers).data))
    values = list(workbook["quota"].iter_rows(values_only=True))
    header_at = values.index(tuple(QUOTA_COLUMNS))
    assert [row[0] for row in values[header_at + 1: header_at + 1 + len(expected)]] == \
        [row["unit_id"] for row in expected]


def test_the_excel_file_is_a_well_formed_package(client, world):
    import zipfile
    from xml.etree import ElementTree

    auditor = auditor_of(world.tibet_office)
    response = client.get(f"/api/v1/quota/{YEAR}/report.xlsx?header=keys", headers=bearer(auditor))
    package = zipfile.ZipFile(io.BytesIO(response.data))
    assert package.testzip() is None
    names = package.namelist()
    for name in names:
        ElementTree.fromstring(package.read(name))  # every part is well-formed XML
    types = package.read("[Content_Types].xml").decode()
    for name in names:
        if name.startswith("xl/worksheets/"):
            assert f'PartName="/{name}"' in types
    assert {"xl/workbook.xml", "xl/styles.xml", "_rels/.rels"} <= set(names)


def test_an_admin_exports_every_unit_and_the_pdf_names_the_scope(client, world):
    from tests import factories

    admin = factories.user("admin")
    headers = bearer(admin)
    expected, _totals = api_rows(client, headers)
    _, rows, trailer = csv_sections(client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys",
                                               headers=headers).data)
    assert len(rows) == len(expected) == 4 and "北京某学校食堂" in {r["unit_name"] for r in rows}
    assert trailer["scope"] == "全部单位"
    _, text = _pdf_text(client.get(f"/api/v1/quota/{YEAR}/report.pdf?region=110000",
                                   headers=headers).data)
    assert "范围：全部单位" in text and "筛选条件：地区为北京市" in text and "北京某学校食堂" in text
    assert "自治区农业农村厅" not in text


def test_names_that_look_like_formulas_are_defused_in_csv_and_excel(client, db):
    from tests import factories
    from tests.compliance.helpers import filing

    office = factories.org("audit_office", region_code="540000")
    unit = factories.org("budget_unit", name='=HYPERLINK("http://evil.example","点我")',
                         region_code="540102")
    filing(unit, YEAR)
    headers = bearer(auditor_of(office))
    _, rows, _ = csv_sections(client.get(f"/api/v1/quota/{YEAR}/report.csv?header=keys", headers=headers).data)
    assert rows[0]["unit_name"] == "'" + unit.name
    workbook = load_workbook(io.BytesIO(
        client.get(f"/api/v1/quota/{YEAR}/report.xlsx?header=keys", headers=headers).data))
    values = list(workbook["quota"].iter_rows(values_only=True))
    cell = values[values.index(tuple(QUOTA_COLUMNS)) + 1][1]
    assert cell == "'" + unit.name  # text, never a formula
