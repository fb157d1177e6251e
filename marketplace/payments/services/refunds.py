"""Refunds on order lines: a credit while money is due, money back through the payments
(Stripe refunds, or bank transfers back) beyond that."""
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.errors import FieldErrors, ValidationError, required_reason
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.notifications.services import notify
from marketplace.ordering.models import OrderLine
from marketplace.payments import stripe_client
from marketplace.payments.models import Refund
from marketplace.payments.services.core import (REFUNDABLE_STATUSES, PaymentStateError, lock_order,
                                                require_supplier)
from marketplace.payments.services.figures import succeeded_refunds, figures, refresh_order


def refundable_fen(line):
    """How much may still be refunded on a line: once money was paid for it, what was paid for
    it (see figures.line_figures for how payments are shared between lines); before payment,
    its value (accepted, or ordered before acceptance); less what was already refunded on it.
    """
    return figures(line.order)["lines"][line.id]["refundable"]


def create_refund(order, user, line_id, amount_fen, reason, transfer_reference=None):
    """Refund part or all of a line's value, with a reason (supplier or admin).

    While money is due, the refund lowers what is due (a credit); beyond that it gives money
    back: through Stripe for Stripe payments, or recorded with the supplier's transfer
    reference for bank transfers.

    :returns: the Refund rows written (one, or several when it spans payments).
    :raises PermissionDenied: neither the order's supplier nor an admin.
    :raises PaymentStateError: the order is cancelled or not placed yet.
    :raises ValidationError: unknown line, no reason, an amount above the line's refundable
        value, or a bank-transfer refund without its transfer reference.
    """
    require_supplier(user, order, allow_admin=True)
    lock_order(order)
    numbers = figures(order)
    # A cancelled order is refunded only to give back money that still arrived for it.
    if order.status not in REFUNDABLE_STATUSES and not (
            order.status == "cancelled" and numbers["net_paid"] > 0):
        raise PaymentStateError(_("订单当前状态不能退款。"))
    line = db.session.get(OrderLine, line_id) if isinstance(line_id, int) else None
    if line is None or line.order_id != order.id:
        raise ValidationError(_("订单中没有这一行。"), fields={"line_id": "unknown"})
    errors = FieldErrors()  # the reason and the amount told at once
    reason = errors.check(required_reason, reason, _("请填写退款原因（500 字以内）。"))
    limit = refundable_fen(line)
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        errors.add(_("退款金额必须大于零。"), "amount", "positive")
    elif amount_fen > limit:
        errors.add(_("退款金额超过该行可退金额 %(limit)s。", limit=format_yuan(limit)),
                   "amount", "above_limit")
    errors.raise_any()
    credit = 0 if order.status == "cancelled" else min(amount_fen, numbers["due"])
    money = amount_fen - credit
    sources = _refund_sources(order, money)
    transfer_reference = (transfer_reference or "").strip() or None
    if any(p.method == "bank_transfer" for p, _ in sources) and not transfer_reference:
        raise ValidationError(_("退回银行转账时请填写退款转账的流水号。"),
                              fields={"transfer_reference": "required"})
    rows = []
    if credit:
        rows.append(Refund(order_id=order.id, line_id=line.id, amount_fen=credit, reason=reason,
                           created_by_id=user.id))
    for payment, part in sources:
        rows.append(Refund(order_id=order.id, line_id=line.id, payment_id=payment.id,
                           amount_fen=part, reason=reason, created_by_id=user.id,
                           transfer_reference=transfer_reference
                           if payment.method == "bank_transfer" else None))
    for row in rows:
        db.session.add(row)
    db.session.flush()
    for row in rows:
        if row.payment is not None and row.payment.method == "stripe":
            stripe_refund = stripe_client.create_refund(
                row.payment.payment_intent_id, row.amount_fen,
                {"order_id": order.id, "refund_id": row.id, "line_id": line.id},
                idempotency_key=f"refund-{row.id}-{order.number}")
            row.stripe_refund_id = stripe_refund.id
            if stripe_refund.status in ("failed", "canceled"):
                raise ValidationError(_("Stripe 拒绝了退款。"), fields={"amount": "refused"})
    for row in rows:
        record("refund.create", row, actor=user,
               detail={"order_id": order.id, "line_id": line.id, "amount_fen": row.amount_fen,
                       "reason": reason, "kind": refund_kind(row),
                       "stripe_refund_id": row.stripe_refund_id,
                       "transfer_reference": row.transfer_reference})
    refresh_order(order, user)

    notify([order.placed_by], "payment.refund",
           _l("订单 %(number)s「%(product)s」退款 %(amount)s：%(reason)s", number=order.number,
              product=line.product_name, amount=format_yuan(amount_fen), reason=reason[:100]),
           link=f"/payments/orders/{order.id}")
    return rows


def _refund_sources(order, money):
    """Which payments give `money` back: Stripe payments first, then confirmed transfers."""
    if money <= 0:
        return []
    given_back = {}
    for refund in succeeded_refunds(order):
        if refund.payment_id is not None:
            given_back[refund.payment_id] = given_back.get(refund.payment_id, 0) + refund.amount_fen
    received = [p for p in order.payments if p.status in ("succeeded", "confirmed")]
    received.sort(key=lambda p: (p.method != "stripe", p.id))
    sources = []
    for payment in received:
        room = payment.amount_fen - given_back.get(payment.id, 0)
        if room <= 0:
            continue
        part = min(room, money)
        sources.append((payment, part))
        money -= part
        if money == 0:
            break
    if money > 0:
        raise ValidationError(_("退款金额超过已付金额。"), fields={"amount": "above_paid"})
    return sources


def refund_kind(refund):
    """credit (lowered what was due), stripe, or bank_transfer."""
    if refund.payment_id is None:
        return "credit"
    return refund.payment.method
