"""API: quota reports and the ledger as files (CSV, Excel, PDF), for auditors and managers;
sales statistics for suppliers and buyer organisations."""
from flask import jsonify, request

from marketplace.api import bp
from marketplace.api.core import api_user, require_auth
from marketplace.errors import ValidationError
from marketplace.reports import exports, sales, services
from marketplace.reports.sales import BUYER_ROLES, SELLER_ROLES, sales_json
from marketplace.timeutil import this_year


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


def _sales_year():
    """The ?year= of a statistics request (this year when absent); 400 for anything else."""
    try:
        return sales.parse_year(request.args.get("year"), this_year())
    except sales.BadYear as bad:
        raise ValidationError(str(bad), fields={"year": "invalid"}) from None


@bp.get("/reports/sales")
@require_auth(*SELLER_ROLES)
def sales_statistics():
    """The caller's supplier: accepted sales of the year by month, product and buyer kind."""
    return jsonify(sales_json(sales.supplier_sales(api_user().organization_id, _sales_year())))


@bp.get("/reports/spend")
@require_auth(*BUYER_ROLES)
def spend_statistics():
    """The caller's buyer organisation: accepted purchases of the year by month, supplier and
    origin."""
    return jsonify(sales_json(sales.buyer_spend(sales.spend_scope(api_user()), _sales_year())))
