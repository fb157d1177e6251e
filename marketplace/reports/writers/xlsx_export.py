"""Excel exports in constant memory: openpyxl's write-only mode, written to a temporary file.

The data sheet has title rows, a frozen header row (the same column names as the CSV), number,
money and percentage formats, status cells coloured, and a totals row; an "export_info" sheet
carries the generation time, filters, row count and SHA-256 (the same digest as the CSV's).
"""
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from marketplace.reports.integrity import RowDigest

MAX_ROWS_PER_SHEET = 1_000_000  # Excel holds 1,048,576 rows a sheet; longer ledgers continue
FORMATS = {"money": "#,##0.00", "percent": "0.00%", "int": "0", "ratio": "0.00%"}
WIDTHS = {"money": 14, "percent": 11, "int": 9, "ratio": 9, "text": 16, "name": 28, "time": 22}
STATUS_FILLS = {
    "met": "C8E6C9", "on_track": "BBDEFB", "behind": "FFE0B2", "not_met": "FFCDD2",
    "not_filed": "E0E0E0", "exempt": "ECEFF1",
}


def _number(text):
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError, ValueError):
        return text


def _typed(kind, value):
    """The value a cell holds: numbers for numeric kinds (Decimal, never float), text otherwise."""
    if value is None or value == "":
        return None
    if kind in ("money", "percent", "ratio"):
        return _number(str(value))
    if kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return str(value)


class _Styles:
    def __init__(self):
        self.title = Font(bold=True, size=14)
        self.subtitle = Font(size=10, color="555555")
        self.header = Font(bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor="37474F")
        self.total = Font(bold=True)
        self.total_fill = PatternFill("solid", fgColor="ECEFF1")
        self.status_fills = {key: PatternFill("solid", fgColor=value)
                             for key, value in STATUS_FILLS.items()}


def write_xlsx(target, *, columns, kinds, rows, title_lines, finish, totals=None,
               status_column=None, sheet_title="report", rows_per_sheet=MAX_ROWS_PER_SHEET):
    """Write the workbook to `target` (a path or binary file) and return (row_count, sha256).

    :param kinds: one of "text", "name", "int", "money", "percent", "ratio", "time" per column.
    :param rows: an iterable of lists of cell texts (consumed once, lazily).
    :param finish: finish(row_count, sha256) → [(key, value)] written to the export_info sheet.
    :param totals: {column: value} or a callable returning it after the rows were read.
    :param status_column: the name of the column whose cells are coloured by status.
    """
    styles = _Styles()
    workbook = Workbook(write_only=True)
    digest = RowDigest()
    digest.header(columns)
    status_index = columns.index(status_column) if status_column else None
    sheets = []

    def new_sheet():
        number = len(sheets) + 1
        sheet = workbook.create_sheet(sheet_title if number == 1 else f"{sheet_title} ({number})")
        for index, kind in enumerate(kinds, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(kind, 14)
        sheet.freeze_panes = f"A{len(title_lines) + 3}"
        for line_number, line in enumerate(title_lines):
            cell = WriteOnlyCell(sheet, value=line)
            cell.font = styles.title if line_number == 0 else styles.subtitle
            sheet.append([cell])
        sheet.append([])
        header = []
        for name in columns:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font, cell.fill = styles.header, styles.header_fill
            cell.alignment = Alignment(horizontal="center")
            header.append(cell)
        sheet.append(header)
        sheets.append(sheet)
        return sheet

    sheet = new_sheet()
    on_sheet = 0
    for row in rows:
        digest.line(row)
        if on_sheet >= rows_per_sheet:
            sheet, on_sheet = new_sheet(), 0
        cells = []
        for index, (kind, value) in enumerate(zip(kinds, row)):
            typed = _typed(kind, value)
            if typed is not None and kind in FORMATS:
                cell = WriteOnlyCell(sheet, value=typed)
                cell.number_format = FORMATS[kind]
            elif index == status_index and value in styles.status_fills:
                cell = WriteOnlyCell(sheet, value=typed)
                cell.fill = styles.status_fills[value]
            else:
                cell = typed  # a plain value: much cheaper than a styled cell
            cells.append(cell)
        sheet.append(cells)
        on_sheet += 1

    totals = totals() if callable(totals) else totals
    if totals:
        cells = []
        for index, (name, kind) in enumerate(zip(columns, kinds)):
            value = "合计 Total" if index == 0 else _typed(kind, totals.get(name))
            cell = WriteOnlyCell(sheet, value=value)
            cell.font, cell.fill = styles.total, styles.total_fill
            if kind in FORMATS and index:
                cell.number_format = FORMATS[kind]
            cells.append(cell)
        sheet.append(cells)

    meta = finish(digest.row_count, digest.hexdigest())
    info = workbook.create_sheet("export_info")
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 70
    for key, value in meta:
        info.append([key, "" if value is None else str(value)])
    workbook.save(target)
    return digest.row_count, digest.hexdigest()
