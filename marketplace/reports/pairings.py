"""The 万企兴万村 export: the revitalisation view's rows (one per pairing, then the villages
without a partner) as CSV or Excel, written for people like the quota report — headers and codes
in the reader's language (Chinese by default), or the API's names with `?header=keys` — logged
with an integrity digest that the verify page checks."""
import tempfile

from flask import stream_with_context
from flask_babel import get_locale

from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.pairings import services as pairings
from marketplace.pairings.labels import PACE_LABELS, PAIRING_STATUS_LABELS, report_headers
from marketplace.reports import services
from marketplace.reports.exports import (download_response, people_time, reports_tmpdir,
                                        send_download)
from marketplace.reports.people import filters_sentence
from marketplace.reports.writers.csv_export import csv_stream
from marketplace.reports.writers.xlsx_export import write_xlsx

COLUMNS = pairings.REPORT_COLUMNS
FORMATS = ("csv", "xlsx")


def _for_people(cells):
    """A row with its status and pace codes in the reader's language."""
    row = list(cells)
    status, pace = COLUMNS.index("status"), COLUMNS.index("pace")
    row[status] = str(PAIRING_STATUS_LABELS.get(row[status], row[status]))
    if row[pace]:
        row[pace] = str(PACE_LABELS.get(row[pace], row[pace]))
    return row


def pairing_export(user, year, fmt, args):
    """The revitalisation view of `year` for `user` (admin: everything; an auditor: its
    jurisdiction) as a CSV or Excel download.

    :param args: `region` (or `county`): a region code or prefix; `header=keys` for machines.
    :raises NotFound: another format. Scope errors: see reports.services.resolve_scope.
    """
    if fmt not in FORMATS:
        raise NotFound(_("万企兴万村报表只提供 CSV 和 Excel 格式。"))
    region = (args.get("region") or args.get("county") or "").strip() or None
    scope = services.resolve_scope(user, year, region=region, roles=pairings.OVERVIEW_ROLES)
    scope.filters = {"region": region or ""}
    view = pairings.overview(user, scope.year, scope.region)
    header = "keys" if args.get("header") == "keys" else str(get_locale())
    columns = report_headers(header)
    rows = pairings.report_rows(view)
    if header != "keys":
        rows = (_for_people(row) for row in rows)
    totals = dict(zip(columns, (pairings.report_totals(view).get(c) for c in COLUMNS)))
    export = services.start_export(scope, "pairing", fmt)
    head = services.export_meta(export, scope) + [("header", header)]
    tail_totals = pairings.report_totals(view)

    if fmt == "csv":
        export_id = export.id

        def finish(count, sha256):
            # Runs after the last row, in the streamed body's own session: look up by id.
            services.finish_export(export_id, count, sha256)
            db.session.commit()
            return head + services.meta_tail(count, sha256, tail_totals)

        return download_response(stream_with_context(csv_stream(columns, rows, finish)), fmt,
                                 export)

    handle = tempfile.TemporaryFile(suffix=".xlsx", dir=reports_tmpdir())

    def finish_xlsx(count, sha256):
        services.finish_export(export, count, sha256)
        return head + services.meta_tail(count, sha256, tail_totals)

    title = [_("%(year)s 年度万企兴万村结对采购情况", year=scope.year),
             _("范围：%(scope)s", scope=scope.label),
             _("筛选条件：%(filters)s", filters=filters_sentence({"region": region})
               if region else _("无")),
             _("生成时间：%(time)s（北京时间） 生成人：%(name)s",
               time=people_time(export.created_at), name=user.name)]
    write_xlsx(handle, columns=columns, kinds=services.PAIRING_KINDS, rows=rows,
               title_lines=title, finish=finish_xlsx, totals=totals, sheet_title="pairings",
               tmpdir=reports_tmpdir())
    return send_download(handle, fmt, export)
