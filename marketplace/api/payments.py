"""JSON API: pay an order (Stripe or bank transfer), confirm a transfer, refund a line."""
from datetime import date, datetime
from decimal import Decimal

from flask import jsonify

from marketplace.api import bp
from marketplace.api.core import api_user, field, json_body, require_auth
from marketplace.errors import ValidationError
from marketplace.money import to_decimal, yuan_to_fen
from marketplace.ordering.services import get_order
from marketplace.payments import services
from marketplace.payments.schemas import order_payments_json, payment_json, refund_json
from marketplace.timeutil import to_cst


def _amount(data, name="amount"):
    """A positive money field with at most two decimals, in fen."""
    value = field(data, name, "money")
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


def _date(data, name):
    """A calendar day in China Standard Time: "YYYY-MM-DD" as written, or a moment with its
    UTC offset ("2026-12-04T16:14:20+00:00" is 5 December in Beijing) read as its CST day."""
    value = field(data, name, "str")
    try:
        if len(value) > 10:
            moment = datetime.fromisoformat(value)
            return to_cst(moment).date() if moment.tzinfo else moment.date()
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"'{name}' must be a date (YYYY-MM-DD).",
                              fields={name: "date"}) from None


@bp.post("/orders/<int:order_id>/payments")
@require_auth("purchaser", "unit_manager")
def api_create_payment(order_id):
    user = api_user()
    data = json_body()
    method = field(data, "method", "str")
    if method not in ("stripe", "bank_transfer"):
        raise ValidationError("'method' must be stripe or bank_transfer.",
                              fields={"method": "choice"})
    order = get_order(order_id, user)
    if method == "stripe":
        payment = services.start_stripe_payment(order, user)
    else:
        amount = _amount(data)
        transferred_at = _date(data, "transferred_at")
        payer_account = field(data, "payer_account", "str")
        reference = field(data, "reference", "str", required=False)
        payment = services.record_transfer(order, user, amount, transferred_at, payer_account,
                                           reference)
    return jsonify(payment_json(payment)), 201


@bp.post("/orders/<int:order_id>/payments/<int:payment_id>/confirm")
@require_auth("supplier_staff")
def api_confirm_payment(order_id, payment_id):
    user = api_user()
    order = get_order(order_id, user)
    payment = services.get_payment(order, payment_id)
    data = json_body(optional=True)
    services.confirm_transfer(payment, user, acknowledge_mismatch=field(
        data, "acknowledge_mismatch", "bool", required=False, default=False))
    return jsonify(payment_json(payment)), 200


@bp.post("/orders/<int:order_id>/refunds")
@require_auth("supplier_staff", "admin")
def api_create_refund(order_id):
    user = api_user()
    data = json_body()
    order = get_order(order_id, user)
    rows = services.create_refund(order, user, field(data, "line_id", "int"), _amount(data),
                                  field(data, "reason", "str"),
                                  field(data, "transfer_reference", "str", required=False))
    return jsonify(refund_json(rows)), 201


@bp.get("/orders/<int:order_id>/payments")
@require_auth()
def api_list_payments(order_id):
    """The order's payments and refunds (anyone who may see the order)."""
    return jsonify(order_payments_json(get_order(order_id, api_user())))
