"""A real RQ worker process on a real Redis sends e-mail queued after a commit, and keeps
retrying while the SMTP server is away: the message leaves once it is back, exactly once."""
import time
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller

from marketplace.extensions import db as _db
from marketplace.jobs import queue
from marketplace.notifications import outbox
from marketplace.notifications.models import OutgoingMail
from tests.helpers import wait_for
from tests.jobs.helpers import start_jobs, stop
from tests.pg import free_port


class Inbox:
    """aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


@pytest.fixture
def rq_app(app, db, redis_url, monkeypatch):
    """The test app enqueueing on RQ (Redis), mail going to an SMTP port nothing listens on yet."""
    port = free_port()
    for key, value in {"JOBS_BACKEND": "rq", "REDIS_URL": redis_url, "MAIL_SERVER": "127.0.0.1",
                       "MAIL_PORT": port, "MAIL_RETRY_SECONDS": (1,) * 60}.items():
        monkeypatch.setitem(app.config, key, value)
    queue.redis_connection().flushall()
    return app


def read(message_id):
    """A fresh look at what the worker wrote, ending the read at once (on SQLite an open read
    would hold back the worker's writes)."""
    _db.session.rollback()
    row = _db.session.get(OutgoingMail, message_id)
    seen = SimpleNamespace(attempts=row.attempts, sent_at=row.sent_at, last_error=row.last_error)
    _db.session.rollback()
    return seen


def test_a_mail_outage_loses_no_mail(rq_app, db):
    message = outbox.queue_mail("school@example.com", "订单已发货", "您的订单已发货。")
    db.session.commit()
    message_id = message.id
    # Committed and queued on Redis: nothing is sent by the process that committed.
    assert read(message_id).attempts == 0
    worker = start_jobs(rq_app, MAIL_SERVER="127.0.0.1",
                        MAIL_PORT=rq_app.config["MAIL_PORT"])
    smtp = None
    try:
        # The worker tries, fails (no SMTP server), and tries again after its wait.
        assert wait_for(lambda: read(message_id).attempts >= 2, timeout=60)
        assert read(message_id).sent_at is None and "Error" in read(message_id).last_error
        inbox = Inbox()
        smtp = Controller(inbox, hostname="127.0.0.1", port=rq_app.config["MAIL_PORT"])
        smtp.start()
        assert wait_for(lambda: read(message_id).sent_at is not None, timeout=60)
        time.sleep(2)  # no later attempt sends it again
        assert len(inbox.messages) == 1 and "school@example.com" in inbox.messages[0]
        assert read(message_id).last_error is None
    finally:
        stop(worker)
        if smtp is not None:
            smtp.stop()


def test_the_scheduler_registers_every_periodic_job_on_redis(rq_app):
    from rq.cron import CronScheduler

    from marketplace.jobs.schedule import SCHEDULE

    process = start_jobs(rq_app, "scheduler")
    connection = queue.redis_connection()
    try:
        def registered():
            return {job.name for running in CronScheduler.all(connection)
                    for job in running.get_jobs()}

        assert wait_for(lambda: registered() == set(SCHEDULE), timeout=30), registered()
        assert process.poll() is None
    finally:
        stop(process)
