"""The frame of a page (base.html: header, menu, footer) kept per role, filled per request.

Rendering base.html costs a signed-in page more than the catalog part it wraps once that part
is kept (`catalog.caching.shared_part`): the menu's entries and their URLs, the translated
labels, the language links. All of it is the same for every user of a role and language on
the same page, except a few values: the user's name and organisation, the form's CSRF token,
the language links' way back. base.html writes those as **slots** (`{{ slot("user_name") }}`);
`render_framed` renders the frame once per (language, role, the menu entries the user may
see, endpoint) with a marker in each slot, keeps it in the process (it depends on the code and
the translations only, never on the database), and per request joins its pieces with each
slot's value, escaped as Jinja would have. Everywhere else base.html renders as usual and
`slot` simply gives the value, so a page looks the same either way.

A per-user value of the header (a cart or unread count, say) is a slot: `add_slot(name,
value)` here, `{{ slot(name) }}` in the template. A page with a flash message to show is
rendered as usual (messages are rare and popped from the session).
"""
import functools
import re

from flask import current_app, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from marketplace import nav

_FILLERS = {}
_MARK = "<!--slot:{}-->"
_MARKS = re.compile(r"<!--slot:([\w:.-]+)-->")
_FRAMING = "marketplace.framing"  # on the request's environ while a frame is being rendered
MAX_FRAMES = 500  # a few roles × languages × menus × endpoints; a bound all the same


def add_slot(name, value):
    """Register a per-request value of base.html: `value(*args)` gives it (escaped when shown,
    unless it is Markup) for `{{ slot(name, *args) }}`."""
    _FILLERS[name] = value


def slot(name, *args):
    """base.html's per-user values: the value, or while a frame is rendered, its marker."""
    if request.environ.get(_FRAMING):
        return Markup(_MARK.format(":".join((name, *args))))
    return _FILLERS[name](*args)


def _language_url(code):
    return _language_url_of(code, request.script_root, request.full_path)


@functools.lru_cache(maxsize=4096)
def _language_url_of(code, script_root, full_path):
    # The same for every reader of a page: built once rather than on every request.
    return url_for("accounts.set_language", code=code, next=full_path)


def _badge(testid, count):
    """A count beside a menu entry or on the phone's menu button: nothing when it is 0."""
    if not count:
        return ""
    return Markup(' <span class="nav-count" data-testid="{}">{}</span>').format(testid, count)


def _nav_count(endpoint):
    """The badge beside a menu entry (a cart or unread count)."""
    return _badge(f"count-{endpoint}", nav.count_for(endpoint))


def _menu_count():
    """The phone's menu button: the sum of the counts folded behind it."""
    return _badge("menu-count", nav.counts_total())


add_slot("user_name", lambda: current_user.name)
add_slot("organization_name", lambda: current_user.organization.name)
add_slot("csrf_token", generate_csrf)
add_slot("language_url", _language_url)
add_slot("nav_count", _nav_count)
add_slot("menu_count", _menu_count)


def render_framed(title, content):
    """base.html around `content` (Markup), with `title` before the site's name in the window
    title: from the kept frame when there is one."""
    values = {"title": Markup("{} · ").format(title) if title else "", "content": content}
    if session.get("_flashes"):
        return render_template("page.html", **values)
    key = (str(get_locale()), current_user.role if current_user.is_authenticated else None,
           nav.visible_endpoints(), request.endpoint)
    frames = current_app.extensions.setdefault("page_frames", {})
    pieces = frames.get(key)
    if pieces is None:
        pieces = _MARKS.split(_render_frame())
        if len(frames) >= MAX_FRAMES:
            frames.clear()
        frames[key] = pieces
    parts = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            parts.append(piece)
        elif piece in values:
            parts.append(escape(values[piece]))
        else:
            name, *args = piece.split(":")
            parts.append(escape(_FILLERS[name](*args)))
    return "".join(parts)


def _render_frame():
    request.environ[_FRAMING] = True
    try:
        return render_template("page.html", title=Markup(_MARK.format("title")),
                               content=Markup(_MARK.format("content")))
    finally:
        request.environ.pop(_FRAMING, None)


def init_app(app):
    app.add_template_global(slot, "slot")
