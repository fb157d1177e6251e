"""Languages: Chinese (zh_Hans_CN) first, English available.

Message ids are the Chinese text; each domain keeps its English catalogue in
`marketplace/<domain>/translations/en/LC_MESSAGES/messages.po`, compiled to .mo by
`flask translations compile` (run by the scripts and the test suite).
"""
import os
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_locale, get_translations, gettext, pgettext
from flask_login import current_user

from marketplace.extensions import babel
from marketplace.timeutil import to_cst

PACKAGE = Path(__file__).resolve().parent


def translation_directories():
    """Every domain's translations folder, so each domain owns its catalogue."""
    return [str(path) for path in sorted(PACKAGE.glob("*/translations"))] + \
        [str(PACKAGE / "translations")]


def translate(text, **variables):
    """The project's one translation function, imported as `_` everywhere.

    gettext in a request (the reader's language) or under `flask_babel.force_locale` (e-mail
    and exports in their reader's language, from a command or a job); otherwise (CLI, demo
    seeding, services called by tests) the Chinese message id, formatted as gettext would.
    What the services raise and return is written with it."""
    if has_request_context() or _locale_forced():
        return gettext(text, **variables)
    return text % variables if variables else text


def translate_in(context, text, **variables):
    """`translate` for a word whose English depends on where it stands (msgctxt `context`):
    "发货" is "Ship" on a button and "Shipped" as a step of an order's progress."""
    if has_request_context() or _locale_forced():
        return pgettext(context, text, **variables)
    return text % variables if variables else text


def _locale_forced():
    # force_locale keeps its locale in Flask-Babel's state on `g` (flask_babel 4); outside a
    # request gettext may only be called then (its locale selector reads the request).
    state = g.get("_flask_babel") if has_app_context() else None
    return getattr(state, "forced_babel_locale", None) is not None


def is_english():
    """Whether the page being rendered is in English (outside a request: no, Chinese)."""
    if not has_request_context():
        return False
    locale = get_locale()
    return locale is not None and locale.language == "en"


def format_day(value, with_time=False):
    """A date (or an aware datetime, shown in Beijing time) for people in the reader's language:
    2026年12月4日 (14:05), or December 4, 2026 (14:05) on English pages; "—" for nothing.
    ISO strings ("2026-12-04") are read first, so stored dates print the same way."""
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        try:
            value = (datetime.fromisoformat(value) if "T" in value or " " in value
                     else date.fromisoformat(value))
        except ValueError:
            return value
    moment = to_cst(value) if isinstance(value, datetime) and value.tzinfo else value
    day = moment.date() if isinstance(moment, datetime) else moment
    # Outside a request (a command, a job) in Chinese, the default, unless the text is being
    # written for one reader (force_locale: an e-mail or notification in their language).
    locale = get_locale() if has_request_context() or _locale_forced() else None
    text = format_date(day, "long", locale=str(locale or "zh_Hans_CN"))
    if with_time and isinstance(moment, datetime):
        text += f" {moment:%H:%M}"
    return text


def local_name(name, name_en=None):
    """A stored name in the reader's language: the English one on English pages when one is
    stored, else the Chinese one. Given an object (a category, a region), its `name` and
    `name_en`."""
    if name_en is None and hasattr(name, "name"):
        name, name_en = name.name, getattr(name, "name_en", None)
    return name_en if name_en and is_english() else name


def select_locale():
    """The session's choice, then the user's saved choice, then Chinese."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    if request.path.startswith("/api/"):
        best = request.accept_languages.best_match(["zh", "en"])
        return "en" if best == "en" else current_app.config["BABEL_DEFAULT_LOCALE"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app):
    """Configure Flask-Babel with every domain's catalogue."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories())
    babel.init_app(app, locale_selector=select_locale, default_timezone="Asia/Shanghai")
    _install_template_gettext(app)


def _install_template_gettext(app):
    """Templates' `_()`: Flask-Babel's, each (locale, message) looked up once per app.

    A page asks for dozens of translations (a list's twenty cards, a few each), and
    Flask-Babel finds its catalogue through the request's context on every call, which cost a
    list's render more than its cards' query. The catalogues are read once per process
    anyway (Flask-Babel keeps them), so remembering their answers changes nothing; the locale
    is still asked each time (a `force_locale` for a mail gets its own language)."""
    found = {}

    def template_gettext(text):
        key = (str(get_locale()), text)
        if key not in found:
            found[key] = get_translations().ugettext(text)
        return found[key]

    app.jinja_env.install_gettext_callables(
        gettext=template_gettext,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
        newstyle=True)


def compile_catalogues():
    """Compile every .po catalogue to .mo (pure Python, through Babel)."""
    compiled = []
    for po_path in PACKAGE.glob("**/translations/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        # Written aside and renamed, so a process reading the catalogue (a second test worker,
        # a running server) never sees half a file.
        partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(partial, mo_path)
        compiled.append(mo_path)
    return compiled
