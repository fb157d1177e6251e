"""The OpenAPI 3 description of API v1, assembled from one small table per domain.

Each table module (auth, regions, accounts, catalog, ...) holds, as data, its domain's
component schemas (`SCHEMAS`) and operations (`OPERATIONS`: path, method, operation), with
enums taken from the models' constants. `document()` puts them together once; a test checks
that every /api/v1 route is described and every described operation has a route.
"""
import copy
from functools import lru_cache

from marketplace.api.contract import (accounts, aftersales, auth, board, catalog,
                                      compliance, credit, exports, favourites, invoices, ordering, pairings,
                                      payments, regions, reports, search, statements)
from marketplace.api.contract.shapes import ERROR_TEXT, ID, MONEY_OUT, obj, ref

# In the order of the API page's sections.
TABLES = (auth, regions, accounts, catalog, favourites, search, ordering, payments, statements,
          invoices, aftersales, compliance, reports, exports, credit, pairings, board)

ERROR = obj({"error": obj({
    "code": {"type": "string", "example": "validation_error",
             "description": "A snake_case machine code."},
    "message": {"type": "string", "description": "Human text."},
    "fields": {"type": "object", "additionalProperties": True,
               "description": "Per-field problems, by field name."},
    "messages": {"type": "object", "additionalProperties": {"type": "string"},
                 "description": "With `fields`: each field's problem in words for a person "
                                "(every bad field of the request at once)."},
    "prices": {"type": "array", "description": "With `price_changed`: each changed line's "
                                               "price seen and price now.",
               "items": obj({"product_id": ID, "product_name": {"type": "string"},
                             "seen_unit_price": {"type": ["string", "null"]},
                             "unit_price": MONEY_OUT})}},
    ("code", "message", "fields"))}, ("error",))

IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[!-~]+$"},
    "description": "The same key and body from the same user return the stored answer "
                   "without doing the work twice; the same key with another request → 409.",
}

INFO = {
    "title": "消费帮扶采购平台 API",
    "version": "1.0.0",
    "description": (
        "The JSON API of the consumption-assistance procurement marketplace, for canteen "
        "systems, finance bureaus, suppliers' ERPs and scripts. JSON in and out; money as "
        "strings with two decimals; ratios as decimal strings; times ISO 8601 with offset. "
        "Errors: `{\"error\": {\"code\", \"message\", \"fields\"}}`. Lists: "
        "`?page=&per_page=` (max 200) → `{\"items\", \"page\", \"per_page\", \"total\"}`."),
}


def schemas():
    """Every table's component schemas; a name given twice is a mistake."""
    merged = {"Error": ERROR}
    for table in TABLES:
        for name, schema in table.SCHEMAS.items():
            assert name not in merged, f"schema {name} is described twice"
            merged[name] = schema
    return merged


def finished(method, op):
    """A table's operation as served: its id prefixed with the method, and for an
    authenticated POST the Idempotency-Key header (marketplace/api/idempotency.py)."""
    op = copy.deepcopy(op)
    op["operationId"] = f"{method}_{op['operationId']}"
    if method == "post" and op.get("security") != []:
        op.setdefault("parameters", []).append(IDEMPOTENCY_HEADER)
        for status in ("400", "409"):
            op["responses"].setdefault(status, {"$ref": f"#/components/responses/E{status}"})
        op["responses"] = dict(sorted(op["responses"].items()))
    return op


def paths():
    """Every operation of the contract, by path and method; one path and method only once."""
    described = {}
    for table in TABLES:
        for path, method, op in table.OPERATIONS:
            assert method not in described.get(path, {}), f"{method} {path} is described twice"
            described.setdefault(path, {})[method] = finished(method, op)
    return described


def error_responses():
    return {f"E{status}": {"description": text,
                           "content": {"application/json": {"schema": ref("Error")}}}
            for status, text in ERROR_TEXT.items()}


@lru_cache(maxsize=1)
def document():
    """The OpenAPI document, built once (callers must not change it: see `spec`)."""
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A token from POST /auth/token; revoke it with DELETE "
                               "/auth/token. The session cookie is never used."}},
            "schemas": schemas(),
            "responses": error_responses(),
        },
    }


def spec():
    """The OpenAPI document (a fresh copy the caller may change)."""
    return copy.deepcopy(document())
