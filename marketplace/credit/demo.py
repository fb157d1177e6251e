"""Demo trade record: a year of orders between the demo enterprise and several cooperatives, so
that suppliers stand in every credit tier from their own events, never from typed numbers.

Everything goes through the services: orders placed, confirmed, shipped (some late), accepted
in full or in part, a few cancelled by the supplier; reviews; one take-down by the admin. The
credit listeners write the ledger as it happens. The demo is made in one go, so the orders and
reviews are then dated back over the last twelve months, and the ledger is derived again from
them (the recompute), so that every event carries the date of what it comes from.

Needs ctx["suppliers"], ctx["products"], ctx["enterprise"], ctx["admin"]; adds
ctx["trade_history"] (the orders, which the payments demo settles).
"""
from dataclasses import dataclass
from datetime import timedelta

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.credit import services
from marketplace.extensions import db
from marketplace.ordering import services as ordering
from marketplace.ordering.models import Order, OrderEvent
from marketplace.timeutil import to_cst, utcnow


@dataclass(frozen=True)
class Record:
    """One supplier's year: how many orders of each kind, and the reviews it got."""

    supplier: int          # index in ctx["suppliers"]
    full: int              # orders accepted in full (+2 each)
    refused: int = 0       # orders accepted with a quantity refused (−3)
    late: int = 0          # of the accepted orders, shipped more than 72 h after confirming (−1)
    cancelled: int = 0     # orders the supplier cancelled (−1)
    good: int = 0          # reviews of 5 stars (+1)
    poor: int = 0          # reviews of 1 star (−2)
    take_down: str = None  # a listing the admin takes down, and why (−5)


RECORDS = (
    Record(7, full=50, late=1, good=6),                       # diamond: 105
    Record(0, full=29, late=1, good=4, poor=1),               # gold: 59, less the ordering demo's
                                                              # partly accepted order (−3)
    Record(4, full=12, refused=1, cancelled=1, good=2),       # silver: 22
    Record(3, full=5, refused=1, late=1, poor=1),             # standard: 4
    Record(8, full=3, take_down="商品图片与实物不符，经买方投诉核实"),  # standard: 1
)
DAYS = 350        # the history spans the last DAYS days
QUIET_DAYS = 6    # and ends this many days ago


def _staff(supplier):
    return User.query.filter_by(organization_id=supplier.id, role="supplier_staff").first()


def _lines_for(products, supplier):
    mine = [p for p in products if p.supplier_id == supplier.id and p.status == "active"
            and p.stock >= 40]
    return sorted(mine, key=lambda product: product.id)


def _date_back(order, placed, hours_to_ship):
    """Move an order's life to `placed` (and after), its timeline with it."""
    moments = {"placed": placed, "confirmed": placed + timedelta(hours=3)}
    moments["shipped"] = moments["confirmed"] + timedelta(hours=hours_to_ship)
    moments["accepted"] = moments["shipped"] + timedelta(days=3)
    moments["cancelled"] = placed + timedelta(hours=5)
    order.created_at = placed
    number = to_cst(placed).strftime("%y%m") + order.number[4:]  # numbers read YYMM-…
    if not Order.query.filter_by(number=number).first():
        order.number = number
    for name in ("confirmed", "shipped", "accepted", "cancelled"):
        if getattr(order, f"{name}_at") is not None:
            setattr(order, f"{name}_at", moments[name])
    if order.accepted_at is not None and order.due_date is not None:
        order.due_date = to_cst(order.accepted_at).date() + timedelta(days=30)
    for event in OrderEvent.query.filter_by(order_id=order.id):
        event.at = moments.get(event.to_status, event.at)


def _year_of(record, buyer, address, products, supplier, now):
    staff = _staff(supplier)
    stock = _lines_for(products, supplier)
    if staff is None or not stock:
        return []
    kinds = (["full"] * record.full + ["refused"] * record.refused
             + ["cancelled"] * record.cancelled)
    late = set(range(3, 3 + record.late * 7, 7))  # a few of the accepted ones, spread out
    orders, bought = [], []
    for number, kind in enumerate(kinds):
        product = stock[number % len(stock)]
        quantity = 1 + number % 3 + (kind == "refused")
        order = ordering.place_orders(buyer, [(product.id, quantity)], "other", address,
                                      "bank_transfer", "goods_first",
                                      invoice_title=buyer.organization.name)[0]
        if kind == "cancelled":
            ordering.cancel_order(order, staff, "库存核对有误，无法按期供货")
        else:
            ordering.confirm_order(order, staff)
            ordering.ship_order(order, staff, "中国邮政 EMS", f"EMS8{order.id:09d}")
            accepted = {order.lines[0].id: quantity - 1} if kind == "refused" else None
            ordering.accept_delivery(order, buyer, accepted,
                                     note="部分货品破损，已退回" if accepted else None)
            bought.append((order, product))
        placed = now - timedelta(days=QUIET_DAYS + DAYS * (len(kinds) - number) / len(kinds))
        _date_back(order, placed, 80 if number in late else 20)
        orders.append(order)
    _reviews(record, buyer, bought)
    return orders


def _reviews(record, buyer, bought):
    """5-star and 1-star reviews of distinct products, spread over the year, each a day after
    the acceptance it follows."""
    stars = [5] * record.good + [1] * record.poor
    reviewed = set()
    for number, value in enumerate(stars):
        start = number * len(bought) // max(len(stars), 1)
        for order, product in bought[start:] + bought[:start]:
            if product.id not in reviewed:
                reviewed.add(product.id)
                review = catalog.add_review(buyer, product, value, TEXTS[value])
                review.created_at = order.accepted_at + timedelta(days=1)
                break


TEXTS = {5: "品质稳定，包装严实，按时送达。", 1: "与描述不符，口感较差。"}


def seed(ctx):
    """A year of trade for the suppliers of RECORDS; the ledger derived from it again."""
    suppliers, products = ctx.get("suppliers") or [], ctx.get("products") or []
    enterprise, admin = ctx.get("enterprise"), ctx.get("admin")
    buyer = User.query.filter_by(organization_id=enterprise.id, role="purchaser").first() \
        if enterprise is not None else None
    if buyer is None or not products:
        return []
    address = ordering.format_address(ordering.delivery_addresses(enterprise)[0])
    now = utcnow()
    history = []
    for record in RECORDS:
        if record.supplier >= len(suppliers):
            continue
        supplier = suppliers[record.supplier]
        history += _year_of(record, buyer, address, products, supplier, now)
        if record.take_down:
            listing = next((p for p in _lines_for(products, supplier)), None)
            if listing is not None:
                catalog.take_down_product(admin, listing, record.take_down)
    db.session.flush()
    # The listeners dated each event when the demo made it; the records now say when it was.
    services.recompute([suppliers[record.supplier].id for record in RECORDS
                        if record.supplier < len(suppliers)])
    ctx["trade_history"] = history
    return history
