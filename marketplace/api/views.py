"""The API blueprint; every endpoint module of this package is imported here.

The API authenticates with bearer tokens only (never the session cookie), so it is exempt
from CSRF protection. Request hooks shared by every endpoint live here: the session user is
forgotten, input no column can take is refused (guard_inputs), and Idempotency-Key is handled
for every POST.
"""
import importlib
import pkgutil

from flask import current_app, request
from werkzeug.datastructures import ImmutableMultiDict

import marketplace.api as package
from marketplace.api import bp, idempotency
from marketplace.api.core import INT_MAX, INT_MIN, Malformed, forget_session_user
from marketplace.api.openapi import integer_query_params
from marketplace.errors import NotFound, ValidationError
from marketplace.extensions import csrf

csrf.exempt(bp)

_SUPPORT_MODULES = {"views", "core", "models", "idempotency", "commands"}


# Pages for people under /api/v1 (not operations): they show the menu of the logged-in user.
PAGES = {"api.docs_page"}


@bp.before_request
def _api_request_setup():
    if request.endpoint in PAGES:
        return None
    forget_session_user()
    guard_inputs()
    return idempotency.before_request()


def guard_inputs():
    """Refuse, for every endpoint at once, input no database column can take.

    NUL characters (PostgreSQL refuses them in text) are malformed (400); integer query
    parameters of the description must be integers (422), and an id among them beyond INTEGER
    becomes 0, an id no row has.
    """
    # Integer ids in paths need no check here: the app's `int` converter already turns one
    # beyond INTEGER into 0 (marketplace.register_blueprints).
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and "\x00" in value:
            raise NotFound("No such object.", code="not_found")
    for name, value in request.args.items(multi=True):
        if "\x00" in name or "\x00" in value:
            raise Malformed("Query parameters must not contain NUL characters.",
                            code="malformed", fields={name: "invalid"})
    replaced = {}
    for name in integer_query_params(current_app, request.endpoint, request.method):
        for value in request.args.getlist(name):
            try:
                number = int(value)
            except ValueError:
                raise ValidationError(f"'{name}' must be an integer.",
                                      fields={name: "expected int"}) from None
            if not INT_MIN <= number <= INT_MAX and name.endswith("_id"):
                # As for ids in paths (marketplace.IdConverter): an id no row can have is 0.
                replaced[name] = "0"
    if replaced:
        args = request.args.copy()
        for name, value in replaced.items():
            args.setlist(name, [value])
        request.args = ImmutableMultiDict(args)


@bp.after_request
def _api_response_finish(response):
    response = idempotency.after_request(response)
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    response.headers.setdefault("Cache-Control", "no-store")
    return response


for _module in pkgutil.iter_modules(package.__path__):
    if _module.name not in _SUPPORT_MODULES and not _module.name.startswith("_"):
        importlib.import_module(f"marketplace.api.{_module.name}")
