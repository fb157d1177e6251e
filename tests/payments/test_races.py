"""Refunds, transfers and stock racing through a real threaded server, on SQLite as on
PostgreSQL: money is never refunded or confirmed twice, stock never sold twice."""
import json

from marketplace.api.core import issue_token
from marketplace.catalog.models import Product
from marketplace.extensions import db as _db
from marketplace.ordering.models import Order
from marketplace.payments import services
from marketplace.payments.models import Payment, Refund
from tests import factories
from tests.helpers import post_json, race

RACERS = 20


def _tokens(client, user, count):
    """`count` times one bearer header, already used once (a token's first use writes its
    last_used_at, which would hold SQLite's write lock from the start of each request)."""
    token = f"Bearer {issue_token(user)}"
    _db.session.commit()
    assert client.get("/api/v1/orders", headers={"Authorization": token}).status_code == 200
    return [token] * count


def test_twenty_refunds_of_five_yuan_on_twenty_paid_refund_twenty(parties, live_server, client):
    product = factories.product(supplier=parties.supplier_org, price_fen=2000, name="酥油")
    order = factories.order(parties.buyer, lines=[(product, 1)], status="confirmed",
                            payment_terms="pay_first")
    payment = parties.transfer(order, 2000, "6217 1", "转账")
    services.confirm_transfer(payment, parties.supplier)
    _db.session.commit()
    assert order.paid_fen == 2000
    url = f"{live_server.url}/api/v1/orders/{order.id}/refunds"
    body = json.dumps({"line_id": order.lines[0].id, "amount": "5.00", "reason": "短少",
                       "transfer_reference": "HZ1"}).encode()
    results = race([lambda t=t: post_json(url, body, {"Authorization": t})[0]
                    for t in _tokens(client, parties.supplier, RACERS)])
    assert sorted(results) == [201] * 4 + [422] * (RACERS - 4)
    _db.session.expire_all()
    assert sum(r.amount_fen for r in Refund.query.all()) == 2000
    assert _db.session.get(Order, order.id).refunded_fen == 2000


def test_racing_transfer_confirmations_count_each_transfer_once(parties, live_server, client):
    order = parties.order(status="confirmed", quantity=1, payment_terms="pay_first")
    payment = parties.transfer(order, 12800, "6217 1", "转账")
    _db.session.commit()
    url = f"{live_server.url}/api/v1/orders/{order.id}/payments/{payment.id}/confirm"
    results = race([lambda t=t: post_json(url, b"{}", {"Authorization": t})[0]
                    for t in _tokens(client, parties.supplier, 10)])
    assert results.count(200) == 1 and all(status in (200, 409) for status in results)
    _db.session.expire_all()
    assert _db.session.get(Order, order.id).paid_fen == 12800
    assert _db.session.get(Payment, payment.id).status == "confirmed"


def test_racing_checkouts_sell_exactly_the_stock(live_server, client, db):
    product = factories.product(stock=5, price_fen=1000)
    buyers = [factories.user("purchaser") for _ in range(RACERS)]
    _db.session.commit()
    body = json.dumps({"lines": [{"product_id": product.id, "quantity": 1}],
                       "purpose": "canteen", "delivery_address": "拉萨 食堂",
                       "payment_method": "bank_transfer", "payment_terms": "goods_first"}).encode()
    tokens = [_tokens(client, buyer, 1)[0] for buyer in buyers]
    results = race([lambda t=t: post_json(f"{live_server.url}/api/v1/orders", body,
                                          {"Authorization": t})[0] for t in tokens])
    assert sorted(results) == [201] * 5 + [409] * (RACERS - 5)
    _db.session.expire_all()
    assert _db.session.get(Product, product.id).stock == 0
    assert Order.query.count() == 5
