"""Refunds per order line: limits, credits before payment, Stripe and bank-transfer refunds,
visibility to the buyer and the audit trail."""
import pytest

from marketplace.audit.models import AuditEntry
from marketplace.errors import PermissionDenied, ValidationError
from marketplace.extensions import db as _db
from marketplace.ordering.models import Order
from marketplace.payments import services, stripe_client
from marketplace.payments.models import Refund
from tests.helpers import bearer, login
from tests.payments.helpers import paid_by_stripe


def _paid_by_transfer(parties, order):
    payment = services.record_transfer(order, parties.buyer, services.amount_due_fen(order),
                                       services.today_cst(), "6217 1", "")
    services.confirm_transfer(payment, parties.supplier)
    _db.session.commit()
    return payment


def test_refund_above_the_line_value_is_422_and_changes_nothing(parties, client):
    order = parties.order(status="accepted", quantity=2)
    _paid_by_transfer(parties, order)
    line = order.lines[0]
    response = client.post(f"/api/v1/orders/{order.id}/refunds",
                           json={"line_id": line.id, "amount": "256.01", "reason": "破损",
                                 "transfer_reference": "TR1"},
                           headers=bearer(parties.supplier))
    assert response.status_code == 422
    _db.session.expire_all()
    assert _db.session.get(Order, order.id).refunded_fen == 0
    assert Refund.query.count() == 0


def test_partial_refund_of_a_transfer_needs_its_reference_and_shows_to_the_buyer(
        parties, client, post_form):
    order = parties.order(status="accepted", quantity=2, other_quantity=2)
    _paid_by_transfer(parties, order)
    line = order.lines[0]
    headers = bearer(parties.supplier)
    body = {"line_id": line.id, "amount": "50.00", "reason": "两斤中一斤有破损"}
    assert client.post(f"/api/v1/orders/{order.id}/refunds", json=body,
                       headers=headers).status_code == 422
    body["transfer_reference"] = "HZ2026112900017"
    response = client.post(f"/api/v1/orders/{order.id}/refunds", json=body, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    result = response.get_json()
    assert result["amount"] == "50.00" and result["line_id"] == line.id
    assert result["parts"][0]["kind"] == "bank_transfer"
    assert result["parts"][0]["transfer_reference"] == "HZ2026112900017"
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.refunded_fen == 5000
    assert order.lines[0].refunded_fen == 5000 and order.lines[1].refunded_fen == 0
    assert order.payment_status == "partially_refunded"
    assert AuditEntry.query.filter_by(action="refund.create").count() == 1

    login(client, parties.buyer)
    page = client.get(f"/payments/orders/{order.id}").get_data(as_text=True)
    assert "两斤中一斤有破损" in page
    assert "¥50.00" in page
    assert "部分退款" in page


def test_refund_before_payment_lowers_what_is_due(parties):
    order = parties.order(status="accepted", quantity=2)
    rows = services.create_refund(order, parties.supplier, order.lines[0].id, 12800, "少发一斤")
    assert [services.refund_kind(row) for row in rows] == ["credit"]
    assert services.amount_due_fen(order) == 12800
    assert order.payment_status == "unpaid"
    assert order.status == "accepted"


def test_line_never_refunds_more_than_its_accepted_value(parties):
    order = parties.order(status="accepted", quantity=2)
    order.lines[0].accepted_quantity = 1
    _db.session.flush()
    with pytest.raises(ValidationError):
        services.create_refund(order, parties.supplier, order.lines[0].id, 12801, "超额")
    services.create_refund(order, parties.supplier, order.lines[0].id, 12800, "全部退款")
    assert order.payment_status == "refunded"
    with pytest.raises(ValidationError):
        services.create_refund(order, parties.supplier, order.lines[0].id, 1, "再退")


def test_full_refund_of_a_paid_order_is_refunded(parties):
    order = parties.order(status="accepted", quantity=1)
    _paid_by_transfer(parties, order)
    services.create_refund(order, parties.supplier, order.lines[0].id, 12800, "整单退货",
                           transfer_reference="TR-9")
    assert order.payment_status == "refunded"
    assert order.refunded_fen == 12800
    assert order.paid_fen == 0  # everything paid was given back


def test_buyer_cannot_refund(parties, client):
    order = parties.order(status="accepted")
    _db.session.commit()
    response = client.post(f"/api/v1/orders/{order.id}/refunds",
                           json={"line_id": order.lines[0].id, "amount": "1.00", "reason": "x"},
                           headers=bearer(parties.buyer))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_refund(order, parties.buyer, order.lines[0].id, 100, "x")


def test_admin_may_refund(parties, client):
    from tests import factories

    order = parties.order(status="accepted")
    admin = factories.user("admin")
    _db.session.commit()
    response = client.post(f"/api/v1/orders/{order.id}/refunds",
                           json={"line_id": order.lines[0].id, "amount": "10.00",
                                 "reason": "平台裁定"},
                           headers=bearer(admin))
    assert response.status_code == 201


def test_refund_on_a_cancelled_order_is_409(parties):
    from marketplace.errors import StateError

    order = parties.order(status="cancelled")
    with pytest.raises(StateError):
        services.create_refund(order, parties.supplier, order.lines[0].id, 100, "x")


def test_stripe_refund_goes_through_stripe_with_its_id(parties, stripe_server, app, client,
                                                       post_form):
    order = parties.order(status="accepted", quantity=2)
    payment = paid_by_stripe(order, parties.buyer)
    _db.session.commit()
    assert order.payment_status == "paid"

    login(client, parties.supplier)
    response = post_form(f"/payments/orders/{order.id}/refund",
                         {"refund-line_id": order.lines[0].id, "refund-amount": "28.00",
                          "refund-reason": "规格不符"})
    assert response.status_code == 302
    _db.session.expire_all()
    refund = Refund.query.one()
    assert refund.stripe_refund_id.startswith("re_")
    assert refund.payment_id == payment.id and refund.amount_fen == 2800
    at_stripe = stripe_client.client().v1.refunds.retrieve(refund.stripe_refund_id)
    assert at_stripe.amount == 2800
    order = _db.session.get(Order, order.id)
    assert order.payment_status == "partially_refunded"
    assert order.refunded_fen == 2800
    assert order.paid_fen == 25600 - 2800  # paid_amount: received less money given back


def test_failed_stripe_refund_event_gives_the_amount_back_once(parties, stripe_server, post_event,
                                                               client):
    order = parties.order(status="accepted", quantity=1)
    paid_by_stripe(order, parties.buyer)
    rows = services.create_refund(order, parties.supplier, order.lines[0].id, 1000, "少量破损")
    _db.session.commit()
    event = {"id": "evt_refund_failed_1", "type": "refund.updated", "created": 2_000_000_000,
             "data": {"object": {"id": rows[0].stripe_refund_id, "object": "refund",
                                 "status": "failed", "amount": 1000}}}
    for _ in range(3):
        assert post_event(event).status_code == 200
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.lines[0].refunded_fen == 0 and order.refunded_fen == 0
    assert order.payment_status == "paid"
    listing = client.get(f"/api/v1/orders/{order.id}/payments",
                         headers=bearer(parties.buyer)).get_json()
    assert listing["refunds"][0]["status"] == "failed"
    assert listing["items"][0]["status"] == "succeeded"
    assert listing["amount_due"] == "0.00"


def test_money_that_arrives_for_a_cancelled_order_can_be_given_back(parties, stripe_server):
    order = parties.order(status="placed", quantity=1)
    payment = services.start_stripe_payment(order, parties.buyer)
    _db.session.commit()
    order.status = "cancelled"  # cancelled while the buyer was paying
    _db.session.commit()
    stripe_client.confirm_with_test_card(payment.payment_intent_id)
    services.reconcile_pending()
    _db.session.commit()
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.paid_fen == 12800
    services.create_refund(order, parties.supplier, order.lines[0].id, 12800, "订单已取消",
                           transfer_reference=None)
    assert order.paid_fen == 0
    refund = Refund.query.one()
    assert refund.payment_id == payment.id and refund.stripe_refund_id.startswith("re_")
