"""Ordering test helpers: buyers with a unit, suppliers with staff, checkouts via the service."""
from marketplace.catalog.models import Product
from marketplace.ordering import services
from tests import factories


def buyer(threshold_fen=None, kind="budget_unit"):
    """A purchaser in a new budget unit (or union), optionally with an approval threshold."""
    org = factories.org(kind)
    unit = org if kind == "budget_unit" else org.budget_unit
    unit.approval_threshold_fen = threshold_fen
    return factories.user("purchaser", organization=org)


def supplier_with_staff():
    supplier = factories.org("supplier", region_code=factories.NYINGCHI_COUNTY)
    staff = factories.user("supplier_staff", organization=supplier)
    return supplier, staff


def checkout(user, lines, **kwargs):
    """place_orders with sensible defaults; lines: [(product, quantity)]."""
    options = dict(purpose="canteen", delivery_address="拉萨市城关区 机关食堂",
                   payment_method="bank_transfer", payment_terms="goods_first")
    options.update(kwargs)
    return services.place_orders(user, [(p.id, q) for p, q in lines], **options)


def checkout_and_ship(user, product, quantity=5):
    """An order of `product` placed, confirmed and shipped through the services (by a new staff
    user of its supplier): (order, staff). tests/factories.py writes orders in any state
    straight to the tables instead."""
    staff = factories.user("supplier_staff", organization=product.supplier)
    order = checkout(user, [(product, quantity)])[0]
    services.confirm_order(order, staff)
    services.ship_order(order, staff, "顺丰", "SF123")
    return order, staff


def accepted_short(stock=10, quantity=5, accepted=3):
    """A purchaser's order of `quantity`, shipped and accepted with only `accepted` taken."""
    user = buyer()
    product = factories.product(price_fen=1000, stock=stock, name="青稞面")
    order, staff = checkout_and_ship(user, product, quantity=quantity)
    services.accept_delivery(order, user, {order.lines[0].id: accepted})
    return order, staff, user, product


def stock_of(db, product):
    db.session.expire_all()
    return db.session.get(Product, product.id).stock
