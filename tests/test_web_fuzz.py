"""Fuzzing every page's query string and every form the pages show, as every role, on SQLite
and PostgreSQL: whatever comes in, no answer is a 500.

The query arguments are those the code reads (found in the source) and those the pages' GET
forms send; the forms are those the pages render (found in their HTML), posted with their
CSRF token. Each gets the known troublemakers (huge numbers, year 1 and 9999, NUL, overlong
and odd text) and then random text from hypothesis, bounded to keep the suite quick.
"""
import re
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.helpers import login

ROOT = Path(__file__).resolve().parent.parent / "marketplace"
ROLES = (None, "purchaser", "unit_manager", "supplier_staff", "auditor", "admin")
NASTY = ["99999999999999999999", "-1", "0001-01-01", "9999-12-31", "1e999", "\x00", "x" * 3000]
# The forms get fewer (each POST may do work); hypothesis adds odd text at random below.
NASTY_FORM = ["99999999999999999999", "0001-01-01", "\x00", "x" * 3000, "-1"]
# Forms that end the fuzzing client's own session or switch its language: not fuzzed.
SKIP_ACTIONS = ("/logout", "/language/")
READ_NAMES = re.compile(r"""(?:args\.get(?:list)?|_arg|day_arg|_date_arg|_fen_arg|int_arg)\(\s*["']([a-z_]+)["']""")


def query_names():
    """Every query argument the code reads."""
    names = set()
    for path in ROOT.rglob("*.py"):
        names.update(READ_NAMES.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)


def forms_of(html, page_url):
    """[(method, action, {name: value})] of the forms in a page (hidden values kept)."""
    found = []
    for attrs, body in FORM.findall(html):
        attributes = dict(ATTR.findall(attrs))
        method = attributes.get("method", "get").lower()
        action = unescape(attributes.get("action") or page_url)
        fields = {}
        for _tag, field_attrs in FIELD.findall(body):
            field = dict(ATTR.findall(field_attrs))
            if field.get("name"):
                fields[field["name"]] = unescape(field.get("value", ""))
        found.append((method, action, fields))
    return found


def page_urls(app):
    """One URL per page (GET rule) outside the API and static files, ids set to 1."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or \
                rule.rule.startswith(("/api/", "/webhooks/")):
            continue
        values = {arg: 1 for arg in rule.arguments}
        try:
            urls.append(adapter.build(rule.endpoint, values))
        except Exception:  # noqa: BLE001 - a rule that needs other values is left out
            continue
    return sorted(set(urls))


@pytest.fixture
def world(app, db):
    """A little of everything, and one signed-in client per role."""
    unit = factories.org("budget_unit")
    users = {"purchaser": factories.user("purchaser", organization=unit),
             "unit_manager": factories.user("unit_manager", organization=unit),
             "supplier_staff": factories.user("supplier_staff"),
             "auditor": factories.user("auditor"), "admin": factories.user("admin")}
    supplier = users["supplier_staff"].organization
    product = factories.product(supplier=supplier, name="松茸")
    for status in ("pending_approval", "placed", "shipped", "accepted"):
        factories.order(users["purchaser"], lines=[(product, 2)], status=status)
    db.session.commit()
    clients = {}
    for role in ROLES:
        client = app.test_client()
        if role:
            login(client, users[role])
        clients[role] = client
    return clients


def _check(response, what):
    assert response.status_code < 500, f"{what} → {response.status_code}"


def _reachable(world, app):
    """[(role, url, html)] of every page each role may open (2xx)."""
    pages = []
    for role in ROLES:
        for url in page_urls(app):
            response = world[role].get(url)
            _check(response, f"GET {url} as {role}")
            if response.status_code == 200 and response.mimetype == "text/html":
                pages.append((role, url, response.get_data(as_text=True)))
    return pages


def test_every_query_string_survives_the_known_troublemakers(app, world):
    names = query_names()
    pages = _reachable(world, app)
    assert len(pages) > 30
    for role, url, html in pages:
        get_names = set(names)
        for method, _action, fields in forms_of(html, url):
            if method == "get":
                get_names.update(fields)
        for value in NASTY:
            query = urlencode({name: value for name in sorted(get_names)})
            _check(world[role].get(f"{url}?{query}"), f"GET {url}?…={value[:20]!r} as {role}")


def test_every_form_survives_the_known_troublemakers(app, world):
    forms = {}
    for role, url, html in _reachable(world, app):
        for method, action, fields in forms_of(html, url):
            if method == "post" and not action.startswith(SKIP_ACTIONS) and \
                    urlsplit(action).path:
                forms.setdefault((role, urlsplit(action).path), fields)
    assert len(forms) > 20
    for (role, action), fields in sorted(forms.items(), key=lambda item: item[0][0] or ""):
        for value in NASTY_FORM:
            data = {name: value for name in fields if name != "csrf_token"}
            data["csrf_token"] = fields.get("csrf_token", "")
            _check(world[role].post(action, data=data), f"POST {action} {value[:20]!r} as {role}")


TEXT = st.one_of(st.text(max_size=40), st.integers(min_value=-(10**30), max_value=10**30).map(str),
                 st.dates().map(str), st.sampled_from(NASTY))


def test_random_query_strings_never_answer_500(app, world):
    targets = [(role, url) for role in ROLES for url in page_urls(app)]
    names = query_names()

    @settings(max_examples=100, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(target=st.sampled_from(targets),
           args=st.dictionaries(st.sampled_from(names), TEXT, max_size=5))
    def fuzz(target, args):
        role, url = target
        _check(world[role].get(url, query_string=args), f"GET {url}?{args!r} as {role}")

    fuzz()
