"""The input guard: what every request may carry, checked once for pages and the API alike.

Text anywhere in a request (query string, form, JSON body) must be text a database can store:
no NUL character (PostgreSQL refuses it) and no lone UTF-16 surrogate (it cannot be encoded).
Such a request is refused with 400 before any view runs (`marketplace.web` asks
`unstorable_request`; the API's JSON bodies are checked where they are parsed). Numbers and dates read from query
strings go through `int_arg`, `page_arg` and `day_arg`, which keep them within what the
database and the calendar can hold, so no page fails on a huge page number or year 1.
"""
import re
from datetime import date

from flask import current_app, request

from marketplace.database import MAX_ID
from marketplace.errors import ValidationError

# Far beyond any real list; (page - 1) × per_page stays well within 64 bits.
MAX_PAGE = 1_000_000
# Dates people filter by: the platform's own years, with room on both sides. Outside this,
# converting a CST day to UTC could leave the calendar (year 1, year 9999).
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 31)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text):
    """Whether `text` holds a NUL or a lone surrogate (no database column can store it)."""
    return isinstance(text, str) and _UNSTORABLE.search(text) is not None


def unstorable_json(value):
    """Whether unstorable text hides in a parsed JSON value (in a string or a key).

    Numbers are left to the fields that read them (the API's `field`), which answer 422 with
    the field's name for one out of range."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if unstorable(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def unstorable_request(request, form=True):
    """Whether the query string (or, with `form`, the form of a request that may carry one)
    holds unstorable text."""
    form = form and request.method not in ("GET", "HEAD")  # no view reads a GET's body
    for values in (request.args, request.form) if form else (request.args,):
        for key, value in values.items(multi=True):
            if unstorable(key) or unstorable(value):
                return True
    return False


def int_arg(name, default=None, minimum=1, maximum=MAX_ID):
    """An integer query argument within [minimum, maximum]; anything else is the default."""
    raw = (request.args.get(name) or "").strip()
    if not raw or len(raw) > 20 or not raw.lstrip("-").isdigit():
        return default
    value = int(raw)
    return value if minimum <= value <= maximum else default


def page_arg(name="page"):
    """A page number: 1 when missing or not a number, at most MAX_PAGE (an empty page)."""
    raw = (request.args.get(name) or "").strip()
    if not raw.isdigit():
        return 1
    return max(1, min(int(raw[:12]) if len(raw) <= 12 else MAX_PAGE, MAX_PAGE))


def day_in_range(day):
    return day is not None and FIRST_DAY <= day <= LAST_DAY


def day_arg(name):
    """(date or None, ok): a YYYY-MM-DD query argument; ok is False when one was given but is
    not a date between FIRST_DAY and LAST_DAY (the caller says so and ignores it)."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None, True
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, False
    return (day, True) if day_in_range(day) else (None, False)


def read_upload(upload, field, empty, too_large):
    """The bytes of an uploaded file, at most MAX_UPLOAD_BYTES.

    :param empty: the message for an empty file; `too_large`: for a larger one, given the
        limit in MB as %(mb)s.
    :raises ValidationError: empty (code "empty") or too large ("too_large") on `field`.
    """
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError(empty, fields={field: "empty"})
    if len(data) > limit:
        raise ValidationError(too_large % {"mb": limit // (1024 * 1024)},
                              fields={field: "too_large"})
    return data
