"""Payments tests' helpers: orders placed and paid by bank transfer through the services;
Stripe (paying through localstripe, webhook signatures and PaymentIntent events)."""
import hashlib
import hmac
import time

from marketplace.extensions import db
from marketplace.ordering import services as ordering
from marketplace.payments import services, stripe_client


def place(parties, terms, quantity=3):
    """One order of `quantity` × the parties' product, paid by bank transfer on `terms`."""
    [order] = ordering.place_orders(parties.buyer, [(parties.product.id, quantity)], "canteen",
                                    "拉萨市城关区 食堂", "bank_transfer", terms)
    return order


def pay_in_full(parties, order):
    """The buyer's transfer of all that is due, confirmed by the supplier."""
    payment = services.record_transfer(order, parties.buyer, services.amount_due_fen(order),
                                       services.today_cst(), "6217 0000", order.payment_reference)
    services.confirm_transfer(payment, parties.supplier)


def paid_then_accepted_short(parties):
    """A pay-first order of 3 × the product, paid in full, shipped, then accepted 2 of 3 (the
    supplier owes a refund); committed."""
    order = place(parties, "pay_first")
    pay_in_full(parties, order)
    ordering.confirm_order(order, parties.supplier)
    ordering.ship_order(order, parties.supplier, "顺丰", "SF1")
    ordering.accept_delivery(order, parties.buyer, {order.lines[0].id: 2})
    db.session.commit()
    return order


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
