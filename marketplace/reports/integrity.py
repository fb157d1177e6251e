"""Integrity of exports: the canonical form of rows, their SHA-256, and the CSV trailer.

The digest of an export covers its header and data rows written as CSV (UTF-8, CRLF line ends,
minimal quoting: exactly the bytes of the CSV export between the byte-order mark and the blank
line before the trailer). The Excel and PDF exports of the same rows carry the same digest, so a
printed PDF, a spreadsheet and a CSV of one report can be matched with one another.

A CSV export ends with a blank line and a trailer of `#key,value` rows (export id, generation
time, filters, row count, digest). A spreadsheet opening the file shows them as rows below the
table; a reader that stops at the first blank row sees exactly the API's rows.
"""
import csv
import hashlib
import io
import re
from decimal import Decimal
from zipfile import BadZipFile

from marketplace.compliance.services import ratio_str
from marketplace.money import amount_text

MARKER = "#marketplace-export"
TRAILER_VERSION = "v1"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def cell_text(value):
    """The text of one cell as exported: None → "", else str() (a Decimal keeps its places).

    Text that a spreadsheet would run as a formula (a supplier may name a product "=HYPERLINK(…)")
    gets a leading apostrophe, as OWASP advises against CSV injection; numbers stay as they are.
    """
    if value is None:
        return ""
    if value.__class__ is str and (not value or value[0] not in FORMULA_START):
        return value  # the common case, first: most cells of a ledger are such text
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class RowDigest:
    """Serialises rows as CSV lines and keeps a running SHA-256 and count of the data rows.

    `line(cells)` returns the CSV text of one row (for the CSV writer) and feeds the digest;
    the Excel and PDF writers call it only for the digest.
    """

    def __init__(self):
        self._hash = hashlib.sha256()
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")
        self.row_count = 0

    def _serialise(self, cells):
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow([cell_text(cell) for cell in cells])
        return self._buffer.getvalue()

    def header(self, columns):
        text = self._serialise(columns)
        self._hash.update(text.encode("utf-8"))
        return text

    def line(self, cells):
        text = self._serialise(cells)
        self._hash.update(text.encode("utf-8"))
        self.row_count += 1
        return text

    def line_of_texts(self, texts):
        """`line` for cells already turned into their texts (`cell_text`)."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(texts)
        text = self._buffer.getvalue()
        self._hash.update(text.encode("utf-8"))
        self.row_count += 1
        return text

    def hexdigest(self):
        return self._hash.hexdigest()


def digest_of_rows(columns, rows):
    """(row_count, sha256) of a header and rows of cell texts, as `RowDigest` computes them."""
    digest = RowDigest()
    digest.header(columns)
    for row in rows:
        digest.line(row)
    return digest.row_count, digest.hexdigest()


def trailer_rows(meta):
    """The trailer of a CSV export: the marker, then one `#key,value` row per metadata item."""
    rows = [[MARKER, TRAILER_VERSION]]
    rows.extend([f"#{key}", cell_text(value)] for key, value in meta)
    return rows


class ParsedExport:
    """What an uploaded CSV holds: its rows, its trailer (when any) and the digest of its rows."""

    def __init__(self, columns, rows, trailer):
        self.columns = columns
        self.rows = rows
        self.trailer = trailer
        self.row_count, self.sha256 = digest_of_rows(columns, rows) if columns else (0, None)

    @property
    def has_trailer(self):
        return bool(self.trailer)


class NotAnExport(ValueError):
    """The bytes are not a CSV file (not UTF-8 text, or no rows at all)."""


def parse_csv_export(data):
    """Split an uploaded CSV into header, data rows and trailer.

    :param data: the file's bytes (a byte-order mark is optional).
    :raises NotAnExport: not UTF-8 text or not CSV at all.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotAnExport("not UTF-8 text") from None
    if "\x00" in text:
        raise NotAnExport("binary content")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise NotAnExport("not CSV") from None
    if not rows:
        raise NotAnExport("empty")
    columns, body = rows[0], rows[1:]
    data_rows, trailer = [], {}
    in_trailer = False
    for row in body:
        blank = not any(cell.strip() for cell in row)
        if not in_trailer and blank:
            in_trailer = True
            continue
        if in_trailer:
            if blank:
                continue
            key = row[0]
            if key.startswith("#"):
                trailer[key[1:]] = row[1] if len(row) > 1 else ""
            continue
        data_rows.append(row)
    if MARKER[1:] not in trailer:
        # Only our marker makes a trailer; anything else after a blank line is data of theirs.
        trailer = {}
    return ParsedExport(columns, data_rows, trailer)


def _xlsx_text(kind, value):
    """A spreadsheet cell back in the text the CSV carries (numbers: their fixed places)."""
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(str(value))
        if kind == "money":
            return f"{number:.2f}"
        if kind == "yuan":
            return amount_text(number)
        if kind == "pct":
            return f"{number * 100:.2f}%"
        if kind == "percent":
            return f"{number:.4f}"
        if kind == "ratio":
            return ratio_str(number)
        if kind == "int" and number == number.to_integral_value():
            return str(int(number))
    return str(value)


def parse_xlsx_export(data, layout_of):
    """The rows of an Excel export of ours, back in their CSV text, with its export_info.

    :param layout_of: layout_of(report kind, export_info) → (columns, kinds) of that report.
    :raises NotAnExport: not a workbook, or one without our export_info sheet.
    """
    # Imported here, like pypdf below: only a process that checks a workbook pays for openpyxl.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError):
        raise NotAnExport("not a workbook") from None
    try:
        if "export_info" not in workbook.sheetnames:
            raise NotAnExport("no export_info sheet")
        info = {str(row[0]): "" if len(row) < 2 or row[0] is None else str(row[1] or "")
                for row in workbook["export_info"].iter_rows(values_only=True) if row and row[0]}
        columns, kinds = layout_of(info.get("report"), info)
        if columns is None:
            raise NotAnExport("unknown report")
        rows = []
        for name in workbook.sheetnames:
            if name == "export_info":
                continue
            in_table = False
            for row in workbook[name].iter_rows(values_only=True):
                cells = list(row[:len(columns)]) + [None] * (len(columns) - len(row))
                if not in_table:
                    in_table = [cell_text(cell) for cell in cells] == list(columns)
                    continue
                if isinstance(cells[0], str) and cells[0].startswith("合计"):
                    break
                rows.append([_xlsx_text(kind, cell) for kind, cell in zip(kinds, cells)])
        info[MARKER[1:]] = TRAILER_VERSION
        return ParsedExport(list(columns), rows, info)
    finally:
        workbook.close()


# --- PDF files -----------------------------------------------------------------------------
# A PDF's rows cannot be read back reliably (its text is laid out glyph by glyph), so a PDF
# is checked as a whole file: the export log keeps the SHA-256 of the very bytes sent, and the
# file names its export in its metadata (Keywords), which survives a change of its content.

PDF_KEYWORD = "marketplace-export:"
_PDF_TOKEN = re.compile(rb"marketplace-export:([0-9a-f]{32})")


def is_pdf(data):
    """Whether the bytes look like a PDF file (its header, possibly after a little junk)."""
    return b"%PDF-" in data[:1024]


def file_sha256(data):
    """The SHA-256 of a whole file."""
    return hashlib.sha256(data).hexdigest()


def pdf_keywords(token):
    """The Keywords metadata that names an export in its PDF."""
    return f"{PDF_KEYWORD}{token}"


def pdf_export_token(data):
    """The export id a PDF names in its metadata, or None.

    Read with pypdf (metadata in compressed object streams too, as other tools may save
    them); a file pypdf cannot parse is searched as bytes (fpdf2 writes its metadata plainly).
    """
    try:
        # Imported here, like fpdf for writing: only a process that checks a PDF pays for it.
        from pypdf import PdfReader

        metadata = PdfReader(io.BytesIO(data), strict=False).metadata or {}
        for key in ("/Keywords", "/Subject"):
            match = _PDF_TOKEN.search(str(metadata.get(key) or "").encode())
            if match:
                return match.group(1).decode()
    except Exception:  # noqa: BLE001 - a damaged or hostile file is simply not readable
        pass
    match = _PDF_TOKEN.search(data)
    return match.group(1).decode() if match else None


def normalise_code(text):
    """A typed export code without spaces, dashes or capitals ("A1B2 C3D4-…" → "a1b2c3d4…")."""
    return re.sub(r"[\s\-_]", "", str(text or "")).lower()


def grouped_code(token):
    """An export code in groups of four, easier to read aloud and type."""
    return " ".join(token[index:index + 4] for index in range(0, len(token), 4))
