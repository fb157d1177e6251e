"""Buy again over the JSON API: a past order's lines still on sale put back in the purchaser's
cart at today's prices. The same service as the order page's button."""
from flask import jsonify

from marketplace.api.core import api_user, require_auth
from marketplace.api.views import bp
from marketplace.money import fen_str
from marketplace.ordering import services


@bp.post("/orders/<int:order_id>/buy-again")
@require_auth("purchaser")
def buy_again_endpoint(order_id):
    result = services.buy_again(api_user(), services.get_order(order_id, api_user()))
    return jsonify({
        "added": [{"product_name": name, "quantity": quantity, "ordered_price": fen_str(then),
                   "price": fen_str(now), "repriced": then != now}
                  for name, quantity, then, now in result.added],
        "skipped": [{"product_name": name, "reason": why} for name, why in result.skipped]})
