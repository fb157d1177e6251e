"""Payments fixtures: a real localstripe, signed webhook events, paying parties and orders."""
import hashlib
import hmac
import json
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest

from marketplace.extensions import db as _db
from marketplace.timeutil import utcnow
from tests import factories
from tests.conftest import login
from tests.pg import free_port

IN_MEMORY = Path(__file__).with_name("localstripe_in_memory.py")


@pytest.fixture(scope="session")
def localstripe_url():
    """localstripe (in-memory, see localstripe_in_memory.py) on a free loopback port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, str(IN_MEMORY), "--port", str(port),
                                "--from-scratch"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{url}/v1/customers", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers (401 without a key): it is up
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("localstripe did not start")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def stripe_server(app, localstripe_url):
    """The app pointed at localstripe (restored afterwards)."""
    before = app.config["STRIPE_API_BASE"]
    app.config["STRIPE_API_BASE"] = localstripe_url
    yield localstripe_url
    app.config["STRIPE_API_BASE"] = before


@pytest.fixture
def stripe_webhooks(app, stripe_server, live_server):
    """localstripe sends its signed webhooks to this test's live server."""
    body = json.dumps({"url": f"{live_server.url}/webhooks/stripe",
                       "secret": app.config["STRIPE_WEBHOOK_SECRET"]}).encode()
    request = urllib.request.Request(f"{stripe_server}/_config/webhooks/marketplace", data=body,
                                     headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request, timeout=5).read()
    return live_server


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


@pytest.fixture
def post_event(client, app):
    """post_event(event_dict, secret=None, timestamp=None) → the webhook's response."""

    def _post(event, secret=None, timestamp=None, signature=None):
        payload = json.dumps(event).encode()
        header = signature or sign(payload, secret or app.config["STRIPE_WEBHOOK_SECRET"],
                                   timestamp)
        return client.post("/webhooks/stripe", data=payload,
                           headers={"Stripe-Signature": header,
                                    "Content-Type": "application/json"})

    return _post


class Parties:
    """A buyer (purchaser), a supplier with staff and a settlement account, and a product."""

    def __init__(self, buyer_kind="budget_unit"):
        buyer_org = factories.org(buyer_kind)
        self.buyer = factories.user("purchaser", organization=buyer_org)
        self.supplier_org = factories.org(
            "supplier", region_code=factories.NYINGCHI_COUNTY, settlement_bank="西藏银行林芝分行",
            settlement_account="6228 0000 1111 2222", settlement_account_name="林芝松茸合作社")
        self.supplier = factories.user("supplier_staff", organization=self.supplier_org)
        self.product = factories.product(supplier=self.supplier_org, price_fen=12800)
        self.other = factories.product(supplier=self.supplier_org, name="青稞面", price_fen=2550)

    def order(self, status="accepted", quantity=2, other_quantity=0, **fields):
        lines = [(self.product, quantity)]
        if other_quantity:
            lines.append((self.other, other_quantity))
        if status in ("accepted", "completed"):
            fields.setdefault("accepted_at", utcnow() - timedelta(hours=1))
        order = factories.order(self.buyer, lines=lines, status=status, **fields)
        if status in ("accepted", "completed"):
            for line in order.lines:
                line.accepted_quantity = line.quantity
        _db.session.flush()
        return order


@pytest.fixture
def parties(db):
    return Parties()


def api_token(client, user):
    response = client.post("/api/v1/auth/token",
                           json={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def as_user(client, user):
    _db.session.commit()
    return login(client, user)


def wait_for(condition, timeout=15):
    """Poll `condition()` (reading fresh rows each time) until true or the time is up."""
    deadline = time.monotonic() + timeout
    while True:
        _db.session.rollback()
        _db.session.expire_all()
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
