"""Orders API: place, list, read, approve, confirm, ship, accept, cancel.

Refunds and payments on an order live in the payments module's API file.
"""
from datetime import date

from flask import jsonify, request
from sqlalchemy.orm import selectinload

from marketplace.api.core import api_user, field, iso, json_body, paginate, require_auth
from marketplace.api.views import bp
from marketplace.errors import ValidationError
from marketplace.money import fen_str
from marketplace.ordering import services
from marketplace.ordering.models import ORDER_STATUSES, Order
from marketplace.payments import services as payments


def serialize_order(order):
    """The API's Order shape, with a few extra readable fields.

    `amount_due` and `refund_due` are the payments module's figures: what the buyer still
    owes for what it accepted (or ordered, before acceptance), and what was paid beyond the
    accepted value and not yet given back. Line `amount`s and `accepted_total` follow the
    accepted quantities once the order is accepted; `total` keeps what was ordered.
    """
    numbers = payments.figures(order)
    return {
        "id": order.id,
        "number": order.number,
        "status": order.status,
        "purpose": order.purpose,
        "buyer_organization_id": order.buyer_organization_id,
        "budget_unit_id": order.budget_unit_id,
        "checkout_id": order.checkout_id,
        "supplier_id": order.supplier_id,
        "total": fen_str(order.total_fen),
        "created_at": iso(order.created_at),
        "accepted_at": iso(order.accepted_at),
        "payment_status": order.payment_status,
        "paid_amount": fen_str(order.paid_fen or 0),
        "amount_due": fen_str(numbers["due"]),
        "refund_due": fen_str(numbers["refund_due"]),
        "accepted_total": fen_str(order.value_fen) if order.accepted_at else None,
        "payment_method": order.payment_method,
        "payment_terms": order.payment_terms,
        "due_date": order.due_date.isoformat() if order.due_date else None,
        "delivery_address": order.delivery_address,
        "wished_delivery_date": (order.wished_delivery_date.isoformat()
                                 if order.wished_delivery_date else None),
        "invoice_title": order.invoice_title,
        "invoice_tax_id": order.invoice_tax_id,
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "shipped_at": iso(order.shipped_at),
        "completed_at": iso(order.completed_at),
        "cancelled_at": iso(order.cancelled_at),
        "cancel_reason": order.cancel_reason,
        "lines": [{
            "id": line.id,
            "product_id": line.product_id,
            "product_name": line.product_name,
            "unit": line.unit,
            "quantity": line.quantity,
            "unit_price": fen_str(line.unit_price_fen),
            "origin_region_code": line.origin_region_code,
            "origin_aided": line.origin_aided,
            "accepted_quantity": line.accepted_quantity,
            "amount": fen_str(line.value_fen),
            "refunded_amount": fen_str(line.refunded_fen or 0),
        } for line in order.lines],
    }


def _one(order):
    return jsonify(serialize_order(order)), 200


def _optional_body():
    """The JSON object of a request whose body may be empty."""
    if not request.get_data(cache=True):
        return {}
    return json_body()


@bp.post("/orders")
@require_auth("purchaser")
def create_orders():
    data = json_body()
    lines = field(data, "lines", "list")
    parsed = []
    for index, line in enumerate(lines):
        if not isinstance(line, dict):
            raise ValidationError(f"lines[{index}] must be an object.",
                                  fields={f"lines[{index}]": "expected object"})
        parsed.append({"product_id": field(line, "product_id", "int"),
                       "quantity": field(line, "quantity", "int"),
                       "unit_price": field(line, "unit_price", "money", required=False)})
    wished = field(data, "wished_delivery_date", "str", required=False)
    if wished is not None:
        try:
            wished = date.fromisoformat(wished)
        except ValueError:
            raise ValidationError("'wished_delivery_date' must be a date (YYYY-MM-DD).",
                                  fields={"wished_delivery_date": "invalid"}) from None
    address = data.get("delivery_address")
    if isinstance(address, int) and not isinstance(address, bool):
        address = services.format_address(services.get_delivery_address(api_user(), address))
    else:
        address = field(data, "delivery_address", "str")
    orders = services.place_orders(
        api_user(), [(line["product_id"], line["quantity"]) for line in parsed],
        field(data, "purpose", "str"), address,
        field(data, "payment_method", "str"), field(data, "payment_terms", "str"),
        wished_delivery_date=wished,
        invoice_title=field(data, "invoice_title", "str", required=False),
        invoice_tax_id=field(data, "invoice_tax_id", "str", required=False),
        checkout_key=field(data, "checkout_key", "str", required=False),
        seen_prices=services.seen_prices_of(parsed))
    return jsonify({"orders": [serialize_order(order) for order in orders]}), 201


@bp.get("/orders")
@require_auth()
def list_orders():
    status = request.args.get("status") or None
    if status is not None and status not in ORDER_STATUSES:
        raise ValidationError(f"Unknown status '{status}'.", fields={"status": "unknown"})
    query = services.filter_orders(services.visible_orders(api_user()), status=status)
    # Each order's figures read its lines and payments: loaded for the whole page at once.
    query = query.options(selectinload(Order.lines), selectinload(Order.payments))
    return jsonify(paginate(query, serialize_order)), 200


@bp.get("/orders/<int:order_id>")
@require_auth()
def get_order(order_id):
    return _one(services.get_order(order_id, api_user()))


@bp.post("/orders/<int:order_id>/approve")
@require_auth("unit_manager")
def approve_order(order_id):
    order = services.get_order(order_id, api_user())
    data = _optional_body()
    services.approve_order(order, api_user(), field(data, "note", "str", required=False))
    return _one(order)


@bp.post("/orders/<int:order_id>/reject")
@require_auth("unit_manager")
def reject_order(order_id):
    order = services.get_order(order_id, api_user())
    data = json_body()
    services.reject_order(order, api_user(), field(data, "reason", "str"))
    return _one(order)


@bp.post("/orders/<int:order_id>/confirm")
@require_auth("supplier_staff")
def confirm_order(order_id):
    order = services.get_order(order_id, api_user())
    services.confirm_order(order, api_user())
    return _one(order)


@bp.post("/orders/<int:order_id>/ship")
@require_auth("supplier_staff")
def ship_order(order_id):
    order = services.get_order(order_id, api_user())
    data = json_body()
    services.ship_order(order, api_user(), field(data, "carrier", "str"),
                        field(data, "tracking_number", "str"))
    return _one(order)


@bp.post("/orders/<int:order_id>/accept")
@require_auth("purchaser", "unit_manager")
def accept_order(order_id):
    order = services.get_order(order_id, api_user())
    data = _optional_body()
    accepted = {}
    for index, line in enumerate(field(data, "lines", "list", required=False, default=[])):
        if not isinstance(line, dict):
            raise ValidationError(f"lines[{index}] must be an object.",
                                  fields={f"lines[{index}]": "expected object"})
        accepted[field(line, "line_id", "int")] = field(line, "accepted_quantity", "int")
    services.accept_delivery(order, api_user(), accepted,
                             note=field(data, "note", "str", required=False))
    return _one(order)


@bp.post("/orders/<int:order_id>/cancel")
@require_auth("purchaser", "unit_manager", "supplier_staff", "admin")
def cancel_order(order_id):
    order = services.get_order(order_id, api_user())
    data = _optional_body()
    services.cancel_order(order, api_user(), field(data, "reason", "str", required=False))
    return _one(order)
