"""Credit test helpers: a supplier trading with a buyer through the real services."""
from dataclasses import dataclass
from datetime import timedelta

from marketplace.catalog import services as catalog
from marketplace.credit.models import CreditEvent
from marketplace.ordering import services as ordering
from tests import factories
from tests.ordering.helpers import buyer as new_buyer
from tests.ordering.helpers import checkout


@dataclass
class Trade:
    supplier: object
    staff: object
    buyer: object
    admin: object
    products: list


def trade():
    """A certified supplier with staff and two products, a purchaser, an admin."""
    supplier = factories.org("supplier", region_code=factories.NYINGCHI_COUNTY)
    staff = factories.user("supplier_staff", organization=supplier)
    admin = factories.user("admin")
    catalog.certify_supplier(admin, supplier, factories.NYINGCHI_COUNTY)
    products = [factories.product(supplier=supplier, name=name, stock=500)
                for name in ("林芝松茸", "青稞挂面")]
    return Trade(supplier, staff, new_buyer(), admin, products)


def place(world, quantity=3, product=None):
    """An order of `quantity` of a product, placed by the buyer (goods first)."""
    product = product or world.products[0]
    return checkout(world.buyer, [(product, quantity)], payment_terms="goods_first")[0]


def deliver(world, quantity=3, accepted=None, hours_to_ship=1, product=None):
    """An order placed, confirmed, shipped `hours_to_ship` after confirming, and accepted
    (`accepted`: the quantity accepted, all of it when None)."""
    order = place(world, quantity, product)
    ordering.confirm_order(order, world.staff)
    order.confirmed_at = order.confirmed_at - timedelta(hours=hours_to_ship)
    ordering.ship_order(order, world.staff, "顺丰速运", "SF1000")
    line = order.lines[0]
    ordering.accept_delivery(order, world.buyer,
                             None if accepted is None else {line.id: accepted})
    return order


def review(world, product, stars):
    """A review of `product` by a new purchaser of the buyer's unit (which accepted it); a unit
    reviews a product once."""
    reviewer = factories.user("purchaser", organization=world.buyer.organization)
    return catalog.add_review(reviewer, product, stars, "评价")


def events(supplier):
    """The supplier's events as comparable tuples, oldest first."""
    return [(e.reason, e.points, e.at, e.order_id, e.product_id, e.review_id, e.source, e.note)
            for e in CreditEvent.query.filter_by(supplier_id=supplier.id)
            .order_by(CreditEvent.at, CreditEvent.source)]
