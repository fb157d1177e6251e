"""The audit trail as a CSV or Excel download, for the admin and for auditors (their part):
the lines of the trail page as people read them — time in Chinese format (Beijing time), who,
the sentence, the changes "from → to" and the facts, amounts in yuan with separators —
through the reports' file writers. Headers and words in the reader's language."""
import tempfile

from flask import Response, current_app, stream_with_context

from marketplace.admin import trail_view
from marketplace.i18n import format_day
from marketplace.i18n import translate as _
from marketplace.reports.writers.csv_export import csv_stream
from marketplace.reports.writers.xlsx_export import write_xlsx
from marketplace.timeutil import to_cst, utcnow

FORMATS = ("csv", "xlsx")
MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
BATCH = 500  # entries described (their objects named) at a time


def columns():
    return [_("时间"), _("操作人"), _("操作人所属机构"), _("操作"), _("变更"), _("详情")]


def plain_sentence(line):
    """The trail page's sentence without its link: 暂停了机构「名称」."""
    return _("%(did)s%(kind)s「%(name)s」", did=line.phrase, kind=line.kind, name=line.name)


def _pairs(items):
    colon = _("：")
    return _("；").join(f"{label}{colon}{value}" for label, value in items)


def row_of(line):
    changes = [(label, f"{before} → {after}") for label, before, after in line.changes]
    return [format_day(line.entry.at, True), line.actor, line.actor_organization or "",
            plain_sentence(line), _pairs(changes), _pairs(line.facts)]


def _rows(query):
    """Every entry of the query, newest first, described a batch at a time."""
    last_id = None
    while True:
        batch_query = query if last_id is None else query.filter(
            query.column_descriptions[0]["entity"].id < last_id)
        batch = batch_query.limit(BATCH).all()
        if not batch:
            return
        for line in trail_view.describe(batch):
            yield row_of(line)
        last_id = batch[-1].id


def _meta(user, filters, count):
    return [(_("导出人"), user.name), (_("导出时间"), format_day(to_cst(utcnow()), True)),
            (_("筛选条件"), filters or _("无")), (_("条数"), count)]


def trail_download(user, query, fmt, filters):
    """The entries of `query` (trail.search's, already scoped to `user`) as a download.

    :param filters: the filters as a sentence, written in the file.
    """
    name = f"audit-trail-{to_cst(utcnow()):%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":
        def finish(count, _sha256):
            return _meta(user, filters, count)
        body = stream_with_context(csv_stream(columns(), _rows(query), finish))
        response = Response(body, mimetype=MIMETYPES[fmt])
    else:
        handle = tempfile.TemporaryFile(suffix=".xlsx",
                                        dir=current_app.config["REPORTS_TMPDIR"])
        title = [_("审计日志"), _("筛选条件：%(filters)s", filters=filters or _("无")),
                 _("导出人：%(name)s 导出时间：%(time)s（北京时间）", name=user.name,
                   time=format_day(to_cst(utcnow()), True))]
        write_xlsx(handle, columns=columns(), kinds=["time", "name", "name", "text", "text",
                                                     "text"],
                   rows=_rows(query), title_lines=title,
                   finish=lambda count, _sha256: _meta(user, filters, count),
                   sheet_title="trail", tmpdir=current_app.config["REPORTS_TMPDIR"])
        handle.seek(0)
        response = Response(handle.read(), mimetype=MIMETYPES[fmt])
        handle.close()
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
