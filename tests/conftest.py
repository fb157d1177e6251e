"""Fixtures: the app on SQLite and on a real PostgreSQL, a clean database per test, clients, logins.

Every test that uses `app` runs once per backend (test ids end in [sqlite] / [postgresql]).
Choose backends with `--backend sqlite` or `--backend postgresql` (default: both), or point
`TEST_POSTGRES_URL` at an existing empty database instead of the throwaway cluster.
"""
import os
import tempfile
import threading

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.config import TestConfig
from marketplace.extensions import db as _db
from marketplace.extensions import limiter
from marketplace.i18n import compile_catalogues
from tests import factories
from tests.pg import ThrowawayPostgres, free_port


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
def app(backend, request, tmp_path_factory):
    """The application on one backend, with the schema built once."""
    folder = tmp_path_factory.mktemp(f"app-{backend}")
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{folder / 'test.sqlite'}"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        UPLOAD_FOLDER = str(folder / "uploads")
        MAIL_FILE_DIR = str(folder / "mail")
        EXPORTS_DIR = str(folder / "exports")

    compile_catalogues()  # the English .mo files are build products (git-ignored)
    application = create_app(Config)
    with application.app_context():
        _db.drop_all()
        _db.create_all()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _clean(app):
    """Empty every table (and restart ids), then load the shipped regions."""
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
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


def login(client, user):
    """Log `user` in on a test client (opens a login on the server, commits, and sets the
    Flask-Login session directly to "<id>:<login key>:<fingerprint>", `User.get_id`)."""
    from marketplace.accounts.services import start_login

    start_login(user)
    _db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.fixture
def login_as(client, db):
    """login_as(role or user) → the client logged in as a new user of that role (or that user)."""

    def _login(who, **kwargs):
        user = factories.user(who, **kwargs) if isinstance(who, str) else who
        _db.session.commit()
        login(client, user)
        return user

    return _login


def csrf_token(client):
    """A valid CSRF token for the client's session (as a form would carry)."""
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    with client.session_transaction() as session:
        raw = session.get("csrf_token")
        if raw is None:
            raw = os.urandom(20).hex()
            session["csrf_token"] = raw
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="wtf-csrf-token")
    return serializer.dumps(raw)


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
