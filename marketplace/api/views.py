"""The API blueprint; every endpoint module of this package is imported here.

The API authenticates with bearer tokens only (never the session cookie), so it is exempt
from CSRF protection. Request hooks shared by every endpoint live here: the session user is
forgotten, out-of-range ids in paths are 404, and Idempotency-Key is handled for every POST.
"""
import importlib
import pkgutil

from flask import Blueprint, request

import marketplace.api as package
from marketplace.api import idempotency
from marketplace.api.core import INT_MAX, forget_session_user
from marketplace.errors import NotFound
from marketplace.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

_SUPPORT_MODULES = {"views", "core", "models", "idempotency", "commands"}


@bp.before_request
def _api_request_setup():
    forget_session_user()
    for value in (request.view_args or {}).values():
        # An id no INTEGER column can hold names nothing (and must not reach the database).
        if isinstance(value, int) and not 0 <= value <= INT_MAX:
            raise NotFound("No such object.", code="not_found")
    return idempotency.before_request()


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
