"""Fixtures: the app on SQLite and on a real PostgreSQL, a clean database per test, clients,
logins, trading parties, and the servers tests need (PostgreSQL, Redis, localstripe, the live
server, Chromium). The layout of tests/ and where each helper lives: tests/README.md.

Every test that uses `app` runs once per backend (test ids end in [sqlite] / [postgresql]).
Choose backends with `--backend sqlite` or `--backend postgresql` (default: both), or point
`TEST_POSTGRES_URL` at an existing empty database instead of the throwaway cluster.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from marketplace.extensions import db as _db
from marketplace.extensions import limiter
from marketplace.i18n import compile_catalogues
from tests import factories
from tests.demo_snapshot import load_demo
from tests.helpers import app_on, csrf_token, login
from tests.pg import ThrowawayPostgres, free_port
from tests.shared_apps import redis_servers, servers  # noqa: F401 (fixtures)

LOCALSTRIPE = Path(__file__).parent / "payments" / "localstripe_in_memory.py"


def pytest_addoption(parser):
    parser.addoption("--backend", action="append", choices=["sqlite", "postgresql"],
                     help="database backend(s) to run on (default: both)")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        backends = metafunc.config.getoption("backend") or ["sqlite", "postgresql"]
        metafunc.parametrize("backend", backends, scope="session")


def pytest_collection_modifyitems(config, items):
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec else None
        if backend == "postgresql" and item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason="browser journeys run on SQLite"))
        if backend == "sqlite" and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL"))


@pytest.fixture(scope="session")
def postgres_url():
    if os.environ.get("TEST_POSTGRES_URL"):
        yield os.environ["TEST_POSTGRES_URL"]
        return
    server = ThrowawayPostgres().start()
    try:
        yield server.create_database("marketplace_test")
    finally:
        server.stop()


@pytest.fixture
def empty_database_url(backend, tmp_path, request):
    """An empty database on the backend, for migrations to build (SQLite file or a fresh
    PostgreSQL database)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.sqlite'}"
    base = request.getfixturevalue("postgres_url")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS migrations_check"))
        connection.execute(text("CREATE DATABASE migrations_check"))
    engine.dispose()
    return base.rsplit("/", 1)[0] + "/migrations_check"


@pytest.fixture(scope="session")
def redis_url():
    """A throwaway Redis (tests/redis_server.py) for this test session or xdist worker."""
    from tests.redis_server import ThrowawayRedis

    server = ThrowawayRedis().start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def localstripe_url():
    """localstripe (in-memory, see localstripe_in_memory.py) on a free loopback port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, str(LOCALSTRIPE), "--port", str(port),
                                "--from-scratch"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{url}/v1/customers", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers (401 without a key): it is up
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("localstripe did not start")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def stripe_server(app, localstripe_url):
    """The app pointed at localstripe (restored afterwards)."""
    before = app.config["STRIPE_API_BASE"]
    app.config["STRIPE_API_BASE"] = localstripe_url
    yield localstripe_url
    app.config["STRIPE_API_BASE"] = before


@pytest.fixture
def stripe_webhooks(app, stripe_server, live_server):
    """localstripe sends its signed webhooks to this test's live server."""
    body = json.dumps({"url": f"{live_server.url}/webhooks/stripe",
                       "secret": app.config["STRIPE_WEBHOOK_SECRET"]}).encode()
    request = urllib.request.Request(f"{stripe_server}/_config/webhooks/marketplace", data=body,
                                     headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request, timeout=5).read()
    return live_server


@pytest.fixture(scope="session")
def app(backend, request, tmp_path_factory):
    """The application on one backend, with the schema built once."""
    folder = tmp_path_factory.mktemp(f"app-{backend}")
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{folder / 'test.sqlite'}"

    compile_catalogues()  # the English .mo files are build products (git-ignored)
    application = app_on(url, folder)
    with application.app_context():
        _db.drop_all()
        _db.create_all()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


_SEQUENCES = {}  # backend URL → {table name: its id sequence}, read once per session


def _used_tables(connection, tables):
    """The names of the tables holding rows, found by one statement of EXISTS checks."""
    return set(connection.execute(text(" UNION ALL ".join(
        f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM \"{table.name}\")"
        for table in tables))).scalars())


def _regions_as_shipped(connection):
    """Whether the regions table holds the shipped registry untouched (most tests only read
    it, and deleting it checks every foreign key that points at it)."""
    rows = connection.execute(text(
        "SELECT code, name, name_en, parent_code, level, aided FROM regions ORDER BY code"))
    return [tuple(row) for row in rows] == factories.shipped_regions()


def _clean(app):
    """Empty every table a test wrote to (restarting their ids) and put the shipped regions
    back where a test changed them.

    DELETE of the few tables used, not TRUNCATE of all: TRUNCATE rewrites every table's files
    (~200 ms a test on PostgreSQL), DELETE of empty tables is skipped."""
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as connection:
        used = _used_tables(connection, tables)
        keep_regions = "regions" in used and _regions_as_shipped(connection)
        if keep_regions:
            used.discard("regions")
        for table in tables:
            if table.name in used:
                connection.execute(table.delete())
        if connection.dialect.name == "postgresql" and used:
            url = str(connection.engine.url)
            if url not in _SEQUENCES:
                _SEQUENCES[url] = {table.name: sequence for table, sequence in (
                    (table, connection.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                               {"t": f'"{table.name}"'}).scalar())
                    for table in tables if "id" in table.c) if sequence}
            restarts = [f"setval('{_SEQUENCES[url][name]}', 1, false)"
                        for name in used if name in _SEQUENCES[url]]
            if restarts:
                connection.execute(text("SELECT " + ", ".join(restarts)))
        elif used:
            # SQLite's AUTOINCREMENT counters (where a table uses them) start again too.
            if connection.execute(text(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first():
                connection.execute(text("DELETE FROM sqlite_sequence"))
    if not keep_regions:
        factories.load_regions()


@pytest.fixture
def db(app):
    """A clean database for one test, inside an app context."""
    with app.app_context():
        _clean(app)
        limiter.reset()
        mail_dir = app.config["MAIL_FILE_DIR"]
        if os.path.isdir(mail_dir):
            for name in os.listdir(mail_dir):
                os.remove(os.path.join(mail_dir, name))
        yield _db
        _db.session.remove()


class Client(FlaskClient):
    """A test client whose requests do not inherit per-request state from the test's app context.

    Requests reuse the app context the `db` fixture pushed, so Flask-Login's loaded user and
    Flask-Babel's locale (both kept on `g`) would otherwise leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
            g.pop("_flask_babel", None)
            g.pop("request_failed", None)
            g.pop("csrf_token", None)  # Flask-WTF keeps the session's token there
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app, db):
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def login_as(client, db):
    """login_as(role or user) → the client signed in as a new user of that role (or that user);
    call it again to switch the signed-in user (tests.helpers.login signs in any other client)."""

    def _login(who, **kwargs):
        user = factories.user(who, **kwargs) if isinstance(who, str) else who
        login(client, user)
        return user

    return _login


@pytest.fixture
def demo(app, db):
    """The demo data (`flask demo load`) in the test's clean database; returns the command's
    output. Loaded for real once per backend, then put back row for row (tests/demo_snapshot.py)."""
    return load_demo(app)


@pytest.fixture
def parties(db):
    """A buyer, a supplier with staff, a settlement account and two products
    (factories.Parties); `parties.order(status)` gives an order in that state."""
    return factories.Parties()


@pytest.fixture
def post_form(client):
    """post_form(url, data) → a POST carrying a valid CSRF token."""

    def _post(url, data=None, **kwargs):
        payload = dict(data or {})
        payload.setdefault("csrf_token", csrf_token(client))
        return client.post(url, data=payload, **kwargs)

    return _post


class LiveServer:
    def __init__(self, app):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()


@pytest.fixture
def live_server(app, db):
    """The app served over HTTP on a free loopback port, on the test's database."""
    _db.session.commit()
    server = LiveServer(app).start()
    yield server
    server.stop()


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page (phone-sized viewport) whose relative URLs go to the live server."""
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN",
                                   viewport={"width": 390, "height": 844})
    context.set_default_timeout(10000)
    browser_page = context.new_page()
    yield browser_page
    context.close()


@pytest.fixture(scope="session")
def tmp_folder():
    with tempfile.TemporaryDirectory() as folder:
        yield folder
