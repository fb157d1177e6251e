"""Contract checks over every described operation (this branch's and the other domains'):
no token → 401, a role the description does not allow → 403, an unknown id → 404, each in the
error shape. Operations written on other branches are checked once they are merged."""
import re


from marketplace.api.contract import spec
from tests import factories
from tests.api.test_openapi import matched_endpoint
from tests.helpers import bearer

ROLES = ("purchaser", "supplier_staff", "auditor", "unit_manager", "admin")
DOCUMENT = spec()


def operations(app, predicate=lambda op: True):
    for path, methods in DOCUMENT["paths"].items():
        for method, op in methods.items():
            if predicate(op) and matched_endpoint(app, path, method) is not None:
                yield path, method, op


def example_body(op):
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    if body is None:
        return None
    name = body["schema"]["$ref"].rsplit("/", 1)[1]
    return DOCUMENT["components"]["schemas"][name].get("example", {})


def url(path, unknown=False):
    def fill(match):
        name = match.group(1)
        if name == "year":
            return "2026"
        if name == "code":
            return "999999" if unknown else "540402"
        return "2147483647" if unknown else "1"

    return "/api/v1" + re.sub(r"\{([^}]+)\}", fill, path)


def send(client, path, method, op, headers, unknown=False):
    return client.open(url(path, unknown), method=method.upper(), headers=headers,
                       json=example_body(op))


def error_of(response):
    body = response.get_json(silent=True) or {}
    return body.get("error", {})


def test_every_operation_with_security_needs_a_token(app, client, db):
    wrong = []
    for path, method, op in operations(app, lambda op: op.get("security") != []):
        response = send(client, path, method, op, {})
        if response.status_code != 401 or "message" not in error_of(response):
            wrong.append(f"{method.upper()} {path}: {response.status_code}")
    assert wrong == []


def test_every_operation_refuses_a_role_it_does_not_allow(app, client, db):
    tokens = {role: bearer(factories.user(role)) for role in ROLES}
    wrong = []
    for path, method, op in operations(app, lambda op: op.get("x-roles")):
        refused = next(role for role in ROLES if role not in op["x-roles"])
        response = send(client, path, method, op, tokens[refused])
        if response.status_code != 403 or error_of(response).get("code") != "forbidden":
            wrong.append(f"{method.upper()} {path} as {refused}: {response.status_code}")
    assert wrong == []


def test_every_operation_on_an_unknown_id_is_404(app, client, db):
    tokens = {role: bearer(factories.user(role)) for role in ROLES}

    def has_id(op):
        return any(p["in"] == "path" and p["name"] != "year" for p in op.get("parameters", ()))

    wrong = []
    for path, method, op in operations(app, has_id):
        role = (op.get("x-roles") or ["admin"])[0]
        if "admin" in (op.get("x-roles") or ["admin"]):
            role = "admin"
        response = send(client, path, method, op, tokens[role], unknown=True)
        if response.status_code != 404 or "message" not in error_of(response):
            wrong.append(f"{method.upper()} {path} as {role}: {response.status_code}")
    assert wrong == []
