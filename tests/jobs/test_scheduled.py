"""Scheduled work runs as jobs and every run is recorded: when, what, how many (or its error)."""
import pytest

from marketplace import mail
from marketplace.jobs import schedule
from marketplace.jobs.models import JobRun
from marketplace.notifications.models import OutgoingMail


def _waiting_mail(db, subject):
    """A message left waiting (as after a failed attempt): written without the ORM's
    after-commit sending."""
    db.session.execute(OutgoingMail.__table__.insert().values(
        recipients=["buyer@example.com"], subject=subject, body="正文", attempts=1,
        created_at=schedule.utcnow()))
    db.session.commit()


def test_a_scheduled_run_does_its_work_and_is_recorded(app, db):
    _waiting_mail(db, "催付提醒")
    assert mail.outbox() == []
    assert schedule.run_scheduled("mail-send") == 1
    [sent] = mail.outbox()
    assert sent["Subject"] == "催付提醒"
    [run] = JobRun.query.all()
    assert (run.name, run.count, run.error) == ("mail-send", 1, None)
    assert run.finished_at >= run.started_at
    output = app.test_cli_runner().invoke(args=["jobs", "runs"]).output
    assert "mail-send: count 1" in output


def test_a_failed_run_is_recorded_with_its_error(db, monkeypatch):
    monkeypatch.setitem(schedule.SCHEDULE, "broken",
                        ("* * * * *", "marketplace.jobs.schedule:no_such_function"))
    with pytest.raises(AttributeError):
        schedule.run_scheduled("broken")
    [run] = JobRun.query.all()
    assert run.name == "broken" and run.count is None and "AttributeError" in run.error


def test_every_scheduled_job_names_a_function_that_exists(app):
    for name, (_cron, target, *_options) in schedule.SCHEDULE.items():
        assert callable(schedule.resolve(target)), name


def test_the_run_command_runs_one_job_now(app, db):
    _waiting_mail(db, "退款提醒")
    output = app.test_cli_runner().invoke(args=["jobs", "run", "mail-send"]).output
    assert "mail-send: 1" in output
    assert [message["Subject"] for message in mail.outbox()] == ["退款提醒"]
    assert "unknown job" in app.test_cli_runner().invoke(args=["jobs", "run", "nope"]).output


def test_the_admin_sees_each_run_and_the_schedule(client, db, login_as, monkeypatch):
    _waiting_mail(db, "催付提醒")
    schedule.run_scheduled("mail-send")
    monkeypatch.setitem(schedule.SCHEDULE, "broken",
                        ("* * * * *", "marketplace.jobs.schedule:no_such_function"))
    with pytest.raises(AttributeError):
        schedule.run_scheduled("broken")
    login_as("admin")
    home = client.get("/admin/").get_data(as_text=True)
    assert "/admin/jobs" in home
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "payments-remind-overdue" in page and "*/5 * * * *" in page
    rows = page.split('class="job-runs"')[1]
    assert "mail-send" in rows and "成功" in rows
    assert "broken" in rows and "AttributeError" in rows
