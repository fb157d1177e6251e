"""Stripe payments against a real localstripe: PaymentIntents, signed webhooks, replays,
out-of-order events, forged signatures and reconciliation."""
import time

import pytest

from marketplace.extensions import db as _db
from marketplace.ordering.models import Order
from marketplace.payments import services, stripe_client
from marketplace.payments.models import Payment, StripeEvent
from tests.helpers import bearer, wait_for
from tests.payments.helpers import intent_event


def _start(parties, order):
    payment = services.start_stripe_payment(order, parties.buyer)
    _db.session.commit()
    return payment


def test_card_payment_is_paid_once_localstripe_webhook_arrives(parties, stripe_webhooks):
    order = parties.order(status="accepted", quantity=2)
    payment = _start(parties, order)
    order_id, payment_id = order.id, payment.id
    assert payment.payment_intent_id.startswith("pi_")
    assert order.payment_status == "pending"

    stripe_client.confirm_with_test_card(payment.payment_intent_id)

    assert wait_for(lambda: _db.session.get(Payment, payment_id).status == "succeeded")
    order = _db.session.get(Order, order_id)
    assert order.paid_fen == 25600
    assert order.payment_status == "paid"
    assert order.status == "completed"  # accepted and nothing due any more
    assert StripeEvent.query.filter_by(type="payment_intent.succeeded", applied=True).count() == 1


def test_payment_intent_asks_for_what_is_due_in_fen(parties, stripe_server, app):
    order = parties.order(status="placed", quantity=3)
    payment = _start(parties, order)
    with app.app_context():
        intent = stripe_client.retrieve_payment_intent(payment.payment_intent_id)
    assert intent.amount == 3 * 12800
    assert intent.currency == "cny"
    assert intent.metadata["order_id"] == str(order.id)
    assert intent.metadata["payment_id"] == str(payment.id)


def test_payment_intents_offer_card_alipay_and_wechat_by_default(app):
    assert app.config["STRIPE_PAYMENT_METHOD_TYPES"] == ["card", "alipay", "wechat_pay"]
    with app.app_context():
        assert stripe_client.method_types() == ["card", "alipay", "wechat_pay"]


def test_payment_method_types_come_from_the_configuration(app):
    before = app.config["STRIPE_PAYMENT_METHOD_TYPES"]
    app.config["STRIPE_PAYMENT_METHOD_TYPES"] = ["card"]
    try:
        with app.app_context():
            assert stripe_client.method_types() == ["card"]
    finally:
        app.config["STRIPE_PAYMENT_METHOD_TYPES"] = before


def test_payment_method_types_setting_reads_a_comma_separated_variable(monkeypatch):
    from marketplace import config

    monkeypatch.setenv("STRIPE_PAYMENT_METHOD_TYPES", " card , alipay ,")
    assert config._list("STRIPE_PAYMENT_METHOD_TYPES", "card") == ["card", "alipay"]
    monkeypatch.delenv("STRIPE_PAYMENT_METHOD_TYPES")
    assert config._list("STRIPE_PAYMENT_METHOD_TYPES", "card,wechat_pay") == ["card", "wechat_pay"]


def test_starting_twice_reuses_the_pending_intent(parties, stripe_server):
    order = parties.order(status="placed")
    first = _start(parties, order)
    second = _start(parties, order)
    assert first.id == second.id
    assert Payment.query.filter_by(order_id=order.id).count() == 1


def test_same_event_ten_times_counts_once(parties, stripe_server, post_event):
    order = parties.order(status="confirmed", quantity=1)
    payment = _start(parties, order)
    event = intent_event(payment, created=int(time.time()))
    for _ in range(10):
        response = post_event(event)
        assert response.status_code == 200
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.paid_fen == 12800
    assert order.payment_status == "paid"
    assert StripeEvent.query.count() == 1
    assert order.status == "confirmed"  # not accepted yet: paid, not completed


def test_older_failure_never_undoes_a_success(parties, stripe_server, post_event):
    order = parties.order(status="placed")
    payment = _start(parties, order)
    now = int(time.time())
    assert post_event(intent_event(payment, created=now)).status_code == 200
    late = intent_event(payment, "payment_intent.payment_failed", created=now - 60)
    assert post_event(late).status_code == 200
    newer_cancel = intent_event(payment, "payment_intent.canceled", created=now + 60)
    assert post_event(newer_cancel).status_code == 200
    _db.session.expire_all()
    assert _db.session.get(Payment, payment.id).status == "succeeded"
    assert _db.session.get(Order, order.id).payment_status == "paid"


def test_newer_success_after_a_failure_counts(parties, stripe_server, post_event):
    order = parties.order(status="placed")
    payment = _start(parties, order)
    now = int(time.time())
    post_event(intent_event(payment, "payment_intent.payment_failed", created=now - 30))
    _db.session.expire_all()
    assert _db.session.get(Payment, payment.id).status == "failed"
    post_event(intent_event(payment, created=now))
    _db.session.expire_all()
    assert _db.session.get(Payment, payment.id).status == "succeeded"
    assert _db.session.get(Order, order.id).paid_fen == 25600


def test_out_of_order_older_failure_after_cancel_changes_nothing(parties, stripe_server,
                                                                  post_event):
    order = parties.order(status="placed")
    payment = _start(parties, order)
    now = int(time.time())
    post_event(intent_event(payment, "payment_intent.canceled", created=now))
    post_event(intent_event(payment, "payment_intent.payment_failed", created=now - 10))
    _db.session.expire_all()
    payment = _db.session.get(Payment, payment.id)
    assert payment.status == "canceled"
    assert payment.last_event_created == now
    assert _db.session.get(Order, order.id).payment_status == "unpaid"


@pytest.mark.parametrize("how", ["forged", "stale", "missing", "garbage"])
def test_bad_signature_is_refused_and_changes_nothing(parties, stripe_server, post_event, client,
                                                      how):
    order = parties.order(status="placed")
    payment = _start(parties, order)
    event = intent_event(payment)
    if how == "forged":
        response = post_event(event, secret="whsec_not_ours")
    elif how == "stale":
        response = post_event(event, timestamp=int(time.time()) - 3600)
    elif how == "missing":
        response = client.post("/webhooks/stripe", json=event)
    else:
        response = post_event(event, signature="t=1,v1=deadbeef")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_signature"
    _db.session.expire_all()
    assert _db.session.get(Payment, payment.id).status == "pending"
    assert _db.session.get(Order, order.id).paid_fen == 0
    assert StripeEvent.query.count() == 0


def test_unknown_event_type_is_acknowledged_and_ignored(parties, stripe_server, post_event):
    order = parties.order(status="placed")
    payment = _start(parties, order)
    event = intent_event(payment, "customer.created")
    response = post_event(event)
    assert response.status_code == 200
    assert response.get_json()["result"] == "ignored"
    _db.session.expire_all()
    assert _db.session.get(Payment, payment.id).status == "pending"


def test_event_for_an_unknown_intent_is_acknowledged(stripe_server, post_event, db):
    event = {"id": "evt_unknown_1", "type": "payment_intent.succeeded", "created": 1,
             "data": {"object": {"id": "pi_nobody_knows", "object": "payment_intent"}}}
    response = post_event(event)
    assert response.status_code == 200
    assert response.get_json()["result"] == "ignored"


def _pay_then_reconcile(app, payment):
    """The buyer pays at localstripe (no webhook comes); `flask payments reconcile` runs."""
    with app.app_context():
        stripe_client.confirm_with_test_card(payment.payment_intent_id)
    result = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert result.exit_code == 0, result.output
    return result


def test_reconcile_applies_payments_whose_webhook_never_came(parties, stripe_server, app):
    order = parties.order(status="accepted", quantity=1)
    payment = _start(parties, order)
    result = _pay_then_reconcile(app, payment)
    assert "1 changed" in result.output
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.payment_status == "paid"
    assert order.status == "completed"


def test_api_creates_a_payment_intent_for_the_buyer(parties, stripe_server, client):
    order = parties.order(status="placed", quantity=2)
    _db.session.commit()
    response = client.post(f"/api/v1/orders/{order.id}/payments", json={"method": "stripe"},
                           headers=bearer(parties.buyer))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["method"] == "stripe"
    assert body["amount"] == "256.00"
    assert body["status"] == "pending"
    assert body["payment_intent_id"].startswith("pi_")
    assert "_secret_" in body["client_secret"]


@pytest.mark.parametrize("status, payer, answer", [
    ("cancelled", "buyer", 409),   # a cancelled order is not paid
    ("placed", "supplier", 403),   # the supplier may not pay its own order
])
def test_api_refuses_a_payment_and_starts_none(parties, stripe_server, client, status, payer,
                                               answer):
    order = parties.order(status=status)
    _db.session.commit()
    response = client.post(f"/api/v1/orders/{order.id}/payments", json={"method": "stripe"},
                           headers=bearer(getattr(parties, payer)))
    assert response.status_code == answer
    assert Payment.query.count() == 0


def test_test_mode_button_confirms_with_the_test_card(parties, stripe_server, client, post_form):
    from tests.helpers import login

    order = parties.order(status="placed", quantity=1)
    login(client, parties.buyer)
    response = post_form(f"/payments/orders/{order.id}/stripe")
    assert response.status_code == 302
    payment = Payment.query.filter_by(order_id=order.id).one()
    page = client.get(f"/payments/{payment.id}/pay")
    assert "测试模式" in page.get_data(as_text=True)
    response = post_form(f"/payments/{payment.id}/test-confirm")
    assert response.status_code == 302
    intent = stripe_client.retrieve_payment_intent(payment.payment_intent_id)
    assert intent.status == "succeeded"
    response = post_form(f"/payments/{payment.id}/refresh", follow_redirects=True)
    assert "已支付" in response.get_data(as_text=True)


def test_live_stripe_base_hides_the_test_button(parties, stripe_server, client, app):
    order = parties.order(status="placed", quantity=1)
    payment = Payment(order_id=order.id, method="stripe", amount_fen=12800, status="pending",
                      payment_intent_id="pi_live_x", client_secret="pi_live_x_secret_y")
    _db.session.add(payment)
    from tests.helpers import login

    login(client, parties.buyer)
    app.config["STRIPE_API_BASE"] = "https://api.stripe.com"
    page = client.get(f"/payments/{payment.id}/pay").get_data(as_text=True)
    assert "测试模式" not in page
    assert "https://js.stripe.com/v3/" in page


def test_reconcile_skips_intents_stripe_does_not_know(parties, stripe_server, app):
    order = parties.order(status="placed", quantity=1)
    payment = _start(parties, order)
    lost = parties.order(status="placed", quantity=1)
    _db.session.add(Payment(order=lost, method="stripe", amount_fen=12800, status="pending",
                            payment_intent_id="pi_never_created"))
    _db.session.commit()
    result = _pay_then_reconcile(app, payment)
    assert "1 checked, 1 changed" in result.output
    _db.session.expire_all()
    assert _db.session.get(Order, order.id).payment_status == "paid"
