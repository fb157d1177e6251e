"""Ordering answers the catalog's questions about what a buyer received."""
import sqlalchemy as sa

from marketplace.catalog.signals import deliveries_asked
from marketplace.extensions import db
from marketplace.ordering.models import Order, OrderLine


@deliveries_asked.connect
def _received(organization_id, statuses, **_):
    """The ids of the products of the organisation's orders in one of `statuses`."""
    return db.session.scalars(
        sa.select(OrderLine.product_id).distinct().join(Order, Order.id == OrderLine.order_id)
        .where(Order.buyer_organization_id == organization_id,
               Order.status.in_(list(statuses)))).all()
