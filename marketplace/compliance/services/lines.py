"""The order lines behind the completed figures (each with its counted amount), streamed from
the database in batches so that a whole year's lines can be exported."""
from decimal import Decimal

import sqlalchemy as sa

from marketplace.accounts.models import Organization
from marketplace.accounts.services import units_below
from marketplace.compliance.models import Filing
from marketplace.extensions import db
from marketplace.ordering.models import Order, OrderLine

from .common import check_year
from .computation import completed_filter, counted_expr, credit_map
from .policies import governing, line_counts, policies_of_year

LINE_COLUMNS = (OrderLine.id.label("line_id"), OrderLine.order_id, Order.number.label("order_number"),
                Order.budget_unit_id, Order.buyer_organization_id, Order.purpose,
                OrderLine.product_id, OrderLine.product_name, OrderLine.unit,
                OrderLine.origin_region_code, OrderLine.origin_aided, OrderLine.quantity,
                OrderLine.accepted_quantity, OrderLine.unit_price_fen, OrderLine.refunded_fen,
                Order.accepted_at)


def _line_query(year, bound_ids=None):
    """Plain columns (no ORM objects), so streaming a whole year's lines stays cheap."""
    query = sa.select(*LINE_COLUMNS, counted_expr().label("counted")).select_from(OrderLine) \
        .join(Order, Order.id == OrderLine.order_id).where(completed_filter(year))
    if bound_ids is not None:
        query = query.where(Order.budget_unit_id.in_(sorted(bound_ids)))
    return query.order_by(Order.accepted_at, OrderLine.id)


_CENTS = Decimal("0.01")


def _yuan(fen):
    """Integer fen → Decimal yuan with two places (exact, and faster than dividing)."""
    return Decimal(int(fen)).scaleb(-2) if fen else _CENTS * 0


def _line_dict(line, credited_unit_id):
    (line_id, order_id, number, unit_id, buyer_id, purpose, product_id, name, unit, origin,
     _aided, quantity, accepted, price, refunded, accepted_at, counted) = line
    return {"line_id": line_id, "order_id": order_id, "order_number": number,
            "budget_unit_id": unit_id, "credited_unit_id": credited_unit_id,
            "buyer_organization_id": buyer_id, "purpose": purpose, "product_id": product_id,
            "product_name": name, "unit": unit, "origin_region_code": origin,
            "quantity": quantity, "accepted_quantity": quantity if accepted is None else accepted,
            "unit_price": _yuan(price), "refunded": _yuan(refunded), "counted": _yuan(counted),
            "accepted_at": accepted_at}


def iter_quota_lines(year, unit_ids=None, *, batch=1000):
    """Yield, lazily, every line counted in `completed` for `year`, credited to a unit in
    `unit_ids` (None: every unit), as dicts (`compliance.schemas.quota_line_json` writes one
    as the API does), in acceptance order.

    Meant for large exports: rows are streamed from the database in batches.
    """
    check_year(year)
    policies = policies_of_year(year)
    filings = {f.budget_unit_id: f for f in Filing.query.filter_by(year=year, is_current=True)}
    credit = credit_map(filings)
    region_of = dict(db.session.query(Organization.id, Organization.region_code)
                     .filter(Organization.kind == "budget_unit"))
    wanted = None if unit_ids is None else set(unit_ids)
    bound = None
    if wanted is not None:
        bound = wanted | {member for member, target in credit.items() if target in wanted}
    query = _line_query(year, bound if bound is not None and len(bound) <= 5000 else None)
    result = db.session.execute(query.execution_options(yield_per=batch))
    policy_cache = {}
    for line in result:
        target = credit.get(line[3], line[3])
        if wanted is not None and target not in wanted:
            continue
        if filings.get(target) is not None and filings[target].canteen_status == "shared_member":
            continue  # a broken chain: counted nowhere, as in compute()
        policy = policy_cache.get(target)
        if policy is None:
            policy = policy_cache[target] = governing(policies, region_of.get(target), year)
        if line_counts(policy, line[5], line[9], line[10]):
            yield _line_dict(line, target)


def quota_lines(year, unit, *, subtree=False):
    """The order lines behind `unit`'s completed figure for `year` (with their counted amounts;
    their sum is the row's `completed`). With `subtree`, the lines of every unit below it too.
    A shared member has none: its lines are its representative's."""
    return list(iter_quota_lines(year, units_below(unit) if subtree else [unit.id]))
