"""Orders API: place, list, read, approve, confirm, ship, accept, cancel.

Refunds and payments on an order live in the payments module's API file.
"""
from flask import jsonify, request
from sqlalchemy.orm import selectinload

from marketplace.api import bp
from marketplace.api.bodies import calendar_day, read_body
from marketplace.api.core import api_user, paginate, require_auth
from marketplace.api.steps import steps_of
from marketplace.errors import ValidationError
from marketplace.ordering import services
from marketplace.ordering.models import ORDER_STATUSES, Order
from marketplace.payments.schemas import order_with_figures_json


def _one(order):
    return jsonify(order_with_figures_json(order)), 200


# POST /orders/<id>/<step>: the step done to an order the user may see, answered with the order.
order_step = steps_of(__name__, "/orders/<int:order_id>", services.get_order,
                      order_with_figures_json)


@bp.post("/orders")
@require_auth("purchaser")
def create_orders():
    body = read_body()
    lines = body.pop("lines")
    address = body.pop("delivery_address")
    if isinstance(address, int):  # one of the buyer's saved addresses
        address = services.format_address(services.get_delivery_address(api_user(), address))
    if "wished_delivery_date" in body:
        body["wished_delivery_date"] = calendar_day(body["wished_delivery_date"],
                                                    "wished_delivery_date")
    orders = services.place_orders(
        api_user(), [(line["product_id"], line["quantity"]) for line in lines],
        delivery_address=address, seen_prices=services.seen_prices_of(lines), **body)
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


@order_step("approve", "unit_manager")
def approve_order(order, user):
    services.approve_order(order, user, read_body().get("note"))


@order_step("reject", "unit_manager")
def reject_order(order, user):
    services.reject_order(order, user, read_body()["reason"])


order_step("confirm", "supplier_staff")(services.confirm_order)


@order_step("ship", "supplier_staff")
def ship_order(order, user):
    services.ship_order(order, user, **read_body())


@order_step("accept", "purchaser", "unit_manager")
def accept_order(order, user):
    body = read_body()
    accepted = {line["line_id"]: line["accepted_quantity"] for line in body.get("lines", [])}
    services.accept_delivery(order, user, accepted, note=body.get("note"))


order_step("restock", "supplier_staff")(services.restock_refused)


@order_step("cancel", "purchaser", "unit_manager", "supplier_staff", "admin")
def cancel_order(order, user):
    services.cancel_order(order, user, read_body().get("reason"))
