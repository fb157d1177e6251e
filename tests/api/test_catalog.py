"""The catalog part of the JSON API: products and certifications, as openapi.json describes them."""
import pytest

from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Product
from tests import factories
from tests.catalog.helpers import MEDOG, NYINGCHI, certified_staff, leaf, listed
from tests.helpers import bearer


BODY = {"name": "林芝松茸", "category": "菌菇", "unit": "斤", "price": "128.00", "stock": 50,
        "origin_region_code": NYINGCHI, "description": "野生"}


def test_supplier_creates_a_product_and_gets_201(client, db):
    staff = certified_staff()
    leaf()
    db.session.commit()
    response = client.post("/api/v1/products", json=BODY, headers=bearer(staff))
    assert response.status_code == 201
    body = response.get_json()
    assert body["id"] and body["price"] == "128.00" and body["stock"] == 50
    assert body["category"] == "菌菇" and body["origin_region_code"] == NYINGCHI
    assert body["active"] is True


def test_an_uncertified_origin_is_422_and_nothing_is_created(client, db):
    staff = certified_staff()
    leaf()
    db.session.commit()
    response = client.post("/api/v1/products", json=dict(BODY, origin_region_code=MEDOG),
                           headers=bearer(staff))
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"origin_region_code": "not_certified"}
    assert Product.query.count() == 0


@pytest.mark.parametrize("changes", [
    {"price": 12.5}, {"price": "-1"}, {"stock": -3}, {"stock": "5"}, {"name": None},
    {"category": "没有"}, {"category": True}, {"unit": ""}, {"price": "1e999"},
])
def test_bad_bodies_are_422(client, db, changes):
    staff = certified_staff()
    leaf()
    db.session.commit()
    response = client.post("/api/v1/products", json=dict(BODY, **changes),
                           headers=bearer(staff))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_error"


def test_roles_and_malformed_bodies(client, db):
    buyer = factories.user("purchaser")
    db.session.commit()
    assert client.post("/api/v1/products", json=BODY).status_code == 401
    response = client.post("/api/v1/products", json=BODY, headers=bearer(buyer))
    assert response.status_code == 403
    staff = certified_staff()
    db.session.commit()
    response = client.post("/api/v1/products", data="[", headers=bearer(staff),
                           content_type="application/json")
    assert response.status_code == 400


def test_patch_edits_and_deactivates_only_its_own_product(client, db):
    product = listed()
    staff = product.supplier.users[0]
    other = certified_staff()
    db.session.commit()
    headers = bearer(staff)
    response = client.patch(f"/api/v1/products/{product.id}", json={"price": "99.50", "stock": 3},
                            headers=headers)
    assert response.status_code == 200 and response.get_json()["price"] == "99.50"
    response = client.patch(f"/api/v1/products/{product.id}", json={"active": False},
                            headers=headers)
    assert response.get_json()["active"] is False and response.get_json()["status"] == "paused"
    assert client.patch(f"/api/v1/products/{product.id}", json={"stock": 1},
                        headers=bearer(other)).status_code == 404
    assert client.patch(f"/api/v1/products/{product.id}", json={"stock": -1},
                        headers=headers).status_code == 422
    missing = client.patch("/api/v1/products/99999", json={"stock": 1}, headers=headers)
    assert missing.status_code == 404
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 3
    assert AuditEntry.query.filter_by(action="product.update").count() == 1


def test_list_filters_and_shape(client, db):
    staff = certified_staff(NYINGCHI, MEDOG)
    listed(staff, name="野生松茸")
    listed(staff, name="墨脱石锅", origin_region_code=MEDOG)
    other = listed(name="青稞面")
    buyer = factories.user("purchaser")
    db.session.commit()
    headers = bearer(buyer)

    def get(query):
        response = client.get("/api/v1/products" + query, headers=headers)
        assert response.status_code == 200
        return response.get_json()

    body = get("?q=松茸")
    assert set(body) >= {"items", "page", "per_page", "total"}
    assert [item["name"] for item in body["items"]] == ["野生松茸"] and body["total"] == 1
    assert {i["name"] for i in get("?region=540423")["items"]} == {"墨脱石锅"}
    assert {i["name"] for i in get(f"?supplier_id={other.supplier_id}")["items"]} == {"青稞面"}
    assert get("?category=菌菇")["total"] == 3
    assert get("?category=不存在")["total"] == 0
    assert get("?per_page=1&page=2")["items"] and get("?per_page=500")["per_page"] == 200
    assert get("?q=%25%27😀")["total"] == 0
    assert client.get("/api/v1/products?page=x", headers=headers).status_code == 422
    assert client.get("/api/v1/products").status_code == 401
    one = client.get(f"/api/v1/products/{other.id}", headers=headers)
    assert one.status_code == 200 and one.get_json()["name"] == "青稞面"
    assert client.get("/api/v1/products/424242", headers=headers).status_code == 404


def test_admin_certifies_a_supplier_at_once(client, db):
    admin = factories.user("admin")
    supplier = factories.org("supplier")
    staff = factories.user("supplier_staff", organization=supplier)
    leaf()
    db.session.commit()
    headers = bearer(admin)
    response = client.post(f"/api/v1/suppliers/{supplier.id}/certifications",
                           json={"origin_region_code": NYINGCHI}, headers=headers)
    assert response.status_code == 201 and response.get_json()["status"] == "approved"
    created = client.post("/api/v1/products", json=BODY, headers=bearer(staff))
    assert created.status_code == 201
    assert client.post(f"/api/v1/suppliers/{supplier.id}/certifications",
                       json={"origin_region_code": "540400"}, headers=headers).status_code == 422
    assert client.post("/api/v1/suppliers/9999/certifications",
                       json={"origin_region_code": NYINGCHI}, headers=headers).status_code == 404
    assert client.post(f"/api/v1/suppliers/{supplier.id}/certifications",
                       json={"origin_region_code": NYINGCHI},
                       headers=bearer(staff)).status_code == 403
