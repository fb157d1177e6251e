"""Ordering answers the catalog's questions about what a buyer received."""
from marketplace.catalog.signals import delivery_asked
from marketplace.extensions import db
from marketplace.ordering.models import Order, OrderLine


@delivery_asked.connect
def _received(product_id, organization_id, statuses, **_):
    """Whether the organisation has an order of the product in one of `statuses`."""
    return db.session.query(
        db.select(OrderLine.id).join(Order, Order.id == OrderLine.order_id).where(
            OrderLine.product_id == product_id,
            Order.buyer_organization_id == organization_id,
            Order.status.in_(statuses)).exists()).scalar()
