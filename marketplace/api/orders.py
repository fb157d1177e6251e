"""Orders API: place, list, read, approve, confirm, ship, accept, cancel.

Refunds and payments on an order live in the payments module's API file.
"""
from datetime import date
from functools import wraps

from flask import jsonify, request
from sqlalchemy.orm import selectinload

from marketplace.api import bp
from marketplace.api.core import api_user, field, json_body, paginate, require_auth
from marketplace.errors import ValidationError
from marketplace.ordering import services
from marketplace.ordering.models import ORDER_STATUSES, Order
from marketplace.payments.schemas import order_with_figures_json


def _one(order):
    return jsonify(order_with_figures_json(order)), 200


def _optional_body():
    """The JSON object of a request whose body may be empty."""
    if not request.get_data(cache=True):
        return {}
    return json_body()


def _objects(items, name):
    """The items of the body's list `name`, each a JSON object (else refused with its index)."""
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationError(f"{name}[{index}] must be an object.",
                                  fields={f"{name}[{index}]": "expected object"})
        yield item


def _order_step(step, *roles):
    """Registers the decorated `do(order, user)` as POST /orders/<id>/<step> for `roles`: it
    does the step to an order the user may see; the answer is the order as it now is."""
    def register(do):
        @bp.post(f"/orders/<int:order_id>/{step}")
        @require_auth(*roles)
        @wraps(do)
        def endpoint(order_id):
            user = api_user()
            order = services.get_order(order_id, user)
            do(order, user)
            return _one(order)
        return endpoint
    return register


@bp.post("/orders")
@require_auth("purchaser")
def create_orders():
    data = json_body()
    parsed = [{"product_id": field(line, "product_id", "int"),
               "quantity": field(line, "quantity", "int"),
               "unit_price": field(line, "unit_price", "money", required=False)}
              for line in _objects(field(data, "lines", "list"), "lines")]
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
        invoice_kind=field(data, "invoice_kind", "str", required=False),
        invoice_email=field(data, "invoice_email", "str", required=False),
        checkout_key=field(data, "checkout_key", "str", required=False),
        seen_prices=services.seen_prices_of(parsed))
    return jsonify({"orders": [order_with_figures_json(order) for order in orders]}), 201


@bp.get("/orders")
@require_auth()
def list_orders():
    status = request.args.get("status") or None
    if status is not None and status not in ORDER_STATUSES:
        raise ValidationError(f"Unknown status '{status}'.", fields={"status": "unknown"})
    query = services.filter_orders(services.visible_orders(api_user()), status=status)
    # Each order's figures read its lines and payments: loaded for the whole page at once.
    query = query.options(selectinload(Order.lines), selectinload(Order.payments))
    return jsonify(paginate(query, order_with_figures_json)), 200


@bp.get("/orders/<int:order_id>")
@require_auth()
def get_order(order_id):
    return _one(services.get_order(order_id, api_user()))


@_order_step("approve", "unit_manager")
def approve_order(order, user):
    services.approve_order(order, user, field(_optional_body(), "note", "str", required=False))


@_order_step("reject", "unit_manager")
def reject_order(order, user):
    services.reject_order(order, user, field(json_body(), "reason", "str"))


@_order_step("confirm", "supplier_staff")
def confirm_order(order, user):
    services.confirm_order(order, user)


@_order_step("ship", "supplier_staff")
def ship_order(order, user):
    data = json_body()
    services.ship_order(order, user, field(data, "carrier", "str"),
                        field(data, "tracking_number", "str"))


@_order_step("accept", "purchaser", "unit_manager")
def accept_order(order, user):
    data = _optional_body()
    accepted = {field(line, "line_id", "int"): field(line, "accepted_quantity", "int")
                for line in _objects(field(data, "lines", "list", required=False, default=[]),
                                     "lines")}
    services.accept_delivery(order, user, accepted,
                             note=field(data, "note", "str", required=False))


@_order_step("restock", "supplier_staff")
def restock_order(order, user):
    services.restock_refused(order, user)


@_order_step("cancel", "purchaser", "unit_manager", "supplier_staff", "admin")
def cancel_order(order, user):
    services.cancel_order(order, user, field(_optional_body(), "reason", "str", required=False))
