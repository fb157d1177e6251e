"""Money is never counted twice when requests race (SQLite and PostgreSQL, through the live
server)."""
import json
import time


from marketplace.extensions import db as _db
from marketplace.ordering.models import Order
from marketplace.payments import services
from marketplace.payments.models import Refund, StripeEvent
from tests import factories
from tests.helpers import post_json, race
from tests.payments.helpers import intent_event, sign



def test_same_event_racing_ten_times_counts_once(parties, stripe_server, live_server, app):
    order = parties.order(status="confirmed", quantity=1)
    payment = services.start_stripe_payment(order, parties.buyer)
    _db.session.commit()
    payload = json.dumps(intent_event(payment, created=int(time.time()))).encode()
    header = {"Stripe-Signature": sign(payload, app.config["STRIPE_WEBHOOK_SECRET"])}
    url = f"{live_server.url}/webhooks/stripe"
    results = race([lambda: post_json(url, payload, header)[0] for _ in range(10)])
    assert results == [200] * 10
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.paid_fen == 12800 and order.payment_status == "paid"
    assert StripeEvent.query.count() == 1


def test_racing_refunds_never_exceed_the_line(parties, live_server, client):
    order = parties.order(status="accepted", quantity=1)
    _db.session.commit()
    tokens = []
    for _ in range(2):
        response = client.post("/api/v1/auth/token", json={"email": parties.supplier.email,
                                                            "password": factories.PASSWORD})
        tokens.append(response.get_json()["token"])
    url = f"{live_server.url}/api/v1/orders/{order.id}/refunds"
    body = json.dumps({"line_id": order.lines[0].id, "amount": "100.00",
                       "reason": "质量问题"}).encode()
    results = race([lambda t=t: post_json(url, body, {"Authorization": f"Bearer {t}"})[0]
                    for t in tokens])
    assert sorted(results) == [201, 422]
    _db.session.expire_all()
    assert sum(r.amount_fen for r in Refund.query.all()) == 10000
    assert _db.session.get(Order, order.id).refunded_fen == 10000
