"""What suppliers and buyers do on catalog pages, over the JSON API: a supplier applies for
certification with its documents and follows the status; a buyer reviews what its
organisation accepted, once per organisation."""
import base64

import pytest

from marketplace.catalog import services
from marketplace.catalog.models import Review, SupplierCertification, SupplierDocument
from tests import factories
from tests.catalog.helpers import MEDOG, NYINGCHI, listed
from tests.helpers import PDF, assert_error, bearer, image_bytes


def _document(data=PDF, name="营业执照.pdf"):
    return {"filename": name, "content": base64.b64encode(data).decode()}


# Certification ------------------------------------------------------------------------------

def test_a_supplier_applies_and_follows_its_applications_status(client, db):
    staff = factories.user("supplier_staff")
    db.session.commit()
    headers = bearer(staff)
    url = f"/api/v1/suppliers/{staff.organization_id}"
    response = client.post(f"{url}/certification-applications", headers=headers, json={
        "region_codes": [NYINGCHI, MEDOG],
        "documents": [_document(), _document(image_bytes("PNG"), "证书.png")]})
    assert response.status_code == 201, response.get_data(as_text=True)
    items = response.get_json()["items"]
    assert {(item["origin_region_code"], item["status"]) for item in items} == {
        (NYINGCHI, "pending"), (MEDOG, "pending")}
    assert SupplierDocument.query.filter_by(supplier_id=staff.organization_id).count() == 2

    cert = SupplierCertification.query.filter_by(region_code=MEDOG).one()
    services.reject_certification(factories.user("admin"), cert, "营业执照已过期")
    db.session.commit()
    listed_ = client.get(f"{url}/certifications", headers=headers).get_json()["items"]
    statuses = {item["origin_region_code"]: item for item in listed_}
    assert statuses[NYINGCHI]["status"] == "pending"
    assert statuses[MEDOG]["status"] == "rejected"
    assert statuses[MEDOG]["reason"] == "营业执照已过期"
    assert [e["to_status"] for e in statuses[MEDOG]["events"]] == ["pending", "rejected"]
    # A pending county cannot be applied for again; a rejected one can.
    twice = client.post(f"{url}/certification-applications", headers=headers,
                        json={"region_codes": [NYINGCHI], "documents": [_document()]})
    assert_error(twice, 409)
    again = client.post(f"{url}/certification-applications", headers=headers,
                        json={"region_codes": [MEDOG], "documents": [_document()]})
    assert again.status_code == 201 and again.get_json()["items"][0]["status"] == "pending"
    # The admin reads any supplier's.
    assert client.get(f"{url}/certifications",
                      headers=bearer(factories.user("admin"))).get_json()["total"] == 2


@pytest.mark.parametrize("body, field", [
    ({"region_codes": [], "documents": [_document()]}, "region_codes"),
    ({"region_codes": ["540400"], "documents": [_document()]}, "region_codes"),  # a city
    ({"region_codes": [NYINGCHI], "documents": []}, "documents"),
    ({"region_codes": [NYINGCHI], "documents": [{"filename": "a.pdf", "content": "%%%"}]},
     "documents"),
    ({"region_codes": [NYINGCHI], "documents": [_document(b"MZ not a licence", "a.exe")]},
     "documents"),
    ({"region_codes": [NYINGCHI], "documents": ["a.pdf"]}, "documents[0]"),
    ({"region_codes": [540402], "documents": [_document()]}, "region_codes"),
    ({"region_codes": [NYINGCHI], "documents": [_document()] * 6}, "documents"),
])
def test_a_bad_application_is_422_and_stores_nothing(client, db, body, field):
    staff = factories.user("supplier_staff")
    db.session.commit()
    response = client.post(f"/api/v1/suppliers/{staff.organization_id}/certification-"
                           "applications", headers=bearer(staff), json=body)
    assert field in assert_error(response, 422)["fields"]
    assert SupplierCertification.query.count() == 0
    assert SupplierDocument.query.count() == 0


def test_another_suppliers_certifications_are_not_yours(client, db):
    staff, other = factories.user("supplier_staff"), factories.user("supplier_staff")
    db.session.commit()
    url = f"/api/v1/suppliers/{other.organization_id}"
    assert_error(client.get(f"{url}/certifications", headers=bearer(staff)), 403)
    applied = client.post(f"{url}/certification-applications", headers=bearer(staff),
                          json={"region_codes": [NYINGCHI], "documents": [_document()]})
    assert_error(applied, 403)
    unit = factories.org("budget_unit")
    db.session.commit()
    assert_error(client.get(f"/api/v1/suppliers/{unit.id}/certifications",
                            headers=bearer(factories.user("admin"))), 404)
    assert SupplierCertification.query.count() == 0


@pytest.mark.parametrize("role", ["purchaser", "unit_manager", "auditor", "admin"])
def test_only_supplier_staff_apply(client, db, role):
    staff = factories.user("supplier_staff")
    db.session.commit()
    response = client.post(f"/api/v1/suppliers/{staff.organization_id}/certification-"
                           "applications", headers=bearer(factories.user(role)),
                           json={"region_codes": [NYINGCHI], "documents": [_document()]})
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("role", ["purchaser", "unit_manager", "auditor"])
def test_buyers_and_auditors_do_not_read_certifications(client, db, role):
    staff = factories.user("supplier_staff")
    db.session.commit()
    response = client.get(f"/api/v1/suppliers/{staff.organization_id}/certifications",
                          headers=bearer(factories.user(role)))
    assert_error(response, 403, "forbidden")


# Reviews ------------------------------------------------------------------------------------

@pytest.fixture
def delivered(db):
    """A product and a purchaser whose organisation accepted a delivery of it."""
    product = listed()
    buyer = factories.user("purchaser")
    factories.order(buyer, [(product, 2)], status="accepted")
    db.session.commit()
    return product, buyer


def test_a_buyer_reviews_once_per_organisation(client, db, delivered):
    product, buyer = delivered
    response = client.post(f"/api/v1/products/{product.id}/reviews", headers=bearer(buyer),
                           json={"rating": 4, "comment": "松茸新鲜"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["rating"], body["comment"], body["organization_id"]) == (
        4, "松茸新鲜", buyer.organization_id)
    manager = factories.user("unit_manager", organization=buyer.organization)
    for again in (buyer, manager):
        second = client.post(f"/api/v1/products/{product.id}/reviews", headers=bearer(again),
                             json={"rating": 1})
        assert_error(second, 409, "already_reviewed")
    assert Review.query.count() == 1
    assert services.rating_of_product(product) == (4.0, 1)
    # The product page shows it.
    assert "松茸新鲜" in client.get(f"/products/{product.id}").get_data(as_text=True)


def test_without_an_accepted_delivery_a_review_is_403(client, db):
    product = listed()
    buyer = factories.user("purchaser")
    factories.order(buyer, [(product, 1)], status="shipped")
    db.session.commit()
    for who in (buyer, factories.user("purchaser")):
        response = client.post(f"/api/v1/products/{product.id}/reviews", headers=bearer(who),
                               json={"rating": 5})
        assert_error(response, 403)
    assert Review.query.count() == 0


@pytest.mark.parametrize("body, field", [
    ({"rating": 0}, "rating"), ({"rating": 6}, "rating"), ({"rating": "5"}, "rating"),
    ({}, "rating"), ({"rating": 5, "comment": "好" * 1001}, "comment"),
    ({"rating": 5, "comment": 3}, "comment"),
])
def test_bad_reviews_are_422(client, db, delivered, body, field):
    product, buyer = delivered
    response = client.post(f"/api/v1/products/{product.id}/reviews", headers=bearer(buyer),
                           json=body)
    assert field in assert_error(response, 422)["fields"]
    assert Review.query.count() == 0


@pytest.mark.parametrize("role", ["supplier_staff", "auditor", "admin"])
def test_only_buyers_review(client, db, delivered, role):
    product, _buyer = delivered
    response = client.post(f"/api/v1/products/{product.id}/reviews",
                           headers=bearer(factories.user(role)), json={"rating": 5})
    assert_error(response, 403, "forbidden")


def test_an_unknown_product_is_404(client, db, delivered):
    _product, buyer = delivered
    assert_error(client.post("/api/v1/products/999999/reviews", headers=bearer(buyer),
                             json={"rating": 5}), 404)
