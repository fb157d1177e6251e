"""The Excel writer (XlsxWriter, constant memory): exact numbers, no temporary file left behind."""
import io
import zipfile

from openpyxl import load_workbook

from marketplace.reports.writers.xlsx_export import write_xlsx
from tests.reports.helpers import YEAR, auditor_of, build_world


def test_money_is_stored_from_its_exact_text_never_through_a_float(tmp_path):
    target = tmp_path / "exact.xlsx"
    write_xlsx(str(target), columns=["name", "amount"], kinds=["name", "money"],
               rows=[["松茸", "9.20"], ["=cmd()", "-0.50"]], title_lines=["t"],
               finish=lambda count, sha256: [("rows", count)], totals={"amount": "8.70"},
               tmpdir=tmp_path)
    with zipfile.ZipFile(target) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>9.20</v>" in sheet and "9.199999" not in sheet
    workbook = load_workbook(target)
    values = [list(row) for row in workbook["report"].iter_rows(values_only=True)]
    assert values[3:] == [["松茸", 9.2], ["'=cmd()", -0.5], ["合计 Total", 8.7]]
    assert workbook["report"]["B4"].number_format == "#,##0.00"


def test_an_excel_download_leaves_no_temporary_file(client, db, app, login_as, tmp_path,
                                                    monkeypatch):
    world = build_world()
    exports_dir = tmp_path / "exports"
    exports_dir.mkdir()
    monkeypatch.setitem(app.config, "REPORTS_TMPDIR", str(exports_dir))
    login_as(auditor_of(world.tibet_office))
    response = client.get(f"/reports/ledger/{YEAR}.xlsx")
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert load_workbook(io.BytesIO(response.data)).sheetnames[-1] == "export_info"
    response.close()
    assert list(exports_dir.iterdir()) == []
