"""Catalog endpoints of the JSON API: the category tree, products, and the admin's supplier
certifications."""
from flask import jsonify, request

from marketplace.accounts.models import Organization
from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, page_args, require_auth
from marketplace.catalog import services
from marketplace.catalog.preferences import preferred_suppliers
from marketplace.catalog.schemas import (category_json, certification_json, product_json,
                                         review_json)
from marketplace.catalog.services import ProductFilters
from marketplace.database import valid_id
from marketplace.errors import NotFound, ValidationError
from marketplace.extensions import db

def _product_answer(product):
    """One product as the API shows it alone: with its reference price and, when it is not on
    sale, why."""
    return jsonify(product_json(product, services.reference_price_of(product),
                                services.unavailable_reason(product)))


@bp.post("/products")
@require_auth("supplier_staff")
def create_product_endpoint():
    product = services.create_product(api_user(), read_body())
    return _product_answer(product), 201


@bp.patch("/products/<int:product_id>")
@require_auth("supplier_staff")
def update_product_endpoint(product_id):
    data = read_body()
    user = api_user()
    product = services.get_product(product_id)
    if product.supplier_id != user.organization_id:
        raise NotFound("Product not found.")
    active = data.pop("active", None)
    if data:
        services.update_product(user, product, data)
    if active is not None:
        services.set_product_active(user, product, active)
    return _product_answer(product), 200


@bp.get("/products")
@require_auth()
def list_products_endpoint():
    page, per_page = page_args()
    raw_category = (request.args.get("category") or "").strip()
    category = services.filter_category(raw_category) if raw_category else None
    category_id = (category.id if category else -1) if raw_category else None
    supplier_id = None
    if request.args.get("supplier_id"):
        if not request.args["supplier_id"].strip().isdigit():
            raise ValidationError("supplier_id must be an integer.",
                                  fields={"supplier_id": "integer"})
        supplier_id = valid_id(request.args["supplier_id"].strip()[:12]) or -1
    region = (request.args.get("region") or "").strip()
    if region and not region.isdigit():
        raise ValidationError("region must be a region code.", fields={"region": "invalid"})
    filters = ProductFilters(q=(request.args.get("q") or "")[:100], category_id=category_id,
                             region=region.ljust(6, "0")[:6] if region else None,
                             supplier_id=supplier_id,
                             preferred_suppliers=tuple(sorted(preferred_suppliers(api_user()))))
    if -1 in (category_id, supplier_id):  # no such category or supplier: nothing matches
        return jsonify({"items": [], "page": page, "per_page": per_page, "total": 0})
    result = services.list_products(filters, page=page, per_page=per_page)
    return jsonify({"items": [product_json(p, result.references.get(p.id))
                              for p in result.items],
                    "page": page, "per_page": per_page, "total": result.total})


@bp.get("/products/<int:product_id>")
@require_auth()
def get_product_endpoint(product_id):
    product = services.visible_product(api_user(), product_id)
    return _product_answer(product), 200


@bp.post("/suppliers/<int:organization_id>/certifications")
@require_auth("admin")
def certify_supplier_endpoint(organization_id):
    supplier = db.session.get(Organization, organization_id)
    cert = services.certify_supplier(api_user(), supplier, read_body()["origin_region_code"])
    return jsonify(certification_json(cert)), 201


@bp.get("/categories")
@require_auth()
def list_categories_endpoint():
    """The whole two-level tree: each top-level category followed by its leaves."""
    items = [category_json(node) for top, leaves in services.category_tree()
             for node in (top, *leaves)]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/categories")
@require_auth("admin")
def create_category_endpoint():
    category = services.save_category(api_user(), **read_body())
    return jsonify(category_json(category)), 201


@bp.post("/products/<int:product_id>/reviews")
@require_auth("purchaser", "unit_manager")
def create_review_endpoint(product_id):
    """A buyer whose organisation accepted a delivery of the product rates it, once."""
    user, body = api_user(), read_body()
    product = services.visible_product(user, product_id)
    try:
        review = services.add_review(user, product, body["rating"], body.get("comment", ""))
    except ValidationError as error:  # the service's names for the body's fields
        names = {"stars": "rating", "text": "comment"}
        error.fields = {names.get(name, name): why for name, why in error.fields.items()}
        raise
    return jsonify(review_json(review)), 201
