"""Payments within the whole order life, through the ordering module's own services."""
from marketplace.extensions import db as _db
from marketplace.ordering import services as ordering
from marketplace.ordering.models import Order
from marketplace.payments import services
from tests.payments.helpers import intent_event


def test_pay_first_order_paid_by_webhook_completes_on_acceptance(parties, stripe_server,
                                                                 post_event):
    [order] = ordering.place_orders(parties.buyer, [(parties.product.id, 2)], "canteen",
                                    "拉萨市城关区 食堂", "stripe", "pay_first")
    payment = services.start_stripe_payment(order, parties.buyer)
    _db.session.commit()
    assert post_event(intent_event(payment)).status_code == 200
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.payment_status == "paid" and order.status == "placed"

    ordering.confirm_order(order, parties.supplier)
    ordering.ship_order(order, parties.supplier, "顺丰", "SF1234567890")
    ordering.accept_delivery(order, parties.buyer)
    assert order.status == "completed"


def test_goods_first_order_with_short_acceptance_owes_only_what_was_accepted(parties):
    [order] = ordering.place_orders(parties.buyer, [(parties.product.id, 3)], "canteen",
                                    "拉萨市城关区 食堂", "bank_transfer", "goods_first")
    ordering.confirm_order(order, parties.supplier)
    ordering.ship_order(order, parties.supplier, "顺丰", "SF1")
    ordering.accept_delivery(order, parties.buyer, {order.lines[0].id: 2})
    services.assign_terms(order)
    assert order.status == "accepted" and order.due_date is not None
    assert services.amount_due_fen(order) == 2 * 12800
    payment = parties.transfer(order, 2 * 12800, "6217", order.payment_reference)
    assert payment.amount_mismatch is False
    services.confirm_transfer(payment, parties.supplier)
    assert order.status == "completed" and order.payment_status == "paid"


def test_fully_refunded_order_can_then_be_cancelled(parties):
    [order] = ordering.place_orders(parties.buyer, [(parties.product.id, 1)], "canteen",
                                    "拉萨市城关区 食堂", "bank_transfer", "pay_first")
    payment = parties.transfer(order, 12800)
    services.confirm_transfer(payment, parties.supplier)
    services.create_refund(order, parties.supplier, order.lines[0].id, 12800, "缺货",
                           transfer_reference="TR-1")
    ordering.cancel_order(order, parties.buyer)
    assert order.status == "cancelled"
