"""API: quota reports and the ledger as files (CSV, Excel, PDF), for auditors and managers."""
from flask import request

from marketplace.api import bp
from marketplace.api.core import api_user, require_auth
from marketplace.reports import exports, services


@bp.get("/quota/<int:year>/report.<fmt>")
@require_auth(*services.QUOTA_ROLES)
def quota_report(year, fmt):
    """The rows of GET /quota/{year}/units (same filters, same columns) as csv, xlsx or pdf."""
    return exports.quota_export(api_user(), year, fmt, request.args)


@bp.get("/quota/<int:year>/ledger.<fmt>")
@require_auth(*services.LEDGER_ROLES)
def quota_ledger(year, fmt):
    """Every counted and in-progress order line in the caller's scope, as csv or xlsx."""
    return exports.ledger_export(api_user(), year, fmt, request.args)
