"""A buyer's favourites (收藏) over the JSON API: the same services as the product page's ☆/★
button and the 我的收藏 page."""
from flask import jsonify

from marketplace.api import bp
from marketplace.api.core import api_user, require_auth
from marketplace.catalog import services
from marketplace.catalog.schemas import favourite_json


def _listed(user):
    items = [favourite_json(favourite, why) for favourite, why in services.favourites_of(user)]
    return jsonify({"items": items, "total": len(items)})


@bp.get("/favourites")
@require_auth(*services.FAVOURITE_ROLES)
def favourites_list():
    return _listed(api_user())


@bp.put("/favourites/<int:product_id>")
@require_auth(*services.FAVOURITE_ROLES)
def favourite_put(product_id):
    favourite = services.add_favourite(api_user(), product_id)
    return jsonify(favourite_json(favourite, None))


@bp.delete("/favourites/<int:product_id>")
@require_auth(*services.FAVOURITE_ROLES)
def favourite_delete(product_id):
    services.remove_favourite(api_user(), product_id)
    return "", 204
