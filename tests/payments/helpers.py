"""Stripe for payments tests: paying through localstripe, webhook signatures and PaymentIntent
events."""
import hashlib
import hmac
import time

from marketplace.extensions import db
from marketplace.payments import services, stripe_client


def sign(payload, secret, timestamp=None):
    """A Stripe-Signature header for `payload` (bytes): t=...,v1=HMAC-SHA256 of "t.payload"."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def intent_event(payment, kind="payment_intent.succeeded", created=None, event_id=None, **extra):
    """A Stripe event about the payment's PaymentIntent."""
    created = created if created is not None else int(time.time())
    obj = {"id": payment.payment_intent_id, "object": "payment_intent",
           "amount": payment.amount_fen, "currency": "cny",
           "status": {"payment_intent.succeeded": "succeeded",
                      "payment_intent.canceled": "canceled"}.get(kind, "requires_payment_method"),
           "metadata": {"order_id": str(payment.order_id), "payment_id": str(payment.id)}}
    obj.update(extra)
    return {"id": event_id or f"evt_test_{kind.split('.')[-1]}_{created}_{payment.id}",
            "object": "event", "type": kind, "created": created, "data": {"object": obj}}


def paid_by_stripe(order, buyer):
    """The buyer pays `order` with localstripe's test card and the payment is reconciled (the
    app must point at localstripe: the `stripe_server` fixture)."""
    payment = services.start_stripe_payment(order, buyer)
    db.session.commit()
    stripe_client.confirm_with_test_card(payment.payment_intent_id)
    services.reconcile_pending()
    return payment
