"""Building an export's HTTP response; the pages and the JSON API both call these.

CSV is streamed (`stream_with_context`): the export is logged before the first byte and the
request's commit keeps that log row; its row count and digest are only known after the last row,
so the stream's end stores them with a commit of its own (the one place where a request commits
twice: the response body outlives the request's `after_request` hook). Excel is written by
XlsxWriter in constant memory to an anonymous temporary file (gone from the disk as soon as it
is closed), which is then streamed to the client in chunks and closed; the PDF is built in
memory (it holds one row per unit, never the ledger).
"""
import os
import tempfile
from dataclasses import dataclass
from io import BytesIO

from flask import Response, current_app, stream_with_context
from flask_babel import get_locale

from marketplace.compliance.labels import STATUS_LABELS
from marketplace.compliance.schemas import row_json
from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import fen_str
from marketplace.reports import people, services
from marketplace.reports.integrity import digest_of_rows, file_sha256, pdf_keywords
from marketplace.reports.writers.csv_export import csv_stream
from marketplace.reports.writers.xlsx_export import write_xlsx
from marketplace.timeutil import to_cst

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
QUOTA_KINDS = ("int", "name", "text", "text", "money", "ratio", "money", "money", "money",
               "percent", "text", "text")
LEDGER_KINDS = ("text", "int", "text", "int", "name", "text", "int", "name", "int", "name", "int",
                "name", "text", "text", "text", "int", "int", "money", "money", "money", "money",
                "money", "time", "time")
LEDGER_TOTALS = ("accepted_amount", "refunded_amount", "counted_amount", "in_progress_amount")


def _filters(args):
    return {"region": (args.get("region") or "").strip() or None,
            "parent_id": (args.get("parent_id") or "").strip() or None,
            "status": (args.get("status") or "").strip() or None}


def download_response(body, fmt, export):
    """`body` (bytes or a stream of them) as the download of `export`: its file name, its
    integrity id (X-Export-Id), never cached."""
    response = Response(body, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["X-Export-Id"] = export.token
    response.headers["Cache-Control"] = "no-store"
    return response


CHUNK = 256 * 1024


def reports_tmpdir():
    """Where Excel exports and XlsxWriter's per-sheet files are written (REPORTS_TMPDIR)."""
    return current_app.config["REPORTS_TMPDIR"]


def _chunks(handle):
    """The file's bytes in CHUNK-sized pieces, closing (so deleting) it at the end."""
    try:
        while block := handle.read(CHUNK):
            yield block
    finally:
        handle.close()


def send_download(handle, fmt, export):
    """Stream a finished file (a temporary file or BytesIO) as the download."""
    size = handle.seek(0, os.SEEK_END)
    handle.seek(0)
    response = download_response(_chunks(handle), fmt, export)
    response.headers["Content-Length"] = str(size)
    # If the body is never read (the client went away), closing the response closes the file.
    response.call_on_close(handle.close)
    return response


def pdf_download(export, data):
    """A finished PDF (bytes) as the download of `export`."""
    return send_download(BytesIO(data), "pdf", export)


def people_time(moment):
    """A moment as people read it, in China Standard Time: "2026年3月5日 14:03"."""
    moment = to_cst(moment)
    return _("%(year)s年%(month)s月%(day)s日 %(time)s", year=moment.year, month=moment.month,
             day=moment.day, time=moment.strftime("%H:%M"))


def title_lines(kind, scope, export):
    """The title and the lines under it, for the Excel and PDF exports: sentences, no codes."""
    title = (_("%(year)s 年度食堂食材预留份额完成情况", year=scope.year) if kind == "quota"
             else _("%(year)s 年度帮扶采购台账", year=scope.year))
    return title, [
        _("范围：%(scope)s", scope=scope.label),
        _("筛选条件：%(filters)s", filters=people.filters_sentence(export.filters)),
        _("生成时间：%(time)s（北京时间） 生成人：%(name)s",
          time=people_time(export.created_at), name=scope.user.name),
    ]


@dataclass
class Parts:
    """What an export writes, before any byte: its log row, columns, kinds and lazy rows."""

    export: object
    columns: list
    kinds: tuple
    rows: object                 # an iterable of lists of cells (consumed once)
    head: list                   # [(key, value)] known before the rows
    totals: object               # a callable → {column: value}, once the rows were read
    title_lines: list
    sheet_title: str
    status_column: str = None
    status_names: dict = None
    totals_for_people: object = None  # the totals row of the Excel sheet (None: `totals`)


def quota_parts(user, year, fmt, args, rows_and_totals=None):
    """Check the request and log the quota report's export (flushes): its Parts.

    :raises NotFound: an unknown format or year. Scope errors: see services.resolve_scope.
    """
    if fmt not in ("csv", "xlsx", "pdf"):
        raise NotFound(_("不支持的格式：%(fmt)s。", fmt=fmt))
    scope = services.resolve_scope(user, year, **_filters(args))
    rows, totals = rows_and_totals or services.quota_rows(scope)
    header = "keys" if args.get("header") == "keys" and fmt != "pdf" else str(get_locale())
    columns = people.quota_headers(header)
    api_rows = [row_json(row) for row in rows]
    cells = people.quota_people_cells(api_rows, header)
    export = services.start_export(scope, "quota", fmt)
    title, subtitle = title_lines("quota", scope, export)
    parts = Parts(export=export, columns=columns, kinds=quota_kinds(header), rows=cells,
                  head=services.export_meta(export, scope) + [("header", header)],
                  totals=lambda: totals, title_lines=[title] + subtitle, sheet_title="quota",
                  status_column=columns[10],
                  status_names=None if header == "keys" else STATUS_LABELS,
                  totals_for_people=people.people_totals(totals, header))
    parts.api_rows = api_rows
    return parts


def write_file(handle, parts, fmt, finish=None):
    """Write a CSV or Excel export to the binary file `handle`; :returns: (rows, sha256).

    :param finish: finish(count, sha256) storing them (default: finish_export in this session).
    """
    def done(count, sha256):
        (finish or (lambda n, digest: services.finish_export(parts.export, n, digest)))(
            count, sha256)
        return parts.head + services.meta_tail(count, sha256, parts.totals())

    if fmt == "csv":
        written = {}

        def finish_csv(count, sha256):
            written.update(count=count, sha256=sha256)
            return done(count, sha256)

        for block in csv_stream(parts.columns, parts.rows, finish_csv):
            handle.write(block)
        return written["count"], written["sha256"]
    return write_xlsx(handle, columns=parts.columns, kinds=parts.kinds, rows=parts.rows,
                      title_lines=parts.title_lines, finish=done,
                      totals=parts.totals_for_people or parts.totals,
                      status_column=parts.status_column, status_names=parts.status_names,
                      sheet_title=parts.sheet_title, tmpdir=reports_tmpdir())


def _stream_csv(parts):
    export_id = parts.export.id

    def finish(count, sha256):
        # Runs after the last row, in the streamed body's own session: look up by id.
        services.finish_export(export_id, count, sha256)
        db.session.commit()
        return parts.head + services.meta_tail(count, sha256, parts.totals())

    return download_response(
        stream_with_context(csv_stream(parts.columns, parts.rows, finish)), "csv", parts.export)


def _send_xlsx(parts):
    handle = tempfile.TemporaryFile(suffix=".xlsx", dir=reports_tmpdir())
    write_file(handle, parts, "xlsx")
    return send_download(handle, "xlsx", parts.export)


def quota_export(user, year, fmt, args):
    """The quota report of `year` for `user` as a CSV, Excel or PDF download, written for
    people (headers, regions, canteens and statuses in the reader's language, money with
    separators); CSV and Excel with `header=keys` carry the API's field names and codes.

    :raises NotFound: an unknown format or year. Scope errors: see services.resolve_scope.
    """
    parts = quota_parts(user, year, fmt, args)
    if fmt == "csv":
        return _stream_csv(parts)
    if fmt == "xlsx":
        return _send_xlsx(parts)
    export, cells, columns = parts.export, parts.rows, parts.columns
    totals = parts.totals()
    count, sha256 = digest_of_rows(columns, cells)
    services.finish_export(export, count, sha256)
    handle = BytesIO()
    # fpdf costs ~37 MB per process: imported only when a PDF is written.
    from marketplace.reports.writers.pdf_export import write_pdf

    write_pdf(handle, rows=parts.api_rows, cells=cells, columns=columns, totals=totals,
              title=parts.title_lines[0], subtitle_lines=parts.title_lines[1:],
              footer_text=_("导出编号 %(token)s · 共 %(count)s 行 · 完整性校验码（SHA-256）%(sha)s",
                            token=export.token, count=count, sha=sha256),
              closing=closing_sentences(export, count, sha256),
              keywords=pdf_keywords(export.token))
    services.keep_file_digest(export, file_sha256(handle.getvalue()))
    return send_download(handle, "pdf", export)


def quota_kinds(header):
    """The cell kinds of the quota report's columns for `header` ("keys" or a locale)."""
    return QUOTA_KINDS if header == "keys" else people.QUOTA_PEOPLE_KINDS


def closing_sentences(export, count, sha256):
    """What a printed report says about itself, in sentences for the reader."""
    return [
        _("本报表由 %(name)s（%(org)s）于 %(time)s（北京时间）导出，共 %(count)s 个单位。",
          name=export.user.name, org=export.user.organization.name,
          time=people_time(export.created_at), count=count),
        _("导出编号为 %(token)s。", token=export.token),
        _("表格内容的完整性校验码（SHA-256）为 %(sha)s；将本文件上传到平台的“报表验证”页面，"
          "或输入导出编号，即可核对它是否为平台出具且未被改动。", sha=sha256),
    ]


class _Totals:
    """Sums the money columns of ledger rows as they stream past (exact, in fen)."""

    def __init__(self, rows):
        self.rows = rows
        self.indexes = [services.LEDGER_COLUMNS.index(name) for name in LEDGER_TOTALS]
        self.sums = [0] * len(self.indexes)

    def __iter__(self):
        pairs = list(enumerate(self.indexes))
        sums = self.sums
        for row in self.rows:
            for position, index in pairs:
                if row[index]:
                    # services._yuan writes exactly two decimals ("-12.50"): the fen are the
                    # digits without the point (a million rows: 4× faster than yuan_to_fen).
                    sums[position] += int(row[index].replace(".", ""))
            yield row

    def result(self):
        return {name: fen_str(total) for name, total in zip(LEDGER_TOTALS, self.sums)}


def ledger_parts(user, year, fmt, args):
    """Check the request and log the ledger's export (flushes): its Parts (rows streamed)."""
    if fmt not in ("csv", "xlsx"):
        raise NotFound(_("台账只提供 CSV 和 Excel 格式。"))
    filters = _filters(args)
    filters.pop("status")  # a unit's quota status does not apply to its order lines
    scope = services.resolve_scope(user, year, roles=services.LEDGER_ROLES, **filters)
    scope.filters.pop("status", None)
    summed = _Totals(services.ledger_rows(scope))
    export = services.start_export(scope, "ledger", fmt)
    title, subtitle = title_lines("ledger", scope, export)
    return Parts(export=export, columns=list(services.LEDGER_COLUMNS), kinds=LEDGER_KINDS,
                 rows=summed, head=services.export_meta(export, scope), totals=summed.result,
                 title_lines=[title] + subtitle, sheet_title="ledger")


def ledger_export(user, year, fmt, args):
    """The ledger (every counted and in-progress line in scope) as a CSV or Excel download."""
    parts = ledger_parts(user, year, fmt, args)
    return _stream_csv(parts) if fmt == "csv" else _send_xlsx(parts)
