"""The buyer pays the price it saw: a price changed after the checkout page (or the API
client) showed it stops the checkout with the old and new prices, and nothing is created."""
import re

from marketplace.catalog.models import Product
from marketplace.ordering.models import Order
from tests import factories
from tests.helpers import bearer
from tests.ordering.helpers import buyer


def _order_body(product, **line):
    return {"lines": [{"product_id": product.id, "quantity": 5, **line}], "purpose": "canteen",
            "delivery_address": "拉萨市城关区 食堂", "payment_method": "bank_transfer",
            "payment_terms": "goods_first"}


def test_checkout_page_refuses_a_price_changed_after_it_was_shown(client, db, login_as,
                                                                   post_form):
    login_as(buyer())
    product = factories.product(price_fen=1000, stock=50, name="青稞面")
    db.session.commit()
    post_form("/cart/add", {"product_id": product.id, "quantity": "5"})
    page = client.get("/checkout").get_data(as_text=True)
    assert "¥50.00" in page
    form = {name: value for name, value in re.findall(r'name="(\w+)" (?:type="hidden" )?value="([^"]*)"', page)}
    seen = re.findall(r'name="seen_price" value="([^"]+)"', page)
    assert seen == [f"{product.id}:1000"]
    db.session.get(Product, product.id).price_fen = 99900  # the supplier raises the price
    db.session.commit()
    data = {"checkout_key": form["checkout_key"], "purpose": "canteen", "address_id": "new",
            "new_label": "食堂", "new_recipient": "卓玛", "new_phone": "13800000000",
            "new_address": "拉萨市城关区 一中食堂", "payment_method": "bank_transfer",
            "payment_terms": "goods_first", "seen_price": seen}
    answer = post_form("/checkout", data)
    assert answer.status_code == 409
    shown = answer.get_data(as_text=True)
    assert 'data-testid="price-changes"' in shown and "¥10.00" in shown and "¥999.00" in shown
    assert Order.query.count() == 0
    assert db.session.get(Product, product.id).stock == 50
    # The page now carries the new price: submitting it again orders at the price shown.
    data["seen_price"] = re.findall(r'name="seen_price" value="([^"]+)"', shown)
    assert data["seen_price"] == [f"{product.id}:99900"]
    assert post_form("/checkout", data).status_code == 302
    assert Order.query.one().total_fen == 5 * 99900


def test_checkout_page_without_the_shown_prices_is_asked_again(client, db, login_as, post_form):
    login_as(buyer())
    product = factories.product(price_fen=1000, stock=50)
    db.session.commit()
    post_form("/cart/add", {"product_id": product.id, "quantity": "2"})
    answer = post_form("/checkout", {"purpose": "canteen", "address_id": "new", "new_label": "食堂",
                                     "new_address": "拉萨 食堂", "new_recipient": "卓玛",
                                     "new_phone": "13800000000", "payment_method": "bank_transfer",
                                     "payment_terms": "goods_first"})
    assert answer.status_code == 409 and Order.query.count() == 0


def test_api_line_with_the_seen_price_orders_and_a_changed_one_is_refused(client, db):
    user = buyer()
    product = factories.product(price_fen=1000, stock=50)
    db.session.commit()
    headers = bearer(user)
    ok = client.post("/api/v1/orders", headers=headers, json=_order_body(product,
                                                                        unit_price="10.00"))
    assert ok.status_code == 201
    assert ok.get_json()["orders"][0]["lines"][0]["unit_price"] == "10.00"
    db.session.get(Product, product.id).price_fen = 99900
    db.session.commit()
    refused = client.post("/api/v1/orders", headers=headers,
                          json=_order_body(product, unit_price="10.00"))
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "price_changed"
    assert error["prices"] == [{"product_id": product.id, "product_name": product.name,
                                "seen_unit_price": "10.00", "unit_price": "999.00"}]
    assert Order.query.count() == 1
    assert db.session.get(Product, product.id).stock == 45
    # Without unit_price the client accepts whatever the price is now (as before).
    assert client.post("/api/v1/orders", headers=headers,
                       json=_order_body(product)).status_code == 201


def test_api_refuses_a_unit_price_that_is_not_an_amount(client, db):
    user = buyer()
    product = factories.product(price_fen=1000, stock=50)
    db.session.commit()
    headers = bearer(user)
    for bad in ("ten", 10.5, True, "1e999"):
        answer = client.post("/api/v1/orders", headers=headers,
                             json=_order_body(product, unit_price=bad))
        assert answer.status_code == 422, bad
    assert Order.query.count() == 0
