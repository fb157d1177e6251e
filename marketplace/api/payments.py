"""JSON API: pay an order (Stripe or bank transfer), confirm a transfer, refund a line."""
from datetime import date, datetime
from decimal import Decimal

from flask import jsonify

from marketplace.api.core import api_user, field, iso, json_body, require_auth
from marketplace.api.views import bp
from marketplace.errors import ValidationError
from marketplace.money import fen_str, to_decimal, yuan_to_fen
from marketplace.ordering.services import get_order
from marketplace.payments import services
from marketplace.timeutil import to_cst


def serialize_payment(payment):
    return {"id": payment.id, "order_id": payment.order_id, "method": payment.method,
            "amount": fen_str(payment.amount_fen), "status": payment.status,
            "payment_intent_id": payment.payment_intent_id,
            "client_secret": payment.client_secret,
            "transferred_at": payment.transferred_at.isoformat()
            if payment.transferred_at else None,
            "payer_account": payment.payer_account, "reference": payment.reference,
            "amount_mismatch": bool(payment.amount_mismatch),
            "created_at": iso(payment.created_at), "confirmed_at": iso(payment.confirmed_at),
            "order_payment_status": payment.order.payment_status,
            "order_paid_amount": fen_str(payment.order.paid_fen)}


def serialize_refund(rows):
    first = rows[0]
    order = first.line.order
    return {"id": first.id, "order_id": first.order_id, "line_id": first.line_id,
            "amount": fen_str(sum(row.amount_fen for row in rows)), "reason": first.reason,
            "status": first.status, "created_at": iso(first.created_at),
            "line_refunded_amount": fen_str(first.line.refunded_fen),  # every refund on it
            "order_payment_status": order.payment_status,
            "order_refunded_amount": fen_str(order.refunded_fen),
            "amount_due": fen_str(services.amount_due_fen(order)),
            "parts": [{"id": row.id, "amount": fen_str(row.amount_fen),
                       "kind": services.refund_kind(row), "payment_id": row.payment_id,
                       "stripe_refund_id": row.stripe_refund_id,
                       "transfer_reference": row.transfer_reference} for row in rows]}


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
    return jsonify(serialize_payment(payment)), 201


@bp.post("/orders/<int:order_id>/payments/<int:payment_id>/confirm")
@require_auth("supplier_staff")
def api_confirm_payment(order_id, payment_id):
    user = api_user()
    order = get_order(order_id, user)
    payment = services.get_payment(order, payment_id)
    data = json_body(optional=True)
    services.confirm_transfer(payment, user, acknowledge_mismatch=field(
        data, "acknowledge_mismatch", "bool", required=False, default=False))
    return jsonify(serialize_payment(payment)), 200


@bp.post("/orders/<int:order_id>/refunds")
@require_auth("supplier_staff", "admin")
def api_create_refund(order_id):
    user = api_user()
    data = json_body()
    order = get_order(order_id, user)
    line_id = field(data, "line_id", "int")
    amount = _amount(data)
    reason = field(data, "reason", "str")
    transfer_reference = field(data, "transfer_reference", "str", required=False)
    rows = services.create_refund(order, user, line_id, amount, reason, transfer_reference)
    return jsonify(serialize_refund(rows)), 201


@bp.get("/orders/<int:order_id>/payments")
@require_auth()
def api_list_payments(order_id):
    """The order's payments and refunds (anyone who may see the order)."""
    order = get_order(order_id, api_user())
    numbers = services.figures(order)
    due_date = services.effective_due_date(order)
    return jsonify({
        "order_id": order.id, "payment_status": order.payment_status,
        "payment_reference": order.payment_reference,
        "due_date": due_date.isoformat() if due_date else None,
        "amount_due": fen_str(numbers["due"]), "refund_due": fen_str(numbers["refund_due"]),
        "paid_amount": fen_str(order.paid_fen),
        "refunded_amount": fen_str(order.refunded_fen),
        "items": [serialize_payment(p) for p in sorted(order.payments, key=lambda p: p.id)],
        "refunds": [{"id": r.id, "line_id": r.line_id, "amount": fen_str(r.amount_fen),
                     "reason": r.reason, "kind": services.refund_kind(r), "status": r.status,
                     "stripe_refund_id": r.stripe_refund_id,
                     "transfer_reference": r.transfer_reference, "created_at": iso(r.created_at)}
                    for r in sorted((r for line in order.lines for r in line.refunds),
                                    key=lambda r: r.id)]})
