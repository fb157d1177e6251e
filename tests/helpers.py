"""Helpers every test may use: signing in a client, CSRF tokens, API tokens and bearer headers,
the API's error shape, moments in China Standard Time, files to upload (PDF, images), raw HTTP
posts to a live server, racing calls, waiting for another thread's work, the translatable
strings of the code and their English.

The data the tests build (users of each role, products, orders in each state) comes from
tests/factories.py; the fixtures (`client`, `login_as`, `post_form`, `parties`, ...) from
tests/conftest.py.
"""
import glob
import io
import mimetypes
import os
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from flask import current_app, g
from itsdangerous import URLSafeTimedSerializer
from PIL import Image
from sqlalchemy import event
from werkzeug.datastructures import FileStorage

from marketplace import create_app
from marketplace.accounts.services import start_login
from marketplace.api.core import issue_token
from marketplace.config import ROOT, TestConfig
from marketplace.extensions import db
from marketplace.timeutil import CST
from tests import factories


def app_on(database_url, folder=None):
    """The application (test settings) on this database; uploads, mail files and kept exports under `folder`
    when given."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        if folder is not None:
            UPLOAD_FOLDER = str(folder / "uploads")
            MAIL_FILE_DIR = str(folder / "mail")
            EXPORTS_DIR = str(folder / "exports")
            CATALOG_VERSION_FILE = str(folder / "catalog-version")
            SHARED_COUNTERS_FOLDER = str(folder / "counters")

    return create_app(Config)


def login(client, user):
    """Sign `user` in on a test client: the one way tests switch the signed-in user.

    Opens a login on the server, commits (so requests see the user), and sets the Flask-Login
    session directly to "<id>:<login key>:<fingerprint>" (`User.get_id`). The user loaded for an
    earlier request (kept on the test's app context, which outlives requests) is forgotten.
    """
    start_login(user)
    db.session.commit()
    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def csrf_token(client):
    """A valid CSRF token for the client's session (as a form would carry)."""
    with client.session_transaction() as session:
        raw = session.get("csrf_token")
        if raw is None:
            raw = os.urandom(20).hex()
            session["csrf_token"] = raw
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="wtf-csrf-token")
    return serializer.dumps(raw)


def token_for(user):
    """A fresh bearer token for `user`, committed so requests see it (issued directly: the
    token endpoint itself is tested in tests/api/test_tokens.py)."""
    token = issue_token(user)
    db.session.commit()
    return token


def bearer(user_or_token):
    """The Authorization header for a user (a new token) or a token string."""
    token = user_or_token if isinstance(user_or_token, str) else token_for(user_or_token)
    return {"Authorization": f"Bearer {token}"}


def as_role(role, **kwargs):
    """A new user of `role` and its bearer header."""
    user = factories.user(role, **kwargs)
    db.session.commit()
    return user, bearer(user)


def assert_error(response, status, code=None):
    """The response is the API's error shape with this status (and code, when given)."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


def cst(year, month, day, hour=12, minute=0, second=0):
    """A China Standard Time wall-clock moment as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, second, tzinfo=CST).astimezone(timezone.utc)


def wait_for(condition, timeout=15):
    """Poll `condition()` (reading fresh rows each time) until true or the time is up."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        db.session.expire_all()
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 30, 30)):
    """A real image file's bytes (RGBA when `color` has an alpha, so a PNG stays a PNG)."""
    buffer = io.BytesIO()
    Image.new("RGBA" if len(color) == 4 else "RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def upload(data, filename="photo.png", content_type=None):
    """A file as a form hands it to a service (its type guessed from the name by default)."""
    content_type = content_type or mimetypes.guess_type(filename)[0]
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def post_json(url, body, headers=None):
    """POST `body` (bytes) as JSON to a live server: (status, response headers)."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def statements_during(action, seen=lambda _connection, statement: statement,
                       when="before_cursor_execute"):
    """The SQL statements sent to the database while `action()` runs; with `seen`, what
    `seen(connection, statement)` says of each (`when`: the engine event they are read at)."""
    statements = []

    def spy(connection, _cursor, statement, *_args):
        statements.append(seen(connection, statement))

    event.listen(db.engine, when, spy)
    try:
        action()
    finally:
        event.remove(db.engine, when, spy)
    return statements


def race(calls):
    """Run every call in its own thread, all let go at the same moment: their results, in order."""
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


TRANSLATED = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def english(*domains):
    """msgid → English text of these domains' catalogues (of every catalogue when none given)."""
    paths = [ROOT / f"marketplace/{domain}/translations/en/LC_MESSAGES/messages.po"
             for domain in domains] or \
        glob.glob(str(ROOT / "marketplace/**/translations/en/LC_MESSAGES/messages.po"),
                  recursive=True)
    known = {}
    for path in paths:
        with open(path, "rb") as handle:
            known.update({m.id: m.string for m in read_po(handle) if m.id and m.string})
    return known


def translatable_strings(python=(), templates=()):
    """(path, message) of every string marked for translation in these Python files and
    Jinja templates."""
    found = []
    for path in python:
        found += [(path, m) for _, m, _, _ in extract_from_file("python", path,
                                                                 keywords=TRANSLATED)]
    for path in templates:
        found += [(path, m) for _, m, _, _ in extract_from_file(
            "jinja2", path, keywords=TRANSLATED, options={"extensions": "jinja2.ext.i18n"})]
    return found


def domain_strings(domain, also=()):
    """The translatable strings of a domain: its modules (all levels), its templates, and the
    Python files `also` (paths from the repository's root)."""
    python = glob.glob(str(ROOT / f"marketplace/{domain}/**/*.py"), recursive=True)
    return translatable_strings(python + [str(ROOT / path) for path in also],
                                glob.glob(str(ROOT / f"templates/{domain}/*.html")))


def untranslated(found, known):
    """The (path, message) of `found` that `known` (msgid → English) has no English for."""
    return [(path, message) for path, message in found if message not in known]
