"""Frequently bought (常买): the products a buying organisation ordered most often in the last
12 months, still on sale, for its purchasers to put in the cart again at today's price."""
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from marketplace.catalog.models import Product
from marketplace.catalog.services.availability import on_sale
from marketplace.extensions import db
from marketplace.ordering.models import Order, OrderLine
from marketplace.ordering.services.common import require_purchaser
from marketplace.timeutil import utcnow

WINDOW = timedelta(days=365)
NOT_ORDERED = ("cancelled", "rejected")   # orders that never went through do not count
LIMIT = 8


@dataclass(frozen=True)
class Frequent:
    product: Product
    orders: int            # how many orders of the organisation held it in the window
    last_ordered_at: object


def frequently_bought(user, limit=LIMIT, now=None):
    """The products `user`'s organisation ordered most often in the last 12 months (by number
    of orders, ties by the latest order first), still on sale now, with today's price.

    :raises PermissionDenied: not a purchaser of a buying organisation.
    """
    require_purchaser(user)
    since = (now or utcnow()) - WINDOW
    orders = sa.func.count(sa.distinct(Order.id))
    latest = sa.func.max(Order.created_at)
    ranked = (db.session.query(OrderLine.product_id.label("product_id"),
                               orders.label("orders"), latest.label("latest"))
              .join(Order, Order.id == OrderLine.order_id)
              .filter(Order.buyer_organization_id == user.organization_id,
                      Order.created_at >= since, Order.status.notin_(NOT_ORDERED))
              .group_by(OrderLine.product_id).subquery())
    rows = (db.session.query(Product, ranked.c.orders, ranked.c.latest)
            .join(ranked, ranked.c.product_id == Product.id)
            .filter(on_sale(Product))
            .order_by(ranked.c.orders.desc(), ranked.c.latest.desc(), Product.id)
            .limit(limit).all())
    return [Frequent(product, count, last) for product, count, last in rows]
