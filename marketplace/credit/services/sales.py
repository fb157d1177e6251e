"""A supplier's accepted sales by month, as a bank reads them: the last twelve months."""
from dataclasses import dataclass
from datetime import datetime, timezone

from marketplace.extensions import db
from marketplace.ordering.models import Order, OrderLine
from marketplace.ordering.services.counting import counted_expr
from marketplace.timeutil import CST, to_cst, utcnow

MONTHS = 12
SALE_STATUSES = ("accepted", "completed")


@dataclass
class MonthSales:
    """One month's accepted sales: value accepted less refunds, in fen, and its orders."""

    year: int
    month: int
    amount_fen: int = 0
    orders: int = 0

    @property
    def label(self):
        return f"{self.year}-{self.month:02d}"

    @property
    def chart_point(self):
        """(short label, amount in fen), as a chart of twelve months draws it."""
        return f"{self.year % 100:02d}-{self.month:02d}", self.amount_fen


def twelve_months(now=None):
    """The twelve months ending with the current one (China Standard Time), oldest first."""
    today = to_cst(now or utcnow())
    index = today.year * 12 + today.month - 1
    return [MonthSales(number // 12, number % 12 + 1)
            for number in range(index - MONTHS + 1, index + 1)]


def _month_start_utc(year, month):
    return datetime(year, month, 1, tzinfo=CST).astimezone(timezone.utc)


def monthly_sales(supplier_id, now=None):
    """[MonthSales] of the twelve months ending this month: each accepted order line counts at
    its accepted quantity × unit price less its refunds (never below zero), in the month (China
    Standard Time) the buyer accepted it — as the quota figures count a purchase."""
    months = twelve_months(now)
    first, last = months[0], months[-1]
    start = _month_start_utc(first.year, first.month)
    end = _month_start_utc(last.year + (last.month == 12), last.month % 12 + 1)
    rows = db.session.execute(
        db.select(Order.id, Order.accepted_at, counted_expr())
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.supplier_id == supplier_id, Order.status.in_(SALE_STATUSES),
               Order.accepted_at >= start, Order.accepted_at < end))
    by_month = {(month.year, month.month): month for month in months}
    orders = {}
    for order_id, accepted_at, amount_fen in rows:
        moment = to_cst(accepted_at)
        month = by_month.get((moment.year, moment.month))
        if month is None:
            continue
        month.amount_fen += amount_fen
        orders.setdefault((moment.year, moment.month), set()).add(order_id)
    for key, ids in orders.items():
        by_month[key].orders = len(ids)
    return months
