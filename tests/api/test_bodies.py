"""Request bodies are read as the API's description declares them (marketplace/api/bodies.py):
what the documentation says an endpoint takes is what it reads, type for type."""
import ast
from pathlib import Path

import pytest

from marketplace.api.bodies import kinds_of, resolve
from marketplace.api.checks import described_operation
from marketplace.api.contract import document
from marketplace.catalog.models import Product
from tests.catalog.helpers import NYINGCHI, certified_staff, leaf
from tests.helpers import as_role, assert_error, bearer

API = Path(__file__).parents[2] / "marketplace" / "api"
PRODUCT = {"name": "林芝松茸", "category": "菌菇", "unit": "斤", "price": "128.00", "stock": 50,
           "origin_region_code": NYINGCHI}


def described_bodies():
    """(path, method, operation, body schema) of every operation that takes a body."""
    for path, methods in document()["paths"].items():
        for method, op in methods.items():
            if "requestBody" in op:
                schema = op["requestBody"]["content"]["application/json"]["schema"]
                yield path, method, op, resolve(schema)


def test_every_described_body_declares_a_readable_type_for_each_property():
    for path, method, _op, schema in described_bodies():
        for choice in map(resolve, schema.get("oneOf", [schema])):
            for name, prop in choice["properties"].items():
                assert kinds_of(prop), f"{method} {path}: '{name}' has no JSON type"


def test_every_described_body_is_read_by_a_route_of_the_app(app):
    served = {(described_operation(app, rule.endpoint, method) or {}).get("operationId")
              for rule in app.url_map.iter_rules() for method in rule.methods}
    for path, method, op, _schema in described_bodies():
        assert op["operationId"] in served, f"no route serves {method} {path}"


def test_api_views_read_bodies_only_through_the_description():
    """No endpoint picks fields out of a body by hand (one way to read a body)."""
    for module in API.glob("*.py"):
        if module.name in ("core.py", "bodies.py"):
            continue
        calls = {node.func.id for node in ast.walk(ast.parse(module.read_text()))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        assert not calls & {"json_body", "field"}, module.name


def test_a_property_of_the_wrong_type_is_422_naming_it(client, db):
    _, headers = as_role("admin")
    response = client.post("/api/v1/categories", json={"name": "菌菇", "sort_order": "5"},
                           headers=headers)
    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == {"sort_order": "expected int"}


def test_a_missing_required_property_is_422_and_undeclared_ones_are_ignored(client, db):
    _, headers = as_role("admin")
    response = client.post("/api/v1/categories", json={"name_en": "Fungi"}, headers=headers)
    assert assert_error(response, 422)["fields"] == {"name": "required"}
    response = client.post("/api/v1/categories", json={"name": "菌菇", "colour": "red"},
                           headers=headers)
    assert response.status_code == 201


def test_a_listing_takes_the_details_its_description_lists(client, db):
    staff = certified_staff()
    leaf()
    db.session.commit()
    schema = document()["components"]["schemas"]["ProductInput"]["properties"]
    assert {"spec", "min_order_qty", "shelf_life", "storage", "labels"} <= set(schema)
    body = {**PRODUCT, "spec": "500克/袋", "min_order_qty": 3, "shelf_life": "7天",
            "storage": "冷藏", "labels": ["organic", "gi"]}
    response = client.post("/api/v1/products", json=body, headers=bearer(staff))
    assert response.status_code == 201
    product = db.session.get(Product, response.get_json()["id"])
    assert (product.spec, product.min_order_qty, product.shelf_life, product.storage) == (
        "500克/袋", 3, "7天", "冷藏")
    assert product.labels == "organic,gi"
    response = client.post("/api/v1/products", json={**PRODUCT, "labels": "organic"},
                           headers=bearer(staff))
    assert assert_error(response, 422)["fields"] == {"labels": "expected list"}


@pytest.mark.parametrize("lines, fields", [
    (["not an object"], {"lines[0]": "expected object"}),
    ([{"product_id": 1}], {"quantity": "required"}),
    ([{"product_id": 1, "quantity": "2"}], {"quantity": "expected int"}),
])
def test_the_objects_of_a_list_are_read_as_declared_too(client, db, lines, fields):
    _, headers = as_role("purchaser")
    response = client.post("/api/v1/orders", json={"lines": lines}, headers=headers)
    assert assert_error(response, 422)["fields"] == fields


@pytest.mark.parametrize("body, fields", [
    ({"method": "cash"}, {"method": "choice"}),
    ({"method": 1}, {"method": "expected str"}),
    ({"method": "bank_transfer", "amount": "10.00", "transferred_at": "2026-12-04"},
     {"payer_account": "required"}),
])
def test_a_choice_of_bodies_is_read_by_its_discriminator(client, db, body, fields):
    _, headers = as_role("purchaser")
    response = client.post("/api/v1/orders/1/payments", json=body, headers=headers)
    assert assert_error(response, 422)["fields"] == fields


def test_a_property_the_service_defaults_may_be_left_out(client, db):
    _, headers = as_role("admin")
    response = client.put("/api/v1/quota/policies", json={"region_prefix": "54", "year": 2026},
                          headers=headers)
    assert response.status_code == 200
    assert response.get_json()["min_ratio"] == "0.10"
    schema = document()["components"]["schemas"]["QuotaPolicyInput"]
    assert "min_ratio" not in schema["required"]
    assert schema["properties"]["min_ratio"]["default"] == "0.10"
