"""Stripe webhooks: each verified event is stored once and applied (payment outcomes in the
order of their `created` time; failed or cancelled refunds give their amount back)."""
from sqlalchemy.exc import IntegrityError

from marketplace.audit.services import record
from marketplace.errors import ValidationError
from marketplace.extensions import db
from marketplace.payments.models import Payment, Refund, StripeEvent
from marketplace.payments.services.core import lock_order
from marketplace.payments.services.figures import refresh_order
from marketplace.payments.services.stripe_payments import apply_intent_status

INTENT_EVENTS = {"payment_intent.succeeded": "succeeded",
                 "payment_intent.payment_failed": "failed",
                 "payment_intent.canceled": "canceled"}
REFUND_EVENTS = ("refund.created", "refund.updated", "refund.failed", "charge.refund.updated")


def handle_event(event):
    """Store a verified Stripe event once and apply it; returns "applied", "duplicate" or "ignored".

    :param event: the event as a dict (id, type, created, data.object).
    """
    event_id, kind, created = event.get("id"), event.get("type"), event.get("created")
    if not event_id or not kind or not isinstance(created, int):
        raise ValidationError("Malformed event.", fields={"event": "id, type, created"})
    if db.session.get(StripeEvent, event_id) is not None:
        return "duplicate"
    stored = StripeEvent(id=event_id, type=kind, created=created, payload=event)
    db.session.add(stored)
    try:
        db.session.flush()
    except IntegrityError:
        # The same event, stored at the same moment by another worker; nothing else was done
        # in this transaction yet, so dropping it loses nothing.
        db.session.rollback()
        return "duplicate"
    obj = (event.get("data") or {}).get("object") or {}
    changed = False
    if kind in INTENT_EVENTS:
        payment = _payment_for_intent(obj)
        if payment is not None:
            changed = apply_intent_status(payment, INTENT_EVENTS[kind], created)
    elif kind in REFUND_EVENTS:
        changed = _apply_refund_object(obj)
    else:
        return "ignored"
    stored.applied = changed
    db.session.flush()
    return "applied" if changed else "ignored"


def _payment_for_intent(obj):
    intent_id = obj.get("id")
    if not intent_id:
        return None
    return Payment.query.filter_by(payment_intent_id=intent_id).first()


def _apply_refund_object(obj):
    """A refund that failed or was cancelled at Stripe gives its amount back to the line."""
    refund = Refund.query.filter_by(stripe_refund_id=obj.get("id")).first() \
        if obj.get("id") else None
    if refund is None or obj.get("status") not in ("failed", "canceled"):
        return False
    if refund.status != "succeeded":
        return False
    order = lock_order(refund.line.order)
    refund.status = obj["status"]
    record("refund.failed", refund, detail={"order_id": order.id, "amount_fen": refund.amount_fen})
    refresh_order(order)
    return True
