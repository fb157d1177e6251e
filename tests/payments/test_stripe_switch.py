"""STRIPE_ENABLED=false: a bank-transfer-only platform offers no Stripe payment anywhere."""
import pytest

from tests import factories
from tests.helpers import bearer, login
from tests.ordering.helpers import buyer


@pytest.fixture
def no_stripe(app):
    app.config["STRIPE_ENABLED"] = False
    yield
    app.config["STRIPE_ENABLED"] = True


def test_checkout_page_offers_no_stripe_and_refuses_it(client, db, login_as, post_form,
                                                        no_stripe):
    login_as(buyer())
    product = factories.product(stock=10)
    db.session.commit()
    post_form("/cart/add", {"product_id": product.id, "quantity": "1"})
    page = client.get("/checkout").get_data(as_text=True)
    assert 'value="bank_transfer"' in page and 'value="stripe"' not in page


def test_api_refuses_stripe_orders_and_payments(client, parties, no_stripe):
    headers = bearer(parties.buyer)
    answer = client.post("/api/v1/orders", headers=headers, json={
        "lines": [{"product_id": parties.product.id, "quantity": 1}], "purpose": "canteen",
        "delivery_address": "拉萨 食堂", "payment_method": "stripe", "payment_terms": "pay_first"})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"]["payment_method"] == "unavailable"
    order = parties.order(status="confirmed", quantity=1)
    login(client, parties.buyer)
    answer = client.post(f"/api/v1/orders/{order.id}/payments", headers=headers,
                         json={"method": "stripe"})
    assert answer.status_code == 422
    assert "pay-online" not in client.get(f"/orders/{order.id}").get_data(as_text=True)


def test_with_stripe_on_the_order_page_offers_paying_online(client, parties):
    order = parties.order(status="confirmed", quantity=1)
    login(client, parties.buyer)
    assert "pay-online" in client.get(f"/orders/{order.id}").get_data(as_text=True)
