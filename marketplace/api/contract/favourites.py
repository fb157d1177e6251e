"""Favourites (favourites.py, 收藏): a purchaser's marked products, still on sale first."""
from marketplace.api.contract.shapes import (MONEY_OUT, TIME, list_of, nullable_enum, obj,
                                             operation, path_param, ref)
from marketplace.catalog.services import FAVOURITE_ROLES
from marketplace.catalog.services.availability import REASONS

SCHEMAS = {
    "Favourite": obj({
        "product_id": {"type": "integer"}, "name": {"type": "string"},
        "unit": {"type": "string"}, "spec": {"type": ["string", "null"]},
        "price": {**MONEY_OUT, "description": "Today's price."},
        "stock": {"type": "integer"}, "supplier_name": {"type": "string"},
        "on_sale": {"type": "boolean"},
        "unavailable_reason": nullable_enum(REASONS, description="Why it is off sale."),
        "marked_at": TIME},
        ("product_id", "name", "price", "on_sale", "unavailable_reason")),
    "FavouriteList": list_of(ref("Favourite"),
                             description="On sale first, then the others; latest marked "
                                         "first within each."),
}

PRODUCT = [path_param("product_id")]

OPERATIONS = [
    ("/favourites", "get", operation(
        "favourites", "The user's favourites (我的收藏)", module="favourites",
        roles=FAVOURITE_ROLES, answer=ref("FavouriteList"))),
    ("/favourites/{product_id}", "put", operation(
        "favourite", "Mark a product as favourite", module="favourites",
        roles=FAVOURITE_ROLES, params=PRODUCT, answer=ref("Favourite"),
        description="A product the user may see (404 otherwise); marking twice changes "
                    "nothing.")),
    ("/favourites/{product_id}", "delete", operation(
        "favourite", "Unmark a product", module="favourites", roles=FAVOURITE_ROLES,
        params=PRODUCT, ok=204,
        description="Also for a product no longer on sale; unmarking twice changes nothing.")),
]
