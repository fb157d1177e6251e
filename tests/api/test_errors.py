"""Every answer under /api/v1 is the contract's error shape with the right status, never a 500."""
from marketplace.api.checks import integer_query_params
from tests import factories
from tests.helpers import as_role, assert_error

REGION = {"code": "540499", "name": "测试县", "parent_code": "540400"}


def test_unknown_path_is_404_in_the_error_shape(client, db):
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.post("/api/v1/no/such/thing", json={}), 404, "not_found")


def test_wrong_method_is_405_in_the_error_shape(client, db):
    assert_error(client.patch("/api/v1/auth/token", json={}), 405, "method_not_allowed")


def test_malformed_json_is_400(client, db):
    _, headers = as_role("admin")
    response = client.post("/api/v1/regions", data="{not json",
                           headers={**headers, "Content-Type": "application/json"})
    assert_error(response, 400, "malformed")


def test_json_that_is_not_an_object_is_400(client, db):
    _, headers = as_role("admin")
    assert_error(client.post("/api/v1/regions", json=[1, 2], headers=headers), 400, "malformed")
    assert_error(client.post("/api/v1/regions", json="x", headers=headers), 400, "malformed")


def test_deeply_nested_json_is_400_not_500(client, db):
    _, headers = as_role("admin")
    body = "[" * 100000 + "]" * 100000
    response = client.post("/api/v1/regions", data=body,
                           headers={**headers, "Content-Type": "application/json"})
    assert_error(response, 400, "malformed")


def test_empty_body_is_400(client, db):
    _, headers = as_role("admin")
    assert_error(client.post("/api/v1/regions", headers=headers), 400, "malformed")


def test_form_encoded_body_is_415(client, db):
    _, headers = as_role("admin")
    response = client.post("/api/v1/regions", data=REGION, headers=headers)
    assert_error(response, 415, "unsupported_media_type")


def test_body_over_the_size_limit_is_413(app, client, db):
    _, headers = as_role("admin")
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/api/v1/regions", data=b'{"a": "' + b"x" * limit + b'"}',
                           headers={**headers, "Content-Type": "application/json"})
    assert_error(response, 413, "payload_too_large")


def test_wrong_types_are_422_with_the_field(client, db):
    _, headers = as_role("admin")
    error = assert_error(client.post("/api/v1/users", headers=headers, json={
        "email": "a@example.com", "password": "password123", "name": "A",
        "organization_id": "1", "role": "purchaser"}), 422, "validation_error")
    assert "organization_id" in error["fields"]


def test_huge_numbers_are_422_not_500(client, db):
    _, headers = as_role("admin")
    error = assert_error(client.post("/api/v1/users", headers=headers, json={
        "email": "a@example.com", "password": "password123", "name": "A",
        "organization_id": 10 ** 30, "role": "purchaser"}), 422)
    assert error["fields"] == {"organization_id": "out_of_range"}


def test_huge_id_in_the_path_is_404_not_500(client, db):
    _, headers = as_role("admin")
    assert_error(client.get(f"/api/v1/organizations/{10 ** 30}", headers=headers), 404)


def test_bad_pagination_is_422_and_per_page_is_capped(client, db):
    _, headers = as_role("purchaser")
    assert_error(client.get("/api/v1/regions?page=x", headers=headers), 422)
    assert_error(client.get("/api/v1/regions?per_page=0", headers=headers), 422)
    assert_error(client.get(f"/api/v1/regions?page={10 ** 30}", headers=headers), 422)
    capped = client.get("/api/v1/regions?per_page=5000", headers=headers)
    assert capped.get_json()["per_page"] == 200


def test_a_failed_request_changes_nothing(client, db):
    from marketplace.accounts.models import User

    _, headers = as_role("admin")
    org = factories.org("budget_unit")
    db.session.commit()
    before = User.query.count()
    response = client.post("/api/v1/users", headers=headers, json={
        "email": "new@example.com", "password": "short", "name": "N", "organization_id": org.id,
        "role": "purchaser"})
    assert_error(response, 422)
    db.session.rollback()
    assert User.query.count() == before


def test_nul_characters_anywhere_are_refused_not_500(client, db):
    _, headers = as_role("admin")
    assert_error(client.get("/api/v1/regions?parent_code=54%00", headers=headers), 400,
                 "malformed")
    assert_error(client.put("/api/v1/regions/54%0000", headers=headers, json={"name": "x"}), 404)
    body = {"code": "540499", "name": "测试\u0000县", "parent_code": "540400"}
    assert_error(client.post("/api/v1/regions", headers=headers, json=body), 400, "malformed")
    body = {"name": "x", "kind": "supplier", "region_code": "540102", "extra": ["a\u0000"]}
    assert_error(client.post("/api/v1/organizations", headers=headers, json=body), 400)


def test_integer_query_parameters_of_the_description_are_checked_centrally(app, client, db):
    _, headers = as_role("admin")
    assert {"page", "per_page"} <= set(integer_query_params(app, "api.list_regions", "GET"))
    error = assert_error(client.get("/api/v1/regions?per_page=abc", headers=headers), 422)
    assert "per_page" in error["fields"]


def test_out_of_range_ids_in_query_parameters_name_nothing(app, client, db):
    """supplier_id beyond INTEGER is an id no row has (as in paths), never a database error."""
    _, headers = as_role("purchaser")
    if matched := [r for r in app.url_map.iter_rules() if r.rule == "/api/v1/products"]:
        response = client.get(f"/api/v1/products?supplier_id={10 ** 20}", headers=headers)
        assert response.status_code == 200 and response.get_json()["items"] == [], matched


def test_every_bad_field_is_in_one_422_with_its_message(client, db):
    # The same collected refusal the pages show beside each field: codes for machines in
    # `fields`, each field's words for people in `messages`.
    _, headers = as_role("admin")
    error = assert_error(client.put("/api/v1/quota/policies", headers=headers, json={
        "region_prefix": "5x", "year": 2026, "min_ratio": "150%"}), 422, "validation_error")
    assert set(error["fields"]) == {"region_prefix", "min_ratio"}
    assert "1 到 6 位数字" in error["messages"]["region_prefix"]
    assert "0 到 1" in error["messages"]["min_ratio"]
