"""The periodic work, enqueued by the scheduler (`flask --app wsgi jobs scheduler`).

Each entry names a function returning how many things it handled; `run_scheduled` runs it
and records the run (JobRun), failed ones included, for the admin to see. Functions are
named by path, so this module imports no domain.
"""
import logging
from datetime import timedelta

from marketplace.extensions import db
from marketplace.jobs.models import JobRun
from marketplace.jobs.queue import resolve
from marketplace.timeutil import utcnow

log = logging.getLogger(__name__)

# name: (cron expression in UTC, "module:function" returning a count[, its keyword arguments])
SCHEDULE = {
    "mail-send": ("*/5 * * * *", "marketplace.notifications.outbox:deliver_waiting"),
    "compliance-remind": ("0 1 * * 1", "marketplace.compliance.commands:remind"),
    "payments-reconcile": ("17 * * * *", "marketplace.payments.services:reconcile_pending",
                           {"limit": 500}),
    "payments-remind-overdue": ("0 1 * * *", "marketplace.payments.services:remind_overdue"),
    "payments-remind-refunds": ("10 1 * * *", "marketplace.payments.services:remind_refunds"),
    "payments-remind-invoices": ("20 1 * * *", "marketplace.payments.services:remind_invoices"),
    "pairings-remind": ("0 2 * * 1", "marketplace.pairings.services:remind_behind"),
    "accounts-purge-logins": ("0 3 * * *", "marketplace.accounts.services:purge_login_sessions"),
    "reports-remove-expired-exports": ("40 3 * * *", "marketplace.reports.kept:remove_expired"),
    "api-purge-idempotency-keys": ("20 3 * * *", "marketplace.api.idempotency:purge",
                                   {"older_than": timedelta(days=7)}),
}


def run_scheduled(name):
    """Run the scheduled job `name` now and record the run; :returns: its count."""
    _cron, target, *options = SCHEDULE[name]
    record = JobRun(name=name, started_at=utcnow())
    try:
        result = resolve(target)(**(options[0] if options else {}))
        db.session.commit()
    except Exception as error:  # noqa: BLE001 - the failure is recorded, then re-raised
        db.session.rollback()
        record.finished_at = utcnow()
        record.error = f"{type(error).__name__}: {error}"[:500]
        db.session.add(record)
        db.session.commit()
        raise
    record.count = _count(result)
    record.finished_at = utcnow()
    db.session.add(record)
    db.session.commit()
    return record.count


def _count(result):
    """Commands return a number, a pair (sent, failed) or a dict of numbers."""
    if isinstance(result, bool) or result is None:
        return None
    if isinstance(result, int):
        return result
    if isinstance(result, tuple):
        return result[0]
    if isinstance(result, dict):
        # compliance's {"managers": n, "units": n, "auditors": n}: people written to
        return sum(value for key, value in result.items() if key != "units")
    return None


def recent_runs(limit=100):
    """The latest runs, newest first (the admin's page)."""
    return JobRun.query.order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit).all()
