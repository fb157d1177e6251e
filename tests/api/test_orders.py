"""The Orders API: shapes, statuses, roles and scopes (one allowed and one refused per endpoint)."""
import pytest

from marketplace.catalog.models import Product
from marketplace.ordering.models import Order
from tests import factories
from tests.helpers import bearer
from tests.ordering.helpers import accepted_short, buyer, checkout, checkout_and_ship, stock_of


@pytest.fixture
def api(client, db):
    """api(user) → request helpers sending that user's bearer token."""

    class Api:
        def __init__(self, user):
            self.headers = bearer(user)

        def get(self, url):
            return client.get(f"/api/v1{url}", headers=self.headers)

        def post(self, url, body=None):
            if body is None:
                return client.post(f"/api/v1{url}", headers=self.headers)
            return client.post(f"/api/v1{url}", json=body, headers=self.headers)

    return Api


def order_body(*lines, **extra):
    body = {"lines": [{"product_id": p.id, "quantity": q} for p, q in lines],
            "purpose": "canteen", "delivery_address": "拉萨市城关区 机关食堂",
            "payment_method": "bank_transfer", "payment_terms": "pay_first"}
    body.update(extra)
    return body


def test_post_orders_makes_one_order_per_supplier(api, db):
    user = buyer()
    a = factories.product(price_fen=123450, stock=10)
    b = factories.product(price_fen=500, stock=10)
    response = api(user).post("/orders", order_body((a, 2), (b, 1)))
    assert response.status_code == 201
    orders = response.get_json()["orders"]
    assert len(orders) == 2
    first = next(o for o in orders if o["supplier_id"] == a.supplier_id)
    assert first["total"] == "2469.00" and first["status"] == "placed"
    assert first["buyer_organization_id"] == user.organization_id
    assert first["budget_unit_id"] == user.organization_id
    assert first["payment_status"] == "unpaid" and first["paid_amount"] == "0.00"
    assert first["created_at"].endswith("+08:00") and first["accepted_at"] is None
    line = first["lines"][0]
    assert line == {**line, "product_id": a.id, "quantity": 2, "unit_price": "1234.50",
                    "accepted_quantity": None, "refunded_amount": "0.00"}


def test_post_orders_again_with_the_same_checkout_key_returns_the_same_orders(api, db):
    user = buyer()
    a = factories.product(price_fen=1000, stock=10)
    b = factories.product(price_fen=500, stock=10)
    client = api(user)
    body = order_body((a, 2), (b, 1), checkout_key="retry-1")
    first = client.post("/orders", body)
    again = client.post("/orders", body)
    assert first.status_code == 201 and again.status_code == 201
    numbers = sorted(o["number"] for o in first.get_json()["orders"])
    assert sorted(o["number"] for o in again.get_json()["orders"]) == numbers
    assert Order.query.count() == 2
    db.session.expire_all()
    assert db.session.get(Product, a.id).stock == 8 and db.session.get(Product, b.id).stock == 9
    # Another key is another checkout.
    other = client.post("/orders", order_body((a, 1), checkout_key="retry-2"))
    assert other.status_code == 201 and Order.query.count() == 3


def test_post_orders_can_ask_for_each_orders_invoice(api, db):
    user = buyer()
    a, b = factories.product(stock=10), factories.product(stock=10)
    refused = api(user).post("/orders", order_body((a, 1), invoice_kind="normal",
                                                   invoice_title="拉萨市某局",
                                                   invoice_email="nobody"))
    assert refused.status_code == 422 and Order.query.count() == 0
    assert refused.get_json()["error"]["fields"] == {"invoice_email": "invalid"}
    response = api(user).post("/orders", order_body((a, 1), (b, 1), invoice_kind="normal",
                                                    invoice_title="拉萨市某局",
                                                    invoice_email="caiwu@example.cn"))
    assert response.status_code == 201
    for order in response.get_json()["orders"]:
        invoice = api(user).get(f"/orders/{order['id']}/invoice").get_json()
        assert (invoice["status"], invoice["title"], invoice["email"]) == \
            ("requested", "拉萨市某局", "caiwu@example.cn")


def test_post_orders_without_stock_is_409_and_creates_nothing(api, db):
    user = buyer()
    a = factories.product(stock=10)
    b = factories.product(stock=1)
    response = api(user).post("/orders", order_body((a, 2), (b, 2)))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "insufficient_stock"
    assert Order.query.count() == 0
    db.session.expire_all()
    assert db.session.get(Product, a.id).stock == 10


@pytest.mark.parametrize("body", [
    {"lines": [{"product_id": 1, "quantity": "2"}]},
    {"lines": [{"product_id": 1, "quantity": 0}]},
    {"lines": []},
    {"purpose": "party"},
    {"payment_terms": None},
])
def test_post_orders_validation_is_422(api, db, body):
    user = buyer()
    product = factories.product(stock=10)
    payload = order_body((product, 1))
    payload.update({key: value for key, value in body.items() if value is not None})
    for key in [key for key, value in body.items() if value is None]:
        payload.pop(key)
    if "lines" in body and body["lines"]:
        payload["lines"][0]["product_id"] = product.id
    response = api(user).post("/orders", payload)
    assert response.status_code == 422
    assert Order.query.count() == 0


def test_post_orders_malformed_is_400_and_supplier_is_403(api, db):
    user = buyer()
    assert api(user).post("/orders").status_code == 400
    _, staff = factories.org("supplier"), factories.user("supplier_staff")
    product = factories.product(stock=5)
    assert api(staff).post("/orders", order_body((product, 1))).status_code == 403


def test_list_and_detail_are_scoped(api, db):
    user = buyer()
    order = checkout(user, [(factories.product(stock=5), 1)])[0]
    checkout(buyer(), [(factories.product(stock=5), 1)])
    listing = api(user).get("/orders?status=placed").get_json()
    assert listing["total"] == 1 and listing["items"][0]["number"] == order.number
    assert api(user).get("/orders?status=nonsense").status_code == 422
    assert api(user).get(f"/orders/{order.id}").status_code == 200
    assert api(buyer()).get(f"/orders/{order.id}").status_code == 403
    assert api(user).get("/orders/999999").status_code == 404
    assert api(factories.user("admin")).get(f"/orders/{order.id}").status_code == 200
    assert api(factories.user("auditor")).get(f"/orders/{order.id}").status_code == 200


def test_approve_by_unit_manager_only(api, db):
    user = buyer(threshold_fen=100)
    manager = factories.user("unit_manager", organization=user.organization)
    order = checkout(user, [(factories.product(price_fen=1000, stock=5), 1)])[0]
    assert api(user).post(f"/orders/{order.id}/approve").status_code == 403
    stranger = factories.user("unit_manager")
    assert api(stranger).post(f"/orders/{order.id}/approve").status_code == 403
    response = api(manager).post(f"/orders/{order.id}/approve")
    assert response.status_code == 200 and response.get_json()["status"] == "placed"
    assert api(manager).post(f"/orders/{order.id}/approve").status_code == 409


def test_reject_needs_reason(api, db):
    user = buyer(threshold_fen=100)
    manager = factories.user("unit_manager", organization=user.organization)
    order = checkout(user, [(factories.product(price_fen=1000, stock=5), 1)])[0]
    assert api(manager).post(f"/orders/{order.id}/reject", {}).status_code == 422
    response = api(manager).post(f"/orders/{order.id}/reject", {"reason": "超预算"})
    assert response.get_json()["status"] == "rejected"
    listed = api(user).get("/orders?status=rejected").get_json()
    assert [row["number"] for row in listed["items"]] == [order.number]


def test_confirm_and_ship_by_its_supplier(api, db):
    product = factories.product(stock=5)
    order = checkout(buyer(), [(product, 1)])[0]
    staff = factories.user("supplier_staff", organization=product.supplier)
    stranger = factories.user("supplier_staff")
    assert api(stranger).post(f"/orders/{order.id}/confirm").status_code == 403
    assert api(order.placed_by).post(f"/orders/{order.id}/confirm").status_code == 403
    assert api(staff).post(f"/orders/{order.id}/ship",
                           {"carrier": "EMS", "tracking_number": "1"}).status_code == 409
    assert api(staff).post(f"/orders/{order.id}/confirm").get_json()["status"] == "confirmed"
    assert api(stranger).post(f"/orders/{order.id}/ship",
                              {"carrier": "EMS", "tracking_number": "1"}).status_code == 403
    assert api(staff).post(f"/orders/{order.id}/ship", {"carrier": "EMS"}).status_code == 422
    shipped = api(staff).post(f"/orders/{order.id}/ship",
                              {"carrier": "EMS", "tracking_number": "E1"}).get_json()
    assert shipped["status"] == "shipped" and shipped["tracking_number"] == "E1"


def test_accept_partly_and_fully(api, db):
    user = buyer()
    order, staff = checkout_and_ship(user, factories.product(stock=10), quantity=4)
    line_id = order.lines[0].id
    assert api(staff).post(f"/orders/{order.id}/accept").status_code == 403
    assert api(user).post(f"/orders/{order.id}/accept",
                          {"lines": [{"line_id": line_id, "accepted_quantity": 5}]}
                          ).status_code == 422
    response = api(user).post(f"/orders/{order.id}/accept",
                              {"lines": [{"line_id": line_id, "accepted_quantity": 3}]})
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "accepted"
    assert body["lines"][0]["accepted_quantity"] == 3 and body["accepted_at"]
    other, _ = checkout_and_ship(user, factories.product(stock=10), quantity=2)
    assert api(user).post(f"/orders/{other.id}/accept").get_json()["lines"][0][
        "accepted_quantity"] == 2


def test_cancel_by_buyer_gives_stock_back(api, db):
    user = buyer()
    product = factories.product(stock=5)
    order = checkout(user, [(product, 2)])[0]
    assert api(buyer()).post(f"/orders/{order.id}/cancel").status_code == 403
    assert api(factories.user("auditor")).post(f"/orders/{order.id}/cancel").status_code == 403
    response = api(user).post(f"/orders/{order.id}/cancel")
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 5
    assert api(user).post(f"/orders/{order.id}/cancel").status_code == 409


def test_without_token_is_401(client, db):
    assert client.get("/api/v1/orders").status_code == 401


def test_restock_over_the_api(api, db):
    order, staff, user, product = accepted_short()
    assert api(user).post(f"/orders/{order.id}/restock").status_code == 403
    response = api(staff).post(f"/orders/{order.id}/restock")
    assert response.status_code == 200 and response.get_json()["status"] == "accepted"
    assert stock_of(db, product) == 7
    assert api(staff).post(f"/orders/{order.id}/restock").status_code == 409
