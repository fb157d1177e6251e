"""Stripe payments: starting a PaymentIntent for what is due, applying its outcome once,
test confirmation and reconciliation with Stripe."""
from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.config import stripe_enabled
from marketplace.errors import PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.notifications.services import notify
from marketplace.payments import stripe_client
from marketplace.payments.models import Payment
from marketplace.payments.services.core import (PaymentStateError, is_buyer, is_supplier,
                                                lock_order, require_buyer)
from marketplace.payments.services.figures import check_payable, amount_due_fen, refresh_order
from marketplace.timeutil import utcnow


def start_stripe_payment(order, user):
    """A Stripe PaymentIntent for what is due (the pending one is reused when it still fits).

    :raises PermissionDenied: not the buyer.
    :raises PaymentStateError: cancelled, not yet payable, or nothing due.
    :raises ValidationError: the platform takes no Stripe payments (STRIPE_ENABLED off).
    """
    require_buyer(user, order)
    if not stripe_enabled(current_app.config):
        raise ValidationError(_("本平台未开通在线支付，请使用对公转账。"),
                              fields={"method": "unavailable"})
    lock_order(order)
    check_payable(order)
    due = amount_due_fen(order)
    for payment in order.payments:
        if payment.method == "stripe" and payment.status == "pending":
            if payment.amount_fen == due:
                return payment
            payment.status = "canceled"  # an outdated amount: never let it be paid as well
            _cancel_quietly(payment.payment_intent_id)
    payment = Payment(order=order, method="stripe", amount_fen=due, status="pending",
                      created_by_id=user.id)
    db.session.add(payment)
    db.session.flush()
    intent = stripe_client.create_payment_intent(
        due, {"order_id": order.id, "payment_id": payment.id, "order_number": order.number},
        idempotency_key=f"payment-{payment.id}-{order.number}")
    payment.payment_intent_id = intent.id
    payment.client_secret = intent.client_secret
    record("payment.stripe_start", payment, actor=user,
           detail={"order_id": order.id, "amount_fen": due, "payment_intent": intent.id})
    refresh_order(order, user)
    return payment


def _cancel_quietly(intent_id):
    if not intent_id:
        return
    try:
        stripe_client.cancel_payment_intent(intent_id)
    except stripe_client.StripeUnavailable:
        current_app.logger.warning("could not cancel PaymentIntent %s", intent_id)


def confirm_test_payment(payment, user):
    """Test servers only: confirm the PaymentIntent with Stripe's test card from the server.

    The payment becomes succeeded when Stripe's webhook arrives (or on reconciliation).
    """
    if not stripe_client.is_test_server():
        raise PermissionDenied(_("测试付款只能在测试环境使用。"))
    require_buyer(user, payment.order)
    if payment.method != "stripe" or payment.status != "pending":
        raise PaymentStateError(_("该付款不在待支付状态。"))
    intent = stripe_client.confirm_with_test_card(payment.payment_intent_id)
    record("payment.test_confirm", payment, actor=user, detail={"intent_status": intent.status})
    return intent.status


def apply_intent_status(payment, status, created=None, actor=None):
    """Apply a PaymentIntent outcome once: `succeeded` is final; an older event changes nothing.

    :param created: the Stripe event's `created` time (None when the state came from asking
        Stripe directly).
    :returns: whether anything changed.
    """
    order = lock_order(payment.order)
    db.session.refresh(payment)
    if payment.status == "succeeded" or payment.method != "stripe":
        return False
    if created is not None and payment.last_event_created is not None \
            and created < payment.last_event_created:
        return False
    if created is not None:
        payment.last_event_created = created
    if payment.status == status:
        return False
    before = payment.status
    payment.status = status
    if status == "succeeded":
        payment.confirmed_at = utcnow()
    record(f"payment.{status}", payment, actor=actor,
           detail={"order_id": order.id, "from": before, "amount_fen": payment.amount_fen})
    refresh_order(order, actor)
    if status == "succeeded":
        _notify_paid(order, payment)
    return True


def _notify_paid(order, payment):
    staff = [user for user in order.supplier.users if user.role == "supplier_staff"]
    notify(staff, "payment.received",
           _l("订单 %(number)s 已收到付款 %(amount)s", number=order.number,
              amount=format_yuan(payment.amount_fen)),
           link=f"/payments/orders/{order.id}")


def reconcile_pending(limit=500):
    """Ask Stripe about payments still pending and apply their state; returns (checked, changed)."""
    checked = changed = 0
    pending = (Payment.query.filter_by(method="stripe", status="pending")
               .filter(Payment.payment_intent_id.isnot(None))
               .order_by(Payment.id).limit(limit).all())
    for payment in pending:
        try:
            intent = stripe_client.retrieve_payment_intent(payment.payment_intent_id)
        except stripe_client.StripeUnavailable:
            current_app.logger.warning("reconcile: Stripe does not know %s",
                                       payment.payment_intent_id)
            continue  # one unknown intent must not stop the others
        checked += 1
        status = {"succeeded": "succeeded", "canceled": "canceled"}.get(intent.status)
        if status is None and intent.status == "requires_payment_method" \
                and getattr(intent, "last_payment_error", None):
            status = "failed"
        if status and apply_intent_status(payment, status):
            changed += 1
    return checked, changed


def refresh_payment(payment, user):
    """Ask Stripe about one pending payment now (the buyer's "refresh" button)."""
    if not (is_buyer(user, payment.order) or is_supplier(user, payment.order)
            or user.role == "admin"):
        raise PermissionDenied(_("无权操作。"))
    if payment.method != "stripe" or payment.status != "pending":
        return False
    intent = stripe_client.retrieve_payment_intent(payment.payment_intent_id)
    status = {"succeeded": "succeeded", "canceled": "canceled"}.get(intent.status)
    return bool(status) and apply_intent_status(payment, status, actor=user)
