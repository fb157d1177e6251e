"""Ordering pages: the blueprint and its route modules — `orders` (a buyer's orders, an order,
acceptance, delivery note), `cart` (the cart and checkout) and `queue` (approvals and the
supplier's queue); `frequent` adds the purchaser's frequently bought list to the home page.

Route modules import the blueprint and what they share from here, never each other."""
from flask import Blueprint
from flask_login import current_user

from marketplace.ordering import services

bp = Blueprint("ordering", __name__)

PER_PAGE = 20


def order_for_user(order_id):
    """The order when the signed-in user may see it (else NotFound)."""
    return services.get_order(order_id, current_user)


from marketplace.ordering.views import cart, frequent, orders, queue  # noqa: E402,F401  (routes)
