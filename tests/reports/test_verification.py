"""Verifying an earlier CSV export: unaltered, altered, trailer cut off, or not ours."""
import io

import pytest

from marketplace.audit.models import AuditEntry
from marketplace.reports.models import ReportExport
from tests.helpers import login
from tests.reports.helpers import YEAR, auditor_of, build_world


@pytest.fixture
def exported(client, db):
    """(auditor, CSV bytes) of a quota export downloaded from the reports page."""
    world = build_world()
    auditor = auditor_of(world.tibet_office)
    login(client, auditor)
    response = client.get(f"/reports/quota/{YEAR}.csv")
    assert response.status_code == 200
    return auditor, response.data


def upload(post_form, data, name="report.csv"):
    return post_form("/reports/verify", {"file": (io.BytesIO(data), name)},
                     content_type="multipart/form-data")


def test_an_unaltered_export_is_recognised_with_its_details(client, post_form, exported):
    auditor, data = exported
    response = upload(post_form, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    export = ReportExport.query.one()
    assert "文件未被改动" in page
    assert export.token in page and export.sha256 in page
    assert auditor.name in page
    # What the file is, in words: no kind or format code, no key=value filters.
    assert f"{YEAR} 年度 · 预留份额完成情况 · CSV" in page
    filters = page.split('data-testid="verify-export-filters">')[1].split("</dd>")[0]
    assert "quota ·" not in page and "=" not in filters and filters.startswith("无")
    entry = AuditEntry.query.filter_by(action="report.verify").one()
    assert entry.detail["outcome"] == "unaltered" and entry.actor_id == auditor.id


def test_line_endings_changed_by_a_transfer_do_not_count_as_alteration(client, post_form, exported):
    _, data = exported
    response = upload(post_form, data.replace(b"\r\n", b"\n"))
    assert "文件未被改动" in response.get_data(as_text=True)


def test_a_changed_amount_is_reported_as_altered(client, post_form, exported):
    _, data = exported
    text = data.decode("utf-8-sig")
    first_data_line = text.split("\r\n")[1]
    cells = first_data_line.split(",")
    cells[7] = "999999.00"  # completed
    tampered = text.replace(first_data_line, ",".join(cells), 1)
    response = upload(post_form, ("\ufeff" + tampered).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "文件已被改动" in page
    assert ReportExport.query.one().token in page


def test_a_file_without_its_trailer_is_still_found_by_its_digest(client, post_form, exported):
    _, data = exported
    rows_only = data.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    response = upload(post_form, rows_only)
    assert "文件未被改动" in response.get_data(as_text=True)


@pytest.mark.parametrize("data", [
    "\ufeffname,amount\r\n松茸,12.00\r\n".encode(),
    b"\x89PNG\r\n\x1a\n\x00\x00\x00binary",
    b"",
])
def test_a_file_that_is_not_ours_gets_a_clear_message(client, post_form, exported, data):
    response = upload(post_form, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "这不是本平台导出的文件" in page or "请选择一个 CSV" in page


def test_a_forged_trailer_naming_no_export_is_unknown(client, post_form, exported):
    _, data = exported
    forged = data.replace(ReportExport.query.one().token.encode(), b"0" * 32)
    forged = forged.replace(b"10,000.00", b"10,001.00")
    response = upload(post_form, forged)
    assert response.status_code == 422
    assert "找不到这次导出" in response.get_data(as_text=True)


def test_a_visitor_without_an_account_verifies_a_file(client, post_form, exported):
    _, data = exported
    with client.session_transaction() as session:
        session.clear()  # signed out: a bank officer, say
    assert client.get("/reports/verify").status_code == 200
    response = upload(post_form, data)
    assert response.status_code == 200
    assert "文件未被改动" in response.get_data(as_text=True)
    entry = AuditEntry.query.filter_by(action="report.verify").one()
    assert entry.actor_id is None and entry.detail["outcome"] == "unaltered"


def test_a_file_over_the_upload_limit_is_refused_with_a_message(app, client, post_form, exported):
    _, data = exported
    original = app.config["MAX_UPLOAD_BYTES"]
    app.config["MAX_UPLOAD_BYTES"] = len(data) - 1
    try:
        response = upload(post_form, data)
    finally:
        app.config["MAX_UPLOAD_BYTES"] = original
    assert response.status_code == 413
    assert "无法在此核验" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [f"/reports/quota/{YEAR}.xlsx", f"/reports/ledger/{YEAR}.xlsx"])
def test_an_excel_export_is_verified_too(client, post_form, exported, path):
    data = client.get(path).data
    response = upload(post_form, data, "report.xlsx")
    page = response.get_data(as_text=True)
    export = ReportExport.query.filter_by(format="xlsx").one()
    assert response.status_code == 200, page
    assert "文件未被改动" in page and export.token in page


def test_an_edited_spreadsheet_is_reported_as_altered(client, post_form, exported):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get(f"/reports/quota/{YEAR}.xlsx").data))
    sheet = workbook["quota"]
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "单位编号")
    sheet.cell(row=header + 1, column=8).value = 999999  # completed
    edited = io.BytesIO()
    workbook.save(edited)
    response = upload(post_form, edited.getvalue(), "report.xlsx")
    assert response.status_code == 200
    assert "文件已被改动" in response.get_data(as_text=True)


def test_a_workbook_that_is_not_ours_gets_a_clear_message(client, post_form, exported):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["unit_id", "unit_name"])
    foreign = io.BytesIO()
    workbook.save(foreign)
    response = upload(post_form, foreign.getvalue(), "theirs.xlsx")
    assert response.status_code == 422
    assert "这不是本平台导出的文件" in response.get_data(as_text=True)
    response = upload(post_form, b"PK\x03\x04 not really a zip", "broken.xlsx")
    assert response.status_code == 422
