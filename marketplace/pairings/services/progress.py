"""A pairing's progress: what the enterprise bought from the paired suppliers, counted with the
quota's rules (ordering's `counting`: accepted value less refunds, in the CST year of acceptance,
cancelled orders never), its rate against the target and its pace through the year.

A pairing that was ended counts what was accepted before it ended. Every figure is the sum of
the lines `pairing_lines` lists, which use the very same condition.
"""
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from marketplace.accounts.models import Organization
from marketplace.extensions import db
from marketplace.money import rate_half_up
from marketplace.ordering.models import Order, OrderLine
from marketplace.ordering.services.counting import accepted_in_year, counted_expr
from marketplace.timeutil import to_cst, utcnow, year_bounds_utc, year_fraction_elapsed

PACE_STATUSES = ("met", "on_track", "behind", "not_met")


def _condition(pairing):
    """SQL (over OrderLine joined to Order): the lines that count toward `pairing`."""
    condition = sa.and_(accepted_in_year(pairing.year),
                        Order.buyer_organization_id == pairing.enterprise_id,
                        Order.supplier_id.in_(pairing.supplier_ids or [0]))
    if pairing.ended_at is not None:
        condition = sa.and_(condition, Order.accepted_at < pairing.ended_at)
    return condition


def purchased_fen(pairings):
    """{pairing id: purchased (fen)} for many pairings in a few grouped queries.

    Pairings still running are summed per year by (enterprise, supplier): a supplier belongs to
    one pairing of an enterprise and year, so each group is one pairing's. An ended pairing,
    counted up to its end, gets a query of its own.
    """
    result = {pairing.id: 0 for pairing in pairings}
    by_year = defaultdict(list)
    for pairing in pairings:
        if pairing.ended_at is not None:
            result[pairing.id] = db.session.execute(
                sa.select(sa.func.coalesce(sa.func.sum(counted_expr()), 0))
                .select_from(OrderLine).join(Order, Order.id == OrderLine.order_id)
                .where(_condition(pairing))).scalar_one()
        elif pairing.supplier_ids:
            by_year[pairing.year].append(pairing)
    for year, group in by_year.items():
        owner = {(p.enterprise_id, s): p.id for p in group for s in p.supplier_ids}
        rows = db.session.execute(
            sa.select(Order.buyer_organization_id, Order.supplier_id, sa.func.sum(counted_expr()))
            .select_from(OrderLine).join(Order, Order.id == OrderLine.order_id)
            .where(accepted_in_year(year),
                   Order.buyer_organization_id.in_(sorted({p.enterprise_id for p in group})),
                   Order.supplier_id.in_(sorted({s for p in group for s in p.supplier_ids})))
            .group_by(Order.buyer_organization_id, Order.supplier_id))
        for buyer, supplier, amount in rows:
            pairing_id = owner.get((buyer, supplier))
            if pairing_id is not None:
                result[pairing_id] += int(amount or 0)
    return {key: int(value) for key, value in result.items()}


def pairing_lines(pairing):
    """The order lines behind `pairing`'s purchased figure, in acceptance order, each with what
    it counts (fen); their sum is the figure."""
    rows = db.session.execute(
        sa.select(OrderLine.id, Order.id, Order.number, Order.supplier_id, Organization.name,
                  OrderLine.product_id, OrderLine.product_name, OrderLine.unit,
                  OrderLine.quantity, OrderLine.accepted_quantity, OrderLine.unit_price_fen,
                  OrderLine.refunded_fen, counted_expr(), Order.accepted_at)
        .select_from(OrderLine).join(Order, Order.id == OrderLine.order_id)
        .join(Organization, Organization.id == Order.supplier_id)
        .where(_condition(pairing)).order_by(Order.accepted_at, OrderLine.id))
    return [{"line_id": line_id, "order_id": order_id, "order_number": number,
             "supplier_id": supplier_id, "supplier_name": supplier_name,
             "product_id": product_id, "product_name": product_name, "unit": unit,
             "quantity": quantity,
             "accepted_quantity": quantity if accepted is None else accepted,
             "unit_price_fen": price, "refunded_fen": refunded, "counted_fen": int(counted),
             "accepted_at": accepted_at}
            for (line_id, order_id, number, supplier_id, supplier_name, product_id, product_name,
                 unit, quantity, accepted, price, refunded, counted, accepted_at) in rows]


@dataclass
class Progress:
    """Where a pairing stands (fen): purchased against the target, and its pace."""

    purchased: int
    target: int
    year: int
    pace: str = None          # met / on_track / behind / not_met while active, else None
    expected: int = None      # what the target asks for by now (target × year elapsed)
    fraction: Decimal = None  # of the year elapsed

    @property
    def rate(self):
        """purchased / target, half-up to four places."""
        return rate_half_up(self.purchased, self.target)

    @property
    def remaining(self):
        return max(self.target - self.purchased, 0)

    @property
    def percent(self):
        """0..100, for a bar."""
        return min(100, self.purchased * 100 // self.target) if self.target else 0

    @property
    def expected_percent(self):
        return min(100, (self.expected or 0) * 100 // self.target) if self.target else 0


def pace_of(purchased, target, year, now=None):
    """(pace, expected fen) of an active pairing at `now`: met once the target is reached,
    not_met once the year is over without it, else on_track when purchased ≥ target × the
    fraction of the CST year elapsed (exact integers), behind otherwise."""
    elapsed, total = year_fraction_elapsed(year, now)
    expected = int((Decimal(target) * elapsed / total).quantize(Decimal(1), ROUND_HALF_UP))
    if purchased >= target:
        return "met", expected
    if elapsed >= total:
        return "not_met", expected
    return ("on_track" if purchased * total >= target * elapsed else "behind"), expected


def progress_of(pairing, purchased, now=None):
    """The Progress of `pairing` given its purchased amount (from `purchased_fen`)."""
    now = now or utcnow()
    elapsed, total = year_fraction_elapsed(pairing.year, now)
    progress = Progress(purchased=purchased, target=pairing.target_fen, year=pairing.year,
                        fraction=Decimal(elapsed) / Decimal(total))
    if pairing.status == "active":
        progress.pace, progress.expected = pace_of(purchased, pairing.target_fen, pairing.year,
                                                   now)
    return progress


def progress_map(pairings, now=None):
    """{pairing id: Progress} of many pairings."""
    amounts = purchased_fen(pairings)
    return {pairing.id: progress_of(pairing, amounts[pairing.id], now) for pairing in pairings}


def in_last_quarter(year, now=None):
    """Whether `now` lies in the last quarter (October to December, CST) of `year`."""
    now = now or utcnow()
    start, end = year_bounds_utc(year)
    return start <= now < end and to_cst(now).month >= 10
