"""Exports written by a job (the in-process runner here): asked for on the page or over the API,
kept as files with the same digest as a direct download, listed, notified, and removed when
they expire."""
from datetime import timedelta
from pathlib import Path

import pytest

from marketplace.jobs.schedule import run_scheduled
from marketplace.notifications.models import Notification
from marketplace.reports.models import ExportFile
from marketplace.timeutil import utcnow
from tests.helpers import bearer, csrf_token, login
from tests.reports.helpers import YEAR, auditor_of, build_world, csv_sections


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def queue_all(app, tmp_path, monkeypatch):
    """Every export is large enough to be queued; files go to a fresh folder."""
    monkeypatch.setitem(app.config, "EXPORTS_QUEUE_ROWS", 0)
    monkeypatch.setitem(app.config, "EXPORTS_DIR", str(tmp_path / "exports"))
    return tmp_path / "exports"


def ask(client, kind, fmt, **filters):
    return client.post("/reports/exports", data={"kind": kind, "format": fmt, "year": YEAR,
                                                  "csrf_token": csrf_token(client), **filters})


def test_a_queued_ledger_is_written_kept_listed_notified_and_matches_the_direct_download(
        client, world, queue_all):
    auditor = auditor_of(world.tibet_office)
    direct = client.get(f"/api/v1/quota/{YEAR}/ledger.csv", headers=bearer(auditor))
    _, direct_rows, direct_trailer = csv_sections(direct.data)
    login(client, auditor)

    response = ask(client, "ledger", "csv")
    assert response.status_code == 302 and "/reports/exports/" in response.location
    page = client.get(response.location).get_data(as_text=True)
    # The in-process runner wrote it before the redirect was followed.
    assert "已生成" in page and 'data-testid="export-download"' in page
    item = ExportFile.query.one()
    assert item.state == "ready" and item.rows_written == len(direct_rows)
    assert list(queue_all.iterdir()) == [queue_all / item.path]  # no .part left behind

    download = client.get(f"/reports/exports/{item.id}/download")
    assert download.status_code == 200
    _, rows, trailer = csv_sections(download.data)
    assert rows == direct_rows
    assert trailer["sha256"] == direct_trailer["sha256"] == item.export.sha256
    assert trailer["sha256"] in page

    note = Notification.query.filter_by(user_id=auditor.id, kind="report.export_ready").one()
    assert note.link == f"/reports/exports/{item.id}" and "台账" in note.message
    history = client.get("/reports/history").get_data(as_text=True)
    assert 'data-testid="export-files"' in history and "可下载" in history


def test_a_small_export_still_downloads_at_once(client, world, app):
    auditor = auditor_of(world.tibet_office)
    login(client, auditor)
    response = ask(client, "quota", "xlsx")
    assert response.status_code == 302 and f"/reports/quota/{YEAR}.xlsx" in response.location
    assert ExportFile.query.count() == 0
    assert client.get(response.location).status_code == 200


def test_the_api_queues_polls_and_downloads_an_excel_ledger(client, world, queue_all):
    auditor = auditor_of(world.tibet_office)
    headers = bearer(auditor)
    response = client.post("/api/v1/reports/exports", headers=headers,
                           json={"kind": "ledger", "format": "xlsx", "year": YEAR})
    assert response.status_code == 201, response.get_data(as_text=True)
    status = client.get(response.headers["Location"], headers=headers).get_json()
    assert status["state"] == "ready" and status["percent"] == 100 and status["sha256"]
    download = client.get(status["download_url"], headers=headers)
    assert download.status_code == 200 and download.data[:2] == b"PK"
    listed = client.get("/api/v1/reports/exports", headers=headers).get_json()["items"]
    assert [entry["id"] for entry in listed] == [status["id"]]


def test_someone_else_cannot_see_or_download_anothers_file(client, world, queue_all):
    auditor = auditor_of(world.tibet_office)
    login(client, auditor)
    ask(client, "ledger", "csv")
    item = ExportFile.query.one()
    other = auditor_of(world.tibet_office)  # same office, another person
    login(client, other)
    assert client.get(f"/reports/exports/{item.id}").status_code == 404
    assert client.get(f"/reports/exports/{item.id}/download").status_code == 404
    headers = bearer(other)
    assert client.get(f"/api/v1/reports/exports/{item.id}/file", headers=headers) \
        .status_code == 404


def test_unknown_kinds_and_scope_errors_are_refused_without_queueing(client, world, queue_all):
    login(client, auditor_of(world.tibet_office))
    assert ask(client, "ledger", "pdf").status_code == 404
    assert ask(client, "ledger", "csv", region="11").status_code == 403  # outside Tibet
    assert ExportFile.query.count() == 0


def test_the_cleanup_job_removes_expired_files_and_records_its_run(client, world, queue_all, db):
    login(client, auditor_of(world.tibet_office))
    ask(client, "ledger", "csv")
    ask(client, "ledger", "xlsx")
    old, fresh = ExportFile.query.order_by(ExportFile.id).all()
    old_path = queue_all / old.path
    old.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    assert run_scheduled("reports-remove-expired-exports") == 1
    db.session.expire_all()
    assert not old_path.exists() and old.state == "expired" and old.path is None
    assert fresh.state == "ready" and Path(queue_all / fresh.path).is_file()
    assert client.get(f"/reports/exports/{old.id}/download").status_code == 404
    assert "已超过保留期限" in client.get(f"/reports/exports/{old.id}").get_data(as_text=True)
    from marketplace.jobs.models import JobRun
    run = JobRun.query.filter_by(name="reports-remove-expired-exports").one()
    assert run.count == 1 and run.error is None


def test_the_cleanup_fails_exports_no_worker_finished_and_half_files_left_behind(
        world, queue_all, db):
    import os

    from marketplace.reports import kept

    auditor = auditor_of(world.tibet_office)
    item = kept.request_export(auditor, "ledger", YEAR, "csv", {})
    db.session.flush()
    db.session.info.pop("export_files")  # as if its worker had died with it: never run here
    item.state, item.created_at = "running", utcnow() - timedelta(days=2)
    db.session.commit()
    queue_all.mkdir(parents=True)
    half = queue_all / f"{item.id}.csv.part"
    half.write_text("order_number,line_id\r\n")
    two_days_ago = utcnow().timestamp() - 2 * 86400
    os.utime(half, (two_days_ago, two_days_ago))

    assert run_scheduled("reports-remove-expired-exports") == 1
    db.session.expire_all()
    assert item.state == "failed" and "abandoned" in item.error
    assert not half.exists()


def test_an_export_that_fails_says_why_and_lists_no_file(client, world, queue_all, db):
    """The job checks the scope again when it runs: a user who may no longer export gets a
    failed export with its reason, and no file."""
    from marketplace.reports import kept

    auditor = auditor_of(world.tibet_office)
    item = kept.request_export(auditor, "ledger", YEAR, "csv", {})
    auditor.role = "purchaser"  # changed before the job runs (in process: at the commit)
    db.session.commit()
    db.session.expire_all()
    assert item.state == "failed" and "PermissionDenied" in item.error and item.path is None
    assert not queue_all.exists() or list(queue_all.iterdir()) == []
    auditor.role = "auditor"
    db.session.commit()
    login(client, auditor)
    page = client.get(f"/reports/exports/{item.id}").get_data(as_text=True)
    assert "生成失败" in page and 'data-testid="export-download"' not in page
    assert client.get(f"/reports/exports/{item.id}/download").status_code == 404
