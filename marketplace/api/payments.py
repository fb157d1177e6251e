"""JSON API: pay an order (Stripe or bank transfer), confirm a transfer, refund a line."""
from decimal import Decimal

from flask import jsonify

from marketplace.api import bp
from marketplace.api.bodies import calendar_day, read_body
from marketplace.api.core import api_user, require_auth
from marketplace.errors import ValidationError
from marketplace.money import to_decimal, yuan_to_fen
from marketplace.ordering.services import get_order
from marketplace.payments import services
from marketplace.payments.schemas import order_payments_json, payment_json, refund_json


def _fen(value, name="amount"):
    """A positive amount with at most two decimals, in fen."""
    try:
        amount = to_decimal(value)
        if amount.as_tuple().exponent < -2:
            raise ValueError
        fen = yuan_to_fen(amount)
    except ValueError:
        raise ValidationError(f"'{name}' must be an amount with at most two decimals.",
                              fields={name: "amount"}) from None
    if amount <= Decimal(0):
        raise ValidationError(f"'{name}' must be positive.", fields={name: "positive"})
    return fen


@bp.post("/orders/<int:order_id>/payments")
@require_auth("purchaser", "unit_manager")
def api_create_payment(order_id):
    user, body = api_user(), read_body()
    order = get_order(order_id, user)
    if body["method"] == "stripe":
        payment = services.start_stripe_payment(order, user)
    else:
        payment = services.record_transfer(
            order, user, _fen(body["amount"]), calendar_day(body["transferred_at"],
                                                           "transferred_at"),
            body["payer_account"], body.get("reference"))
    return jsonify(payment_json(payment)), 201


@bp.post("/orders/<int:order_id>/payments/<int:payment_id>/confirm")
@require_auth("supplier_staff")
def api_confirm_payment(order_id, payment_id):
    user = api_user()
    order = get_order(order_id, user)
    payment = services.get_payment(order, payment_id)
    services.confirm_transfer(payment, user, **read_body())
    return jsonify(payment_json(payment)), 200


@bp.post("/orders/<int:order_id>/refunds")
@require_auth("supplier_staff", "admin")
def api_create_refund(order_id):
    user = api_user()
    body = read_body()
    order = get_order(order_id, user)
    rows = services.create_refund(order, user, body["line_id"], _fen(body["amount"]),
                                  body["reason"], body.get("transfer_reference"))
    return jsonify(refund_json(rows)), 201


@bp.get("/orders/<int:order_id>/payments")
@require_auth()
def api_list_payments(order_id):
    """The order's payments and refunds (anyone who may see the order)."""
    return jsonify(order_payments_json(get_order(order_id, api_user())))
