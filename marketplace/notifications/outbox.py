"""E-mails leave after the commit: queued in the request's transaction, sent once it committed,
retried until sent.

`queue_mail` writes an OutgoingMail row with the rest of the request's work, so a request that
fails sends nothing and one that commits loses nothing. Once the transaction has committed,
its messages are sent: at the end of the request (never while it still holds row locks), or
at once outside a request (commands, demo seeding) — handed to the job queue (`marketplace.jobs`),
which retries with growing waits (MAIL_RETRY_SECONDS); in process it is sent there and then.
A message whose sending fails stays queued with its error; the scheduler's `mail-send` (or
`flask --app wsgi mail send`) sends everything still waiting every few minutes. Each message is claimed before sending, so two processes never
send the same one. Sending itself is `marketplace.mail.send_mail`, one small function.
"""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from marketplace import mail
from marketplace.database import AfterCommit
from marketplace.extensions import db
from marketplace.jobs.queue import backend, enqueue
from marketplace.notifications.models import OutgoingMail
from marketplace.timeutil import utcnow

# A claim older than this is taken to be from a sender that died mid-way.
CLAIM_TIMEOUT = timedelta(minutes=10)


def queue_mail(to, subject, body):
    """Queue a plain-text e-mail to one address or a list of them; it leaves after the commit.

    :returns: the OutgoingMail row.
    """
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    message = OutgoingMail(recipients=recipients, subject=str(subject)[:200], body=str(body))
    db.session.add(message)
    db.session.flush()
    return message


def waiting(limit=None):
    """Messages not sent yet, oldest first."""
    query = OutgoingMail.query.filter(OutgoingMail.sent_at.is_(None)).order_by(OutgoingMail.id)
    return query.limit(limit).all() if limit else query.all()


def deliver(ids=None, limit=500):
    """Send queued messages (those of `ids`, or every one waiting), each in its own short
    transaction on a connection of its own; :returns: (sent, failed)."""
    table = OutgoingMail.__table__
    now = utcnow()
    stale = now - CLAIM_TIMEOUT
    free = sa.and_(table.c.sent_at.is_(None),
                   sa.or_(table.c.claimed_at.is_(None), table.c.claimed_at < stale))
    query = sa.select(table).where(free).order_by(table.c.id).limit(limit)
    if ids is not None:
        if not ids:
            return 0, 0
        query = query.where(table.c.id.in_(list(ids)))
    engine = db.engine
    with engine.connect() as connection:
        rows = connection.execute(query).fetchall()
    sent = failed = 0
    for row in rows:
        with engine.begin() as connection:
            claimed = connection.execute(
                table.update().where(table.c.id == row.id, free)
                .values(claimed_at=utcnow(), attempts=table.c.attempts + 1)).rowcount
        if claimed != 1:
            continue  # another process is sending it
        try:
            mail.send_mail(row.recipients, row.subject, row.body)
        except Exception as error:  # noqa: BLE001 - any failure leaves the message queued
            current_app.logger.warning("mail %s not sent: %s", row.id, error)
            values = {"claimed_at": None, "last_error": f"{type(error).__name__}: {error}"[:500]}
            failed += 1
        else:
            values = {"sent_at": utcnow(), "last_error": None}
            sent += 1
        with engine.begin() as connection:
            connection.execute(table.update().where(table.c.id == row.id).values(**values))
    return sent, failed


def deliver_job(ids):
    """The queued job that sends `ids` after their commit: raises while any of them failed,
    so the queue tries again later (MAIL_RETRY_SECONDS); `deliver_waiting` catches the rest."""
    _sent, failed = deliver(ids)
    if failed:
        raise RuntimeError(f"{failed} message(s) not sent yet")
    return _sent


def deliver_waiting():
    """Send every message still waiting (the scheduler's every-few-minutes run)."""
    return deliver()


def _hand_over(ids):
    """Give committed messages to the job queue; in process, send them here and now (this may
    run inside the session's after-commit hook, where the session must not be used)."""
    if backend() != "rq":
        deliver(ids)
        return
    enqueue("marketplace.notifications.outbox:deliver_job", list(ids),
            retry_intervals=current_app.config["MAIL_RETRY_SECONDS"])


_after_commit = AfterCommit(OutgoingMail, "outbox", _hand_over)
init_app = _after_commit.init_app
