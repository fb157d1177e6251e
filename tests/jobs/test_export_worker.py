"""A real RQ worker process on a real Redis writes a year's ledger on PostgreSQL while the
auditor's page polls its progress; a worker whose work-horse is killed mid-export leaves no file
listed as ready, and the retry writes it from the start."""
import io
import os
import signal
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from marketplace.extensions import db as _db
from marketplace.jobs import queue
from marketplace.ordering.models import OrderLine
from marketplace.reports.models import ExportFile
from tests.helpers import csrf_token, login, wait_for
from tests.jobs.helpers import start_jobs, stop
from tests.reports.helpers import YEAR, auditor_of, build_world

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def doublings():
    """The world's ledger lines × 2**14: ~80,000 rows in Tibet, seconds of CSV writing, long
    enough to kill the worker in the middle."""
    return 14


@pytest.fixture
def exports_app(app, db, redis_url, tmp_path, monkeypatch, doublings):
    """The test app enqueueing on RQ; every export queued; a world with a long ledger."""
    for key, value in {"JOBS_BACKEND": "rq", "REDIS_URL": redis_url, "EXPORTS_QUEUE_ROWS": 0,
                       "EXPORTS_DIR": str(tmp_path / "exports"),
                       "EXPORTS_RETRY_SECONDS": (1, 1)}.items():
        monkeypatch.setitem(app.config, key, value)
    queue.redis_connection().flushall()
    world = build_world()
    table = OrderLine.__table__
    columns = [column for column in table.c if column.name != "id"]
    for _ in range(doublings):
        _db.session.execute(insert(table).from_select([c.name for c in columns],
                                                      select(*columns)))
    _db.session.commit()
    return app, world


def seen(file_id):
    """(state, rows_written, attempts) as another process wrote them, read afresh."""
    _db.session.rollback()
    item = _db.session.get(ExportFile, file_id)
    _db.session.refresh(item)
    answer = (item.state, item.rows_written, item.attempts)
    _db.session.rollback()
    return answer


def page_state(client, file_id):
    """What the export page shows: its state and the progress bar's value and maximum."""
    html = client.get(f"/reports/exports/{file_id}").get_data(as_text=True)
    state = html.split('data-state="', 1)[1].split('"', 1)[0]
    value = maximum = None
    if 'data-testid="export-progress"' in html:
        bar = html.split("<progress", 1)[1].split(">", 1)[0]
        maximum = int(bar.split('max="', 1)[1].split('"', 1)[0])
        value = int(bar.split('value="', 1)[1].split('"', 1)[0])
    return state, value, maximum, html


def ask_for_ledger(client, fmt):
    response = client.post("/reports/exports", data={
        "kind": "ledger", "format": fmt, "year": YEAR, "csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


# Excel is written at about half the CSV's speed: half the rows still take seconds.
@pytest.mark.parametrize("doublings", [13])
def test_a_worker_writes_the_ledger_while_the_page_shows_its_progress(exports_app, client):
    app, world = exports_app
    login(client, auditor_of(world.tibet_office))
    file_id = ask_for_ledger(client, "xlsx")
    state, value, maximum, html = page_state(client, file_id)
    assert state == "queued" and value == 0 and maximum > 40_000
    assert '<meta http-equiv="refresh"' in html  # the page refreshes itself without JavaScript

    worker = start_jobs(app, EXPORTS_DIR=app.config["EXPORTS_DIR"])
    try:
        views = []
        while not views or views[-1][0] not in ("ready", "failed"):
            views.append(page_state(client, file_id)[:3])
            assert len(views) < 1000, views[-5:]
            time.sleep(0.25)
    finally:
        stop(worker)
    assert views[-1][0] == "ready", views[-3:]
    written = [value for state, value, _ in views if state == "running"]
    # The bar moved while the rows were written: some rows of the many expected, never back.
    assert any(0 < value < maximum for value in written), views
    assert written == sorted(written)

    state, value, _maximum, html = page_state(client, file_id)
    assert 'data-testid="export-download"' in html and "<meta http-equiv" not in html
    download = client.get(f"/reports/exports/{file_id}/download")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.data), read_only=True)
    info = dict(book["export_info"].iter_rows(values_only=True))
    item = _db.session.get(ExportFile, file_id)
    assert int(info["rows"]) == item.rows_written == value
    assert info["sha256"] == item.export.sha256 and info["sha256"] in html
    book.close()


def _horse_of(worker):
    """The work-horse RQ forked for the job at hand: the worker's child that leads a process
    group of its own (RQ calls setpgrp() in it; the worker's scheduler process does not)."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    for child in map(int, children):
        group = int(Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[2])
        if group == child:
            return child
    return None


def test_a_killed_export_is_never_listed_ready_and_the_retry_writes_it_whole(
        exports_app, client):
    app, world = exports_app
    login(client, auditor_of(world.tibet_office))
    file_id = ask_for_ledger(client, "csv")
    folder = Path(app.config["EXPORTS_DIR"])
    worker = start_jobs(app, EXPORTS_DIR=app.config["EXPORTS_DIR"])
    try:
        assert wait_for(lambda: seen(file_id)[0] == "running" and seen(file_id)[1] > 0,
                        timeout=120)
        horse = _horse_of(worker)
        assert horse is not None
        os.kill(horse, signal.SIGKILL)  # the machine dies under the job, mid-file
        state, rows, attempts = seen(file_id)
        assert state != "ready" and attempts == 1
        assert [path.name for path in folder.iterdir() if not path.name.endswith(".part")] == []
        assert "export-download" not in client.get(f"/reports/exports/{file_id}").get_data(
            as_text=True)
        assert client.get(f"/reports/exports/{file_id}/download").status_code == 404
        # The queue tries again, from the first row, and finishes.
        assert wait_for(lambda: seen(file_id)[0] == "ready", timeout=120)
    finally:
        stop(worker)
    state, rows, attempts = seen(file_id)
    assert attempts == 2
    files = sorted(path.name for path in folder.iterdir())
    assert len(files) == 1 and not files[0].endswith(".part")
    body = client.get(f"/reports/exports/{file_id}/download").data.decode("utf-8-sig")
    lines = body.split("\r\n\r\n", 1)[0].split("\r\n")
    assert len(lines) - 1 == rows  # header + every row, once
