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


def test_rows_written_as_xml_read_back_as_the_cells_xlsxwriter_would_write(tmp_path):
    """The fast rows (whole rows as XML) hold what XlsxWriter's own cell methods would: text
    escaped and with its spaces, characters XML cannot carry dropped, formulas defused, numbers
    from their text, and a second sheet once a sheet is full."""
    from tests.reports import xlsx_reference

    columns = ["name", "quantity", "amount", "shipped_at"]
    kinds = ["name", "int", "money", "time"]
    rows = [["A & <B> 合作社", 3, "12.50", "2026-03-05T10:00:00+08:00"],
            ["  leading and trailing  ", None, "-0.05", ""],
            ["=HYPERLINK(\"x\")", 7, "not money", None],
            ["bell\x07 and \x1f gone", 0, "0.00", "2026-12-31T23:59:59+08:00"]]
    for writer, name in ((write_xlsx, "fast.xlsx"), (xlsx_reference.write_xlsx, "slow.xlsx")):
        writer(str(tmp_path / name), columns=columns, kinds=kinds, rows=rows,
               title_lines=["标题", "范围"], finish=lambda count, sha256: [("rows", count)],
               totals={"amount": "12.45"}, rows_per_sheet=3, tmpdir=tmp_path)
    fast, slow = (load_workbook(tmp_path / name) for name in ("fast.xlsx", "slow.xlsx"))
    assert fast.sheetnames == slow.sheetnames == ["report", "report (2)", "export_info"]
    for name in fast.sheetnames:
        assert [list(row) for row in fast[name].iter_rows(values_only=True)] == \
            [list(row) for row in slow[name].iter_rows(values_only=True)], name
        assert [cell.number_format for row in fast[name].iter_rows() for cell in row] == \
            [cell.number_format for row in slow[name].iter_rows() for cell in row], name
    assert fast["report"]["A5"].value == "A & <B> 合作社"
    assert fast["report"]["A6"].value == "  leading and trailing  "
    assert fast["report"]["C5"].value == 12.5 and fast["report"]["C5"].number_format == "#,##0.00"
