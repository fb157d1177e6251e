"""What an accepted order line is worth to a yearly target, in SQL.

Every yearly figure built on purchases (a budget unit's reserved share, an enterprise's pairing
with a village) counts the same way: a line counts at its accepted quantity × unit price less
the refunds on it, never below zero, in the China Standard Time year its order was accepted;
a cancelled or rejected order never counts, whatever its timestamps say. Each figure adds its
own conditions (which buyer, which suppliers, which purposes and origins) to `accepted_in_year`.
"""
import sqlalchemy as sa

from marketplace.ordering.models import Order, OrderLine
from marketplace.timeutil import year_bounds_utc

# Orders that never count, whatever their timestamps say.
NEVER_COUNTED = ("cancelled", "rejected")


def counted_expr():
    """SQL: the counted value (fen) of an accepted line — accepted quantity (the ordered one when
    the acceptance left the line out) × unit price, less refunds, floored at zero."""
    accepted = sa.func.coalesce(OrderLine.accepted_quantity, OrderLine.quantity)
    value = accepted * OrderLine.unit_price_fen - OrderLine.refunded_fen
    return sa.case((value > 0, value), else_=sa.literal(0, sa.BigInteger))


def accepted_in_year(year):
    """SQL condition (over OrderLine joined to Order): the order was accepted within the CST
    `year` and was neither cancelled nor rejected."""
    start, end = year_bounds_utc(year)
    return sa.and_(Order.accepted_at.isnot(None), Order.accepted_at >= start,
                   Order.accepted_at < end, Order.status.notin_(NEVER_COUNTED))
