"""The OpenAPI description covers every route and every route has its description; the API page."""
import re

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from marketplace.api.contract import spec
from marketplace.accounts.models import CREDIT_TIERS, ORG_KINDS, ORG_STATUSES, ROLES
from marketplace.catalog.models import CERTIFICATION_STATUSES, SYNONYM_KINDS
from marketplace.compliance.models import CANTEEN_STATUSES
from marketplace.credit.models import REASONS as CREDIT_REASONS
from marketplace.ordering.models import INVOICE_KINDS, ORDER_STATUSES, PURPOSES
from marketplace.pairings.models import NEED_KINDS, NEED_STATUSES, PAIRING_STATUSES
from marketplace.payments.models import STATEMENT_STATUSES

PREFIX = "/api/v1"
# Routes under /api/v1 that are not JSON operations (the page for people).
NOT_OPERATIONS = {"api.docs_page"}
METHODS = {"get", "post", "put", "patch", "delete"}


def concrete(path):
    """A spec path with every {parameter} filled in, to be matched like a real request."""
    return PREFIX + re.sub(r"\{[^}]+\}", "2026", path)


def api_rules(app):
    return [(rule.endpoint, method.lower()) for rule in app.url_map.iter_rules()
            if rule.rule.startswith(PREFIX + "/") and rule.endpoint not in NOT_OPERATIONS
            for method in rule.methods if method.lower() in METHODS]


def matched_endpoint(app, path, method):
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(concrete(path), method=method.upper())
    except (NotFound, MethodNotAllowed):
        return None
    return endpoint


@pytest.fixture(scope="module")
def document():
    return spec()


def test_every_api_route_is_described(app, document):
    """Each route under /api/v1 of the app's url_map, with each of its methods, is matched by
    an operation of openapi.json (the path with its parameters filled in, and the method)."""
    described = {(matched_endpoint(app, path, method), method)
                 for path, methods in document["paths"].items() for method in methods}
    missing = [rule for rule in api_rules(app) if rule not in described]
    assert missing == [], f"routes without an OpenAPI operation: {missing}"


def test_every_described_operation_has_a_route_in_its_module(app, document):
    """Each described path and method is answered by a route, whose view lives in the API
    module the operation names (its tag on the API page)."""
    wrong = []
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            endpoint = matched_endpoint(app, path, method)
            module = endpoint and app.view_functions[endpoint].__module__
            if module != f"marketplace.api.{op['x-module']}":
                wrong.append(f"{method.upper()} {path} ({op['x-module']}): {module}")
    assert wrong == [], f"operations without a route in their module: {wrong}"


def test_the_description_served_is_the_one_assembled(client, db, document):
    assert client.get("/api/v1/openapi.json").get_json() == document


def test_every_operation_of_the_contract_is_described(document):
    contract = """
        POST /auth/token; DELETE /auth/token; POST /regions; GET /regions; POST /organizations;
        POST /users; POST /suppliers/{organization_id}/certifications; PUT /quota/policies;
        POST /products; PATCH /products/{product_id}; GET /products; GET /products/{product_id};
        POST /orders; GET /orders; GET /orders/{order_id};
        POST /orders/{order_id}/approve; POST /orders/{order_id}/confirm;
        POST /orders/{order_id}/ship; POST /orders/{order_id}/accept;
        POST /orders/{order_id}/cancel; POST /orders/{order_id}/refunds;
        POST /orders/{order_id}/payments; POST /orders/{order_id}/payments/{payment_id}/confirm;
        PUT /quota/filings/{budget_unit_id}/{year}; GET /quota/{year}/units;
        GET /quota/{year}/units/{unit_id}/lines; GET /quota/{year}/report.csv;
        GET /quota/{year}/report.xlsx; GET /quota/{year}/report.pdf"""
    for entry in filter(None, (item.strip() for item in contract.split(";"))):
        method, path = entry.split()
        assert method.lower() in document["paths"].get(path, {}), entry


def test_every_operation_has_answers_errors_and_security(document):
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            statuses = set(op["responses"])
            assert statuses & {"200", "201", "204"}, (method, path)
            if op.get("security") != []:
                assert "401" in statuses, (method, path)
            if "requestBody" in op:
                assert {"400", "422"} <= statuses, (method, path)
            if method == "post" and op.get("security") != []:
                assert any(p["name"] == "Idempotency-Key" for p in op["parameters"])


def test_openapi_json_is_served_without_a_token(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["openapi"].startswith("3.") and "/orders/{order_id}/ship" in body["paths"]


def test_api_page_for_people_lists_every_operation(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for path, methods in spec()["paths"].items():
        assert f"/api/v1{path}" in html
    assert html.count('data-testid="operation"') == sum(len(m) for m in spec()["paths"].values())
    assert "Authorization: Bearer" in html
    assert client.get("/api").headers["Location"].endswith("/api/v1/docs")


def test_api_page_is_in_the_menu_of_admins_and_suppliers(client, login_as):
    login_as("supplier_staff")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/api/v1/docs"' in html
    assert 'href="/api/v1/docs"' in client.get("/api/v1/docs").get_data(as_text=True)


def test_api_page_is_not_in_the_menu_of_purchasers(client, login_as):
    login_as("purchaser")
    assert 'href="/api/v1/docs"' not in client.get("/").get_data(as_text=True)


def test_api_page_in_english(client, db):
    response = client.get("/api/v1/docs", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert "Request body" in html and "Authentication" in html


def test_every_schema_of_the_description_is_valid_json_schema(document):
    import jsonschema_rs  # installed with schemathesis

    for schema in document["components"]["schemas"].values():
        jsonschema_rs.meta.validate(schema)
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            for param in op.get("parameters", ()):
                jsonschema_rs.meta.validate(param["schema"])
            assert op["operationId"] and op["summary"], (method, path)
    ids = [op["operationId"] for methods in document["paths"].values() for op in methods.values()]
    assert len(ids) == len(set(ids))


def test_every_request_body_has_an_example_that_fits_its_schema(document):
    import jsonschema_rs

    schemas = document["components"]["schemas"]
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            name = body["schema"]["$ref"].rsplit("/", 1)[1]
            schema = {**schemas[name], "components": {"schemas": schemas}}
            assert "example" in schemas[name], (method, path)
            jsonschema_rs.validator_for(schema).validate(schemas[name]["example"])


def test_order_enums_name_every_status_an_order_can_have(document):
    """The enums come from the ordering model, so a rejected order is described and can be
    asked for (the API answered it before the description said so)."""
    order_fields = document["components"]["schemas"]["Order"]["properties"]
    listing = next(p for p in document["paths"]["/orders"]["get"]["parameters"]
                   if p["name"] == "status")
    assert order_fields["status"]["enum"] == listing["schema"]["enum"] == list(ORDER_STATUSES)
    assert "rejected" in listing["schema"]["enum"]


ENUMS_FROM_MODELS = [
    ("Organization", "kind", ORG_KINDS), ("Organization", "status", ORG_STATUSES),
    ("User", "role", ROLES), ("SupplierCertification", "status", CERTIFICATION_STATUSES),
    ("Synonym", "kind", SYNONYM_KINDS), ("Order", "purpose", PURPOSES),
    ("Statement", "status", STATEMENT_STATUSES), ("FilingInput", "canteen_status",
                                                  CANTEEN_STATUSES),
    ("CreditEvent", "reason", CREDIT_REASONS), ("SupplierCredit", "tier", CREDIT_TIERS),
    ("Pairing", "status", PAIRING_STATUSES), ("VillageNeed", "kind", NEED_KINDS),
    ("VillageNeed", "status", NEED_STATUSES), ("Invoice", "kind", INVOICE_KINDS),
]


@pytest.mark.parametrize("schema, name, values", ENUMS_FROM_MODELS,
                         ids=[f"{schema}.{name}" for schema, name, _ in ENUMS_FROM_MODELS])
def test_enums_are_the_models_values(document, schema, name, values):
    """A value the model gains is described at once (the enums are not copied by hand)."""
    assert document["components"]["schemas"][schema]["properties"][name]["enum"] == list(values)
