"""The API blueprint with every endpoint module of this package (each adds its routes to `bp`).

The API authenticates with bearer tokens only (never the session cookie), so it is exempt
from CSRF protection. Request hooks shared by every endpoint live here: the session user is
forgotten, input no column can take is refused (checks.guard_inputs), and Idempotency-Key is
handled for every POST.
"""
from flask import request

from marketplace.api import (admin, aftersales, auth, board, bp, bulk_listing,  # noqa: F401
                             catalog, credit, docs, exports, favourites, idempotency, invoices, openapi, orders,
                             pairings, payments, quota, reorder, reports, search, statements,
                             suppliers)
from marketplace.api.checks import guard_inputs
from marketplace.api.core import forget_session_user
from marketplace.extensions import csrf

csrf.exempt(bp)

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

