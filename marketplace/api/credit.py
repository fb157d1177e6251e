"""Suppliers' credit in the JSON API: a supplier's points, tier and every event behind them."""
from flask import jsonify

from marketplace.api import bp
from marketplace.api.core import api_user, require_auth
from marketplace.credit import services
from marketplace.credit.schemas import supplier_credit_json

READERS = ("supplier_staff", "admin", "auditor")


@bp.get("/suppliers/<int:organization_id>/credit")
@require_auth(*READERS)
def supplier_credit(organization_id):
    """That supplier's staff, admins and auditors: points, tier and the events (they sum to
    the points), oldest first."""
    supplier = services.readable_supplier(api_user(), organization_id)
    points, tier, events = services.ledger(supplier)
    return jsonify(supplier_credit_json(supplier, points, tier, services.next_tier(points),
                                        events))
