"""The API blueprint; every endpoint module of this package is imported here.

The API authenticates with bearer tokens only (never the session cookie), so it is exempt
from CSRF protection. Request hooks shared by every endpoint live here: the session user is
forgotten, input no column can take is refused (checks.guard_inputs), and Idempotency-Key is
handled for every POST.
"""
import importlib
import pkgutil

from flask import request

import marketplace.api as package
from marketplace.api import bp, idempotency
from marketplace.api.checks import guard_inputs
from marketplace.api.core import forget_session_user
from marketplace.extensions import csrf

csrf.exempt(bp)

_SUPPORT_MODULES = {"views", "core", "models", "idempotency", "commands", "checks", "contract"}


# Pages for people under /api/v1 (not operations): they show the menu of the logged-in user.
PAGES = {"api.docs_page"}


@bp.before_request
def _api_request_setup():
    if request.endpoint in PAGES:
        return None
    forget_session_user()
    guard_inputs()
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
