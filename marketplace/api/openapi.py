"""GET /api/v1/openapi.json: the description of API v1 (assembled in `contract`), without a
token."""
from flask import jsonify

from marketplace.api import bp
from marketplace.api.contract import document, spec  # noqa: F401  (spec: for the tests)


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document())
