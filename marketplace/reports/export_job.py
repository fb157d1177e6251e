"""The job that writes a queued export (`ExportFile`) into EXPORTS_DIR, with its progress.

Each attempt starts from the first row: it logs a new export (its own token and digest), writes
under a temporary name (`*.part`), and only once the last byte is written renames the file and
marks it ready, in the same step, then tells the user (a notification with the download link).
A worker that dies mid-way leaves a `.part` file nobody lists (the retry rewrites it; the
cleanup removes strays) and the export `running` until the retry.

Progress (rows written) is stored through a connection of its own, every PROGRESS_EVERY rows
and at most once a second, so the page and the API see it while the rows are still being read
in the job's own transaction.
"""
import os
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from marketplace.extensions import db
from marketplace.jobs.queue import backend
from marketplace.links import path_for
from marketplace.notifications.services import notify
from marketplace.reports import exports
from marketplace.reports.models import ExportFile
from marketplace.timeutil import utcnow

PROGRESS_EVERY = 500


class Progress:
    """Counts rows as they pass and stores the count now and then (see the module's doc)."""

    def __init__(self, file_id, rows, every=PROGRESS_EVERY, seconds=1.0):
        self.file_id, self.rows, self.every, self.seconds = file_id, rows, every, seconds
        self.count = 0
        self.last = 0.0
        # Inside a request (the in-process runner) nobody else can look before it ends, and
        # SQLite's write lock is the request's own: nothing to store.
        self.store = not has_request_context()

    def __iter__(self):
        for row in self.rows:
            yield row
            self.count += 1
            if self.store and self.count % self.every == 0 \
                    and time.monotonic() - self.last >= self.seconds:
                self.save()

    def save(self):
        self.last = time.monotonic()
        table = ExportFile.__table__
        with db.engine.begin() as connection:
            connection.execute(update(table).where(table.c.id == self.file_id)
                               .values(rows_written=self.count))


def _parts(item):
    user = item.user
    options = dict(item.options or {})
    if item.kind == "quota":
        parts = exports.quota_parts(user, item.year, item.format, options)
        item.rows_expected = len(parts.rows)
    else:
        parts = exports.ledger_parts(user, item.year, item.format, options)
    return parts


def run_export(file_id):
    """Write the export file `file_id` from its first row; :returns: the rows written."""
    item = db.session.get(ExportFile, file_id)
    if item is None or item.state in ("ready", "expired"):
        return 0  # already done by an earlier attempt, or gone
    item.state, item.started_at, item.error = "running", utcnow(), None
    item.attempts += 1
    item.rows_written = 0
    user = item.user
    language = user.locale if user.locale in current_app.config["LANGUAGES"] \
        else current_app.config["BABEL_DEFAULT_LOCALE"]
    directory = Path(current_app.config["EXPORTS_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    part = directory / f"{item.id}.{item.format}.part"  # a retry overwrites a dead attempt's
    try:
        with force_locale(language):  # headers and titles in the reader's language
            parts = _parts(item)
            item.export_id = parts.export.id
            # The attempt is seen at once; the rows are then read in a transaction of their own.
            db.session.commit()
            progress = Progress(file_id, parts.rows)
            parts.rows = progress
            with open(part, "wb") as handle:
                count, _digest = exports.write_file(handle, parts, item.format)
                handle.flush()
                os.fsync(handle.fileno())
        # One name per export file: an attempt that died between this rename and its commit
        # leaves a file the retry replaces, never a second one.
        name = f"{item.kind}-{item.year}-{file_id}.{item.format}"
        os.replace(part, directory / name)
    except BaseException as error:
        part.unlink(missing_ok=True)
        _failed(file_id, error)
        raise
    item = db.session.get(ExportFile, file_id)
    now = utcnow()
    item.state, item.path, item.size_bytes = "ready", name, (directory / name).stat().st_size
    item.rows_written, item.rows_expected, item.ready_at = count, count, now
    item.expires_at = now + timedelta(days=current_app.config["EXPORTS_KEEP_DAYS"])
    notify([item.user], "report.export_ready",
           _l("您导出的 %(year)s 年度%(report)s（%(fmt)s，%(rows)s 行）已生成，可在 %(days)s 天内下载。",
              year=item.year, report=_l("台账") if item.kind == "ledger" else _l("完成情况报表"),
              fmt=item.format.upper(), rows=count,
              days=current_app.config["EXPORTS_KEEP_DAYS"]),
           link=path_for("reports.export_status", file_id=item.id))
    return count


def _failed(file_id, error):
    """Note a failed attempt (through a connection of its own: the job's work is rolled back).
    The export waits for the queue's next attempt, or fails for good after the last one."""
    db.session.rollback()
    attempts = db.session.get(ExportFile, file_id).attempts
    db.session.rollback()
    last = attempts > len(current_app.config["EXPORTS_RETRY_SECONDS"]) or backend() != "rq"
    table = ExportFile.__table__
    with db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == file_id).values(
            state="failed" if last else "queued",
            error=f"{type(error).__name__}: {error}"[:500]))
