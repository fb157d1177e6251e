"""The catalog as the JSON API shows it: products, categories, reviews, certifications and
search synonyms."""
from flask import url_for

from marketplace.money import fen_str
from marketplace.timeutil import iso


def product_json(product, reference_fen=None, unavailable=None):
    """The API's product object.

    :param reference_fen: the category's reference price for the product's unit, if any.
    :param unavailable: why the product is not on sale (catalog's rule), None when it is.
    """
    return {
        "id": product.id,
        "name": product.name,
        "category": product.category.name,
        "category_id": product.category_id,
        "spec": product.spec,
        "unit": product.unit,
        "price": fen_str(product.price_fen),
        "reference_price": fen_str(reference_fen),
        "price_flagged": product.price_flagged,
        "stock": product.stock,
        "min_order_qty": product.min_order_qty,
        "origin_region_code": product.origin_region_code,
        "origin_name": product.origin.name if product.origin else None,
        "supplier_id": product.supplier_id,
        "supplier_name": product.supplier.name,
        "description": product.description,
        "shelf_life": product.shelf_life,
        "storage": product.storage,
        "labels": [label for label in (product.labels or "").split(",") if label],
        "status": product.status,
        "active": product.status == "active",
        "on_sale": unavailable is None,
        "unavailable_reason": unavailable,
        "sales_count": product.sales_count,
        "photos": [url_for("catalog.media", name=photo.stored_name) for photo in product.photos],
        "created_at": iso(product.created_at),
        "updated_at": iso(product.updated_at),
    }


def category_json(category):
    return {"id": category.id, "name": category.name, "name_en": category.name_en,
            "parent_id": category.parent_id, "sort_order": category.sort_order}


def review_json(review):
    return {"id": review.id, "product_id": review.product_id,
            "organization_id": review.organization_id, "user_id": review.user_id,
            "rating": review.stars, "comment": review.text, "created_at": iso(review.created_at)}


def certification_json(cert):
    """A supplier's certification for an origin county, with its history."""
    return {"id": cert.id, "supplier_id": cert.supplier_id,
            "origin_region_code": cert.region_code,
            "origin_name": cert.region.name if cert.region else None,
            "status": cert.status, "reason": cert.reason,
            "applied_at": iso(cert.applied_at), "decided_at": iso(cert.decided_at),
            "events": [{"at": iso(event.at), "from_status": event.from_status,
                        "to_status": event.to_status, "note": event.note}
                       for event in cert.events]}


def synonym_json(synonym):
    return {"id": synonym.id, "word": synonym.word, "other": synonym.other,
            "kind": synonym.kind, "updated_at": iso(synonym.updated_at)}


def favourite_json(favourite, unavailable):
    """One of a buyer's favourites: the product as today, whether it is still on sale."""
    product = favourite.product
    return {"product_id": product.id, "name": product.name, "unit": product.unit,
            "spec": product.spec, "price": fen_str(product.price_fen), "stock": product.stock,
            "supplier_name": product.supplier.name, "on_sale": unavailable is None,
            "unavailable_reason": unavailable, "marked_at": iso(favourite.created_at)}
