"""Buy again over the JSON API: a past order's lines still on sale put back in the purchaser's
cart at today's prices. The same service as the order page's button."""
from flask import jsonify

from marketplace.api import bp
from marketplace.api.core import api_user, require_auth
from marketplace.ordering import services
from marketplace.ordering.schemas import buy_again_json


@bp.post("/orders/<int:order_id>/buy-again")
@require_auth("purchaser")
def buy_again_endpoint(order_id):
    result = services.buy_again(api_user(), services.get_order(order_id, api_user()))
    return jsonify(buy_again_json(result))
