"""Exports written off the request: ask for one, follow its progress, download it, expire it.

An export of more than EXPORTS_QUEUE_ROWS rows is an `ExportFile` written by a job
(`reports.export_job.run_export`) into EXPORTS_DIR; it is handed to the job queue once the
request that asked for it has committed (as e-mail is: a worker never looks for a row that is
not there yet). Smaller ones are refused here (`None`) and the caller downloads them at once.
"""
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from marketplace.accounts import scopes
from marketplace.errors import NotFound, PermissionDenied
from marketplace.database import AfterCommit
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.jobs.queue import backend, enqueue, run
from marketplace.reports import services
from marketplace.reports.models import ExportFile
from marketplace.timeutil import to_cst, utcnow

KINDS = {"quota": services.QUOTA_ROLES, "ledger": services.LEDGER_ROLES}
FORMATS = ("csv", "xlsx")
MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
OPTION_KEYS = ("region", "parent_id", "status", "header")
JOB = "marketplace.reports.export_job:run_export"


def options_of(args):
    """The filters and header option of a request, as the job gets them."""
    return {key: (args.get(key) or "").strip() for key in OPTION_KEYS if args.get(key)}


def _scope(user, kind, year, options):
    filters = {key: options.get(key) or None for key in ("region", "parent_id", "status")}
    if kind == "ledger":
        filters.pop("status")
    return services.resolve_scope(user, year, roles=KINDS[kind], **filters)


def expected_rows(scope, kind):
    """How many rows the export will have, about (the ledger's candidate lines; the units of
    the user's scope for the quota report), counted without reading them."""
    if kind == "ledger":
        query = services.ledger_query(scope).order_by(None).subquery()
        return db.session.execute(select(func.count()).select_from(query)).scalar_one()
    return scopes.visible_units(scope.user).count()


def request_export(user, kind, year, fmt, args, force=False):
    """Queue the export `kind` of `year` as `fmt` for `user` when it is large (or `force`).

    :returns: the queued ExportFile (flushed; the job is enqueued after the commit), or None
        when the export is small enough to download at once.
    :raises NotFound: an unknown report or format. Scope errors: see services.resolve_scope.
    """
    if kind not in KINDS or fmt not in FORMATS:
        raise NotFound(_("不支持的导出：%(kind)s.%(fmt)s。", kind=kind, fmt=fmt))
    options = options_of(args)
    scope = _scope(user, kind, year, options)
    expected = expected_rows(scope, kind)
    if not force and expected <= current_app.config["EXPORTS_QUEUE_ROWS"]:
        return None
    item = ExportFile(kind=kind, format=fmt, year=scope.year, options=options, user_id=user.id,
                      organization_id=user.organization_id, state="queued",
                      rows_expected=expected, rows_written=0, attempts=0, created_at=utcnow())
    db.session.add(item)
    db.session.flush()
    return item


def visible_files(user):
    """The export files a user may see: their own (an admin: everyone's), newest first."""
    query = ExportFile.query.order_by(ExportFile.id.desc())
    if user.role != "admin":
        query = query.filter(ExportFile.user_id == user.id)
    return query


def file_for(user, file_id):
    """One export file of the user's (an admin's: anyone's).

    :raises NotFound: no such file, or another user's (not revealed).
    """
    item = db.session.get(ExportFile, file_id) if str(file_id).isdigit() else None
    if item is None or (user.role != "admin" and item.user_id != user.id):
        raise NotFound(_("没有该导出文件。"))
    return item


def file_path(item):
    """Where a ready file is on disk."""
    return Path(current_app.config["EXPORTS_DIR"]) / item.path


def ready_file(user, file_id):
    """(ExportFile, path) of a ready file the user may download.

    :raises NotFound: unknown, another user's, or not ready (yet, or any more).
    :raises PermissionDenied: the user's role no longer allows this report.
    """
    item = file_for(user, file_id)
    if item.state != "ready" or not item.path:
        raise NotFound(_("该导出文件尚未生成或已过期。"))
    if user.role not in KINDS.get(item.kind, ()):
        raise PermissionDenied(_("您的角色不能导出此报表。"))
    path = file_path(item)
    if not path.is_file():
        raise NotFound(_("该导出文件尚未生成或已过期。"))
    return item, path


def status_of(item):
    """An export file's state as the API and the page's script read it."""
    def moment(value):
        return to_cst(value).isoformat(timespec="seconds") if value else None

    return {"id": item.id, "kind": item.kind, "format": item.format, "year": item.year,
            "state": item.state, "rows_written": item.rows_written,
            "rows_expected": item.rows_expected, "percent": item.percent,
            "attempts": item.attempts, "error": item.error,
            "created_at": moment(item.created_at), "ready_at": moment(item.ready_at),
            "expires_at": moment(item.expires_at),
            "sha256": item.export.sha256 if item.state == "ready" and item.export else None}


def remove_expired(now=None):
    """Delete the files kept longer than EXPORTS_KEEP_DAYS (and half files a dead worker left
    behind a day ago); their rows stay in the history as expired. Exports no worker finished
    within a day are marked failed. :returns: files removed."""
    now = now or utcnow()
    removed = 0
    for item in ExportFile.query.filter(ExportFile.state == "ready",
                                        ExportFile.expires_at <= now):
        try:
            file_path(item).unlink()
            removed += 1
        except FileNotFoundError:
            pass
        item.state, item.path = "expired", None
    # Still queued or running a day on: its job is gone (out of retries with a dead worker).
    for item in ExportFile.query.filter(ExportFile.state.in_(("queued", "running")),
                                        ExportFile.created_at <= now - timedelta(days=1)):
        item.state, item.error = "failed", "abandoned: no worker finished it within a day"
    directory = Path(current_app.config["EXPORTS_DIR"])
    if directory.is_dir():
        for part in directory.glob("*.part"):
            if part.stat().st_mtime < now.timestamp() - 86400:
                part.unlink(missing_ok=True)
                removed += 1
    db.session.flush()
    return removed


# --- hand the job over once the request has committed --------------------------------------

def _hand_over(ids):
    """Queue the jobs; in process, run each now in an application context (so a session) of
    its own: this may run inside the session's after-commit hook, where it must not be used."""
    for file_id in ids:
        if backend() == "rq":
            enqueue(JOB, file_id, retry_intervals=current_app.config["EXPORTS_RETRY_SECONDS"])
            continue
        try:
            run(JOB, (file_id,))
        except Exception:  # noqa: BLE001 - recorded on the export (failed); the caller goes on
            current_app.logger.exception("export file %s failed", file_id)


_after_commit = AfterCommit(ExportFile, "export_files", _hand_over)
init_app = _after_commit.init_app
