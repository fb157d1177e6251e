"""Search endpoints of the JSON API: suggestions while typing and the admin's synonyms. The
product search itself is `GET /products?q=` (catalog.py), the same service as the pages."""
from flask import jsonify, request

from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, require_auth
from marketplace.catalog import services
from marketplace.catalog.schemas import synonym_json


@bp.get("/products/suggestions")
@require_auth()
def suggestions_endpoint():
    typed = (request.args.get("q") or "")[:40]
    return jsonify({"query": typed, "suggestions": services.suggestions(typed)})


@bp.get("/search/synonyms")
@require_auth("admin")
def list_synonyms_endpoint():
    items = [synonym_json(synonym) for synonym in services.synonyms()]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/search/synonyms")
@require_auth("admin")
def create_synonym_endpoint():
    synonym = services.add_synonym(api_user(), **read_body())
    return jsonify(synonym_json(synonym)), 201


@bp.delete("/search/synonyms/<int:synonym_id>")
@require_auth("admin")
def delete_synonym_endpoint(synonym_id):
    services.delete_synonym(api_user(), services.get_synonym(synonym_id))
    return "", 204
