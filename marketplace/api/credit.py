"""Suppliers' credit in the JSON API: a supplier's points, tier and every event behind them."""
from flask import jsonify

from marketplace.api.core import api_user, iso, require_auth
from marketplace.api.views import bp
from marketplace.credit import services
from marketplace.credit.labels import reason_label

READERS = ("supplier_staff", "admin", "auditor")


def serialize_event(event):
    """One ledger event: when, how many points, why, and the order or product it comes from."""
    return {
        "id": event.id,
        "at": iso(event.at),
        "points": event.points,
        "reason": event.reason,
        "description": str(reason_label(event.reason)),
        "note": event.note,
        "order_id": event.order_id,
        "order_number": event.order.number if event.order is not None else None,
        "product_id": event.product_id,
        "review_id": event.review_id,
    }


@bp.get("/suppliers/<int:organization_id>/credit")
@require_auth(*READERS)
def supplier_credit(organization_id):
    """That supplier's staff, admins and auditors: points, tier and the events (they sum to
    the points), oldest first."""
    supplier = services.readable_supplier(api_user(), organization_id)
    points, tier, events = services.ledger(supplier)
    upper, missing = services.next_tier(points)
    return jsonify({
        "supplier_id": supplier.id,
        "supplier_name": supplier.name,
        "points": points,
        "tier": tier,
        "next_tier": upper,
        "points_to_next_tier": missing,
        "events": [serialize_event(event) for event in events],
    })
