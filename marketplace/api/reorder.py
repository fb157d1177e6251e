"""Re-ordering over the JSON API: buy again (a past order's lines still on sale put back in the
purchaser's cart at today's prices, the order page's button) and the frequently bought list
(the purchaser's home page's), on the same services."""
from flask import jsonify

from marketplace.api import bp
from marketplace.api.core import api_user, require_auth
from marketplace.ordering import services
from marketplace.ordering.schemas import buy_again_json, frequent_json


@bp.post("/orders/<int:order_id>/buy-again")
@require_auth("purchaser")
def buy_again_endpoint(order_id):
    result = services.buy_again(api_user(), services.get_order(order_id, api_user()))
    return jsonify(buy_again_json(result))


@bp.get("/frequently-bought")
@require_auth("purchaser")
def frequently_bought_endpoint():
    items = [frequent_json(item) for item in services.frequently_bought(api_user())]
    return jsonify({"items": items, "total": len(items)})
