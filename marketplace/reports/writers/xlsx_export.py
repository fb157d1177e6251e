"""Excel exports in constant memory with XlsxWriter.

XlsxWriter's `constant_memory` mode flushes each row to a temporary file (in `tmpdir`) as soon
as the next one starts and writes strings inline, so a year's ledger never sits in memory; the
workbook is then zipped from those files into `target`.

The data sheet has title rows, a frozen header row (the same column names as the CSV), number,
money and percentage formats (numbers are written as Decimals from their exact text, so "9.20"
is stored as 9.20, never as a float's 9.199999999999999), status cells coloured, and a totals
row; longer tables continue on further sheets with the header repeated; an "export_info" sheet
carries the generation time, filters, row count and the SHA-256 of the rows (the same digest as
the CSV's).

The data rows do not go through XlsxWriter's cell methods, which cost ~15 µs a cell (two thirds
of a ledger's time, by the profile): `_RowsSheet`, a worksheet subclass (XlsxWriter's
`worksheet_class`), takes each data row as the XML XlsxWriter itself would write in
constant-memory mode (inline strings, numbers from their exact decimal text, the cell formats'
own indexes), built with one f-string per cell. Titles, header, totals and export_info still
use the ordinary methods.
"""
import re
from decimal import Decimal

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from marketplace.reports.integrity import RowDigest, cell_text

MAX_ROWS_PER_SHEET = 1_000_000  # Excel holds 1,048,576 rows a sheet; longer ledgers continue
WIDTHS = {"money": 14, "yuan": 16, "pct": 11, "percent": 11, "int": 9, "ratio": 9, "text": 16, "name": 28, "time": 24}
STATUS_FILLS = {
    "met": "#C8E6C9", "on_track": "#BBDEFB", "behind": "#FFE0B2", "not_met": "#FFCDD2",
    "not_filed": "#E0E0E0", "exempt": "#ECEFF1",
}
NUMBER_FORMATS = {"money": "#,##0.00", "percent": "0.00%", "ratio": "0.00%", "int": "0",
                  "yuan": "#,##0.00", "pct": "0.00%"}
TOTAL_FILL = "#ECEFF1"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_XML_SPECIAL = re.compile("[&<>]")
_SPACE = (" ", "\t", "\n", "\r")


class _RowsSheet(Worksheet):
    """A constant-memory worksheet that also takes whole rows as XML (`append_xml`)."""

    def append_xml(self, row_number, xml, last_column):
        """Write one row's cells (`<c>` elements) as row `row_number` (0-based), after every
        row written so far."""
        if row_number != self.previous_row:
            self._write_single_row(row_number)  # flushes the row XlsxWriter still holds
        self.fh.write(f'<row r="{row_number + 1}">{xml}</row>')
        if self.dim_rowmax is None or row_number > self.dim_rowmax:
            self.dim_rowmax = row_number
        if self.dim_colmax is None or last_column > self.dim_colmax:
            self.dim_colmax = last_column


def _string_xml(ref, style, text):
    """An inline string cell as XlsxWriter writes it (whitespace kept, &<> escaped)."""
    if _XML_SPECIAL.search(text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text.startswith(_SPACE) or text.endswith(_SPACE) else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _row_xml(texts, number, letters, numeric, styles, status_index, status_styles):
    """The `<c>` elements of one data row (1-based row `number`) from its cells' texts
    (`cell_text`, as the digest reads them)."""
    cells = []
    for index, text in enumerate(texts):
        if not text:
            continue
        ref = f"{letters[index]}{number}"
        if index == status_index and text in status_styles:
            cells.append(_string_xml(ref, status_styles[text], text))
            continue
        if numeric[index] and _NUMBER.fullmatch(text):
            # The exact decimal text is a valid number in the file: 9.20 stays 9.20.
            cells.append(f'<c r="{ref}"{styles[index]}><v>{text}</v></c>')
            continue
        if _ILLEGAL.search(text):
            text = _ILLEGAL.sub("", text)
        cells.append(_string_xml(ref, "", text))
    return "".join(cells)


def _text(value):
    """The cell text of a value, without the characters XML cannot carry."""
    return _ILLEGAL.sub("", cell_text(value))


class _Formats:
    """The workbook's cell formats (XlsxWriter registers each once)."""

    def __init__(self, book):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.subtitle = book.add_format({"font_size": 10, "font_color": "#555555"})
        self.header = book.add_format({"bold": True, "font_color": "#FFFFFF",
                                       "bg_color": "#37474F", "align": "center"})
        self.number = {kind: book.add_format({"num_format": pattern})
                       for kind, pattern in NUMBER_FORMATS.items()}
        total = {"bold": True, "bg_color": TOTAL_FILL}
        self.total = book.add_format(total)
        self.total_number = {kind: book.add_format({**total, "num_format": pattern})
                             for kind, pattern in NUMBER_FORMATS.items()}
        self.status = {status: book.add_format({"bg_color": colour})
                       for status, colour in STATUS_FILLS.items()}


def _write_value(sheet, row, col, kind, value, number_format=None, text_format=None):
    """One cell: a number from its exact decimal text for numeric kinds, else text."""
    if value is None or value == "":
        if text_format is not None:
            sheet.write_blank(row, col, None, text_format)
        return
    if kind in NUMBER_FORMATS:
        text = str(value)
        if kind == "yuan":  # "1,234.50" for people: the number behind it
            text = text.replace(",", "")
        elif kind == "pct" and text.endswith("%") and _NUMBER.fullmatch(text[:-1]):
            sheet.write_number(row, col, Decimal(text[:-1]) / 100, number_format)
            return
        if _NUMBER.fullmatch(text):
            sheet.write_number(row, col, Decimal(text), number_format)
            return
    sheet.write_string(row, col, _text(value), text_format)


def write_xlsx(target, *, columns, kinds, rows, title_lines, finish, totals=None,
               status_column=None, sheet_title="report", rows_per_sheet=MAX_ROWS_PER_SHEET,
               tmpdir=None, status_names=None):
    """Write the workbook to `target` (a path or binary file) and return (row_count, sha256).

    :param kinds: one of "text", "name", "int", "money", "percent", "ratio", "time" per column,
        or "yuan" ("1,234.50") and "pct" ("12.34%") for cells written for people.
    :param rows: an iterable of lists of cell texts (consumed once, lazily).
    :param finish: finish(row_count, sha256) → [(key, value)] written to the export_info sheet.
    :param totals: {column: value} or a callable returning it after the rows were read.
    :param status_column: the name of the column whose cells are coloured by status.
    :param status_names: {status code: the name people read}, when the cells carry names.
    :param tmpdir: where XlsxWriter keeps its per-sheet temporary files (default: the system's).
    """
    options = {"constant_memory": True, "in_memory": False,
               "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    if tmpdir:
        options["tmpdir"] = str(tmpdir)
    book = xlsxwriter.Workbook(target, options)
    formats = _Formats(book)
    formats.status.update({str(status_names[code]): fill for code, fill in formats.status.items()
                           if code in (status_names or {})})
    digest = RowDigest()
    digest.header(columns)
    status_index = columns.index(status_column) if status_column else None
    header_row = len(title_lines) + 1  # title lines, a blank row, then the header (0-based)
    number_formats = [formats.number.get(kind) for kind in kinds]
    numeric = [kind in NUMBER_FORMATS for kind in kinds]
    sheets = []

    def new_sheet():
        number = len(sheets) + 1
        sheet = book.add_worksheet(sheet_title if number == 1 else f"{sheet_title} ({number})",
                                   worksheet_class=_RowsSheet)
        sheets.append(sheet)
        for index, kind in enumerate(kinds):
            sheet.set_column(index, index, WIDTHS.get(kind, 14))
        sheet.freeze_panes(header_row + 1, 0)
        for line_number, line in enumerate(title_lines):
            sheet.write_string(line_number, 0, _text(line),
                               formats.title if line_number == 0 else formats.subtitle)
        for index, name in enumerate(columns):
            sheet.write_string(header_row, index, _text(name), formats.header)
        return sheet

    sheet = new_sheet()
    row_number = header_row
    letters = [xl_col_to_name(index) for index in range(len(columns))]
    # The style attribute of each column's numbers, and of coloured statuses (registering the
    # formats as used, as XlsxWriter's own write methods do).
    styles = [f' s="{fmt._get_xf_index()}"' if fmt is not None else "" for fmt in number_formats]
    status_styles = {value: f' s="{fmt._get_xf_index()}"'
                     for value, fmt in formats.status.items()} if status_index is not None else {}
    last_column = len(columns) - 1
    for_people = any(kind in ("yuan", "pct") for kind in kinds)
    for row in rows:
        texts = [cell_text(value) for value in row]
        digest.line_of_texts(texts)
        if row_number - header_row >= rows_per_sheet:
            sheet = new_sheet()
            row_number = header_row
        row_number += 1
        if for_people:  # cells written for people ("1,234.50", "12.34%"): the slower way
            for index, value in enumerate(row):
                if value is None or value == "":
                    continue
                if index == status_index and value in formats.status:
                    sheet.write_string(row_number, index, value, formats.status[value])
                elif numeric[index]:
                    _write_value(sheet, row_number, index, kinds[index], value,
                                 number_formats[index])
                else:
                    sheet.write_string(row_number, index, _text(value))
            continue
        sheet.append_xml(row_number, _row_xml(texts, row_number + 1, letters, numeric, styles,
                                              status_index, status_styles), last_column)

    totals = totals() if callable(totals) else totals
    if totals:
        row_number += 1
        sheet.write_string(row_number, 0, "合计 Total", formats.total)
        for index, (name, kind) in enumerate(zip(columns[1:], kinds[1:]), start=1):
            _write_value(sheet, row_number, index, kind, totals.get(name),
                         formats.total_number.get(kind, formats.total), formats.total)

    meta = finish(digest.row_count, digest.hexdigest())
    info = book.add_worksheet("export_info")
    info.set_column(0, 0, 18)
    info.set_column(1, 1, 70)
    for line_number, (key, value) in enumerate(meta):
        info.write_string(line_number, 0, _text(key))
        info.write_string(line_number, 1, _text(value))
    book.close()
    return digest.row_count, digest.hexdigest()
