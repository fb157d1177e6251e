"""The yearly quota figures, by SQL aggregation over all units at once.

A fixed handful of queries for a whole year: the candidate lines are filtered in SQL
(`completed_filter`, `in_progress_filter`), summed per bound unit, purpose and origin, then each
group is credited to its unit (a shared member's to its representative) and kept when it counts
under that unit's policy (`line_counts`). Money is integer fen inside; rows carry Decimal yuan.
"""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

import sqlalchemy as sa

from marketplace.accounts.models import Organization
from marketplace.compliance.models import Filing
from marketplace.database import get_by_id
from marketplace.errors import ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import fen_to_yuan
from marketplace.ordering.models import Order, OrderLine
from marketplace.ordering.services.counting import accepted_in_year, counted_expr
from marketplace.regions.models import region_prefix
from marketplace.timeutil import CST, year_bounds_utc

from .common import QUOTA_STATUSES, check_year
from .policies import Policy, governing, line_counts, policies_of_year
from .status import completion_rate, quota_status


def completed_filter(year):
    """SQL condition (over OrderLine joined to Order): the candidate lines of `completed` for
    `year` — accepted in that CST year, order neither cancelled nor rejected, bound to a budget
    unit, purpose canteen or union welfare, origin aided. The governing policy (union purchases,
    eligible origin prefixes) is applied afterwards with `line_counts`.
    """
    return sa.and_(accepted_in_year(year), Order.budget_unit_id.isnot(None),
                   Order.purpose.in_(("canteen", "union_welfare")),
                   OrderLine.origin_aided.is_(True))


def in_progress_filter(year):
    """SQL condition (over OrderLine joined to Order): the candidate lines of `in_progress` for
    `year` — orders shipped in that CST year and not yet accepted, bound to a budget unit,
    purpose canteen or union welfare, origin aided; `line_counts` applies the policy after.
    """
    start, end = year_bounds_utc(year)
    return sa.and_(Order.status == "shipped", Order.accepted_at.is_(None),
                   Order.shipped_at >= start, Order.shipped_at < end,
                   Order.budget_unit_id.isnot(None),
                   Order.purpose.in_(("canteen", "union_welfare")),
                   OrderLine.origin_aided.is_(True))


def _month_case(year):
    """SQL: the CST month (1..12) of Order.accepted_at, from UTC bounds (no DB time zones)."""
    whens = []
    for month in range(2, 13):
        bound = datetime(year, month, 1, tzinfo=CST).astimezone(timezone.utc)
        whens.append((Order.accepted_at < bound, month - 1))
    return sa.case(*whens, else_=12)


# Up to this many units, UnitQuota.filing is the Filing itself (the unit page shows its
# version, exception and representative); above it, a row of FILING_FIELDS only.
FULL_FILINGS_UP_TO = 50
FILING_FIELDS = (Filing.budget_unit_id, Filing.canteen_status, Filing.reserved_fen,
                 Filing.food_budget_fen, Filing.ratio, Filing.representative_unit_id,
                 Filing.exception_status, Filing.minimum_ratio)


@dataclass
class UnitQuota:
    """One unit's figures for a year (fen), with what they come from."""

    unit_id: int
    unit_name: str
    region_code: str
    tree_path: str
    parent_id: int
    policy: Policy
    filing: Filing = None  # or a row of FILING_FIELDS (see FULL_FILINGS_UP_TO)
    completed: int = 0
    in_progress: int = 0
    months: list = field(default_factory=lambda: [0] * 12)
    status: str = "not_filed"
    credited_to: int = None  # a shared member's representative

    @property
    def canteen_status(self):
        return self.filing.canteen_status if self.filing else None

    @property
    def reserved(self):
        return self.filing.reserved_fen if self.filing else None

    @property
    def food_budget(self):
        return self.filing.food_budget_fen if self.filing else None

    @property
    def ratio(self):
        """The ratio that counts (the minimum while an exception waits or was rejected), so
        that reserved = food budget × ratio always holds in a row."""
        filing = self.filing
        if filing is None or filing.ratio is None:
            return None
        if filing.exception_status in ("pending", "rejected") and filing.minimum_ratio is not None:
            return Decimal(filing.minimum_ratio)
        return Decimal(filing.ratio)

    @property
    def exception_status(self):
        return self.filing.exception_status if self.filing else None

    def row(self):
        """The row in the API's fields (money as Decimal yuan, ratio and rate as Decimal)."""
        return {"unit_id": self.unit_id, "unit_name": self.unit_name,
                "region_code": self.region_code, "canteen_status": self.canteen_status,
                "food_budget": fen_to_yuan(self.food_budget), "ratio": self.ratio,
                "reserved": fen_to_yuan(self.reserved), "completed": fen_to_yuan(self.completed),
                "in_progress": fen_to_yuan(self.in_progress),
                "completion_rate": completion_rate(self.reserved, self.completed),
                "status": self.status, "exception_status": self.exception_status}


def credit_map(filings):
    """Where shared members' lines are credited.

    :param filings: {unit id: current Filing} of one year (others than shared members are
        ignored, so passing only those is enough).
    :returns: {member unit id: representative unit id}, for shared members naming a
        representative; a chain of members is followed to its end. A member caught in a
        cycle is left out: it keeps its lines, which count nowhere since a member's own row
        shows 0. Units absent from the map are credited with their own lines.
    """
    credit = {}
    for unit_id, filing in filings.items():
        if filing.canteen_status != "shared_member" or not filing.representative_unit_id:
            continue
        target, seen = filing.representative_unit_id, {unit_id}
        # Follow a chain (never created by file_quota, but be safe); a cycle keeps the unit.
        while target in filings and filings[target].canteen_status == "shared_member" \
                and filings[target].representative_unit_id and target not in seen:
            seen.add(target)
            target = filings[target].representative_unit_id
        if target in seen:
            continue
        credit[unit_id] = target
    return credit


def _units_query(units_query=None, region=None, parent_id=None):
    query = units_query if units_query is not None else \
        Organization.query.filter(Organization.kind == "budget_unit")
    query = query.filter(Organization.kind == "budget_unit")
    if region:
        query = query.filter(Organization.region_code.like(f"{region_prefix(region)}%"))
    if parent_id is not None:
        parent = get_by_id(Organization, parent_id)
        if parent is None or parent.kind != "budget_unit" or not parent.tree_path:
            return query.filter(sa.false())
        query = query.filter(Organization.tree_path.like(f"{parent.tree_path}%"))
    return query


def compute(year, units_query=None, *, region=None, parent_id=None, status=None, now=None,
            months=False):
    """The figures of every matched budget unit for `year`, as UnitQuota objects.

    A fixed handful of queries whatever the number of units or orders: the units, the current
    filings, the year's policies, one grouped query of completed and one of in-progress
    amounts (grouped by bound unit, purpose and origin so each unit's policy can be applied to
    the groups), plus, with `months`, the completed amounts by CST month.
    """
    check_year(year)
    units = _units_query(units_query, region, parent_id).with_entities(
        Organization.id, Organization.name, Organization.region_code, Organization.tree_path,
        Organization.parent_id).order_by(Organization.id).all()
    policies = policies_of_year(year)
    if len(units) <= FULL_FILINGS_UP_TO:
        filings = {f.budget_unit_id: f
                   for f in Filing.query.filter_by(year=year, is_current=True)}
    else:
        # A whole year (~20k filings): plain rows with the fields the figures need, not ORM
        # objects held in the session's identity map for the rest of the request.
        filings = {f.budget_unit_id: f for f in db.session.execute(
            sa.select(*FILING_FIELDS).where(Filing.year == year, Filing.is_current.is_(True)))}
    credit = credit_map(filings)
    result = {}
    for unit_id, name, region_code, tree_path, parent in units:
        result[unit_id] = UnitQuota(unit_id, name, region_code, tree_path, parent,
                                    governing(policies, region_code, year), filings.get(unit_id),
                                    credited_to=credit.get(unit_id))
    if not result:
        return []
    # Orders bound to these units, or to members whose representative is one of them.
    bound_ids = set(result) | {member for member, target in credit.items() if target in result}
    all_units = units_query is None and not region and parent_id is None
    restrict = not all_units and len(bound_ids) <= 5000

    def grouped(value, condition, by_month=False):
        # Grouped in an outer query over a subquery, so PostgreSQL never has to match the
        # month CASE of the select list with a separately bound copy in GROUP BY.
        columns = [Order.budget_unit_id.label("unit_id"), Order.purpose.label("purpose"),
                   OrderLine.origin_region_code.label("origin"), value.label("amount")]
        if by_month:
            columns.append(_month_case(year).label("month"))
        inner = sa.select(*columns).select_from(OrderLine) \
            .join(Order, Order.id == OrderLine.order_id).where(condition)
        if restrict:
            inner = inner.where(Order.budget_unit_id.in_(sorted(bound_ids)))
        inner = inner.subquery()
        keys = [inner.c.unit_id, inner.c.purpose, inner.c.origin]
        if by_month:
            keys.append(inner.c.month)
        # Streamed (~270k groups for a whole year): never all in memory at once. PostgreSQL
        # plans a server-side cursor for its first 10% of rows by default, which made this
        # aggregate ~2x slower: we read every row, so plan for all of them.
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(sa.text("SET LOCAL cursor_tuple_fraction = 1.0"))
        return db.session.execute(
            sa.select(*keys, sa.func.sum(inner.c.amount)).group_by(*keys)
            .execution_options(yield_per=10_000))

    # Whether a group counts depends only on (policy, purpose, origin): a few hundred distinct
    # keys for ~270k groups of a full year, so decide each once.
    eligible = {}

    def counts(policy, purpose, origin):
        key = (policy, purpose, origin)
        verdict = eligible.get(key)
        if verdict is None:
            verdict = eligible[key] = line_counts(policy, purpose, origin, True)
        return verdict

    for entry in grouped(counted_expr(), completed_filter(year), months):
        unit_id, purpose, origin, amount = entry[0], entry[1], entry[2], int(entry[-1] or 0)
        target = result.get(credit.get(unit_id, unit_id))
        if target is None or not counts(target.policy, purpose, origin):
            continue
        target.completed += amount
        if months:
            target.months[entry[3] - 1] += amount
    progress_value = OrderLine.quantity * OrderLine.unit_price_fen
    for entry in grouped(progress_value, in_progress_filter(year)):
        unit_id, purpose, origin, amount = entry[0], entry[1], entry[2], int(entry[-1] or 0)
        target = result.get(credit.get(unit_id, unit_id))
        if target is None or not counts(target.policy, purpose, origin):
            continue
        target.in_progress += amount
    items = []
    for quota in result.values():
        if quota.canteen_status == "shared_member":
            # Its lines count for its representative; its own row shows 0.00.
            quota.completed, quota.in_progress, quota.months = 0, 0, [0] * 12
        quota.status = quota_status(quota.canteen_status, quota.reserved, quota.completed,
                                    year, now)
        if status and quota.status != status:
            continue
        items.append(quota)
    return items


def quota_rows(year, units_query=None, *, region=None, parent_id=None, status=None, now=None):
    """The API rows (fields ROW_FIELDS; money Decimal yuan, ratio/rate Decimal or None) of
    every matched budget unit for `year`.

    :param units_query: an Organization query restricting the units (e.g. the user's
        `accounts.scopes.visible_units`); None: every budget unit.
    :param region: a region code; units within its prefix.
    :param parent_id: a budget unit id; that unit and all its descendants.
    :param status: one of QUOTA_STATUSES; only rows with it.
    :param now: the moment for on_track/behind/not_met (default: now).
    """
    if status is not None and status not in QUOTA_STATUSES:
        raise ValidationError(_("未知的完成状态。"), fields={"status": "invalid"})
    return [quota.row() for quota in compute(year, units_query, region=region,
                                              parent_id=parent_id, status=status, now=now)]


def quota_totals(rows):
    """{"reserved", "completed", "in_progress"} summed over rows (Decimal yuan; null = 0)."""
    totals = {"reserved": Decimal("0.00"), "completed": Decimal("0.00"),
              "in_progress": Decimal("0.00")}
    for row in rows:
        for key in totals:
            if row[key] is not None:
                totals[key] += row[key]
    return totals


def rollup(quotas, unit):
    """Sums over `unit`'s subtree among `quotas` (UnitQuota list): reserved, completed,
    in_progress (fen) and months. Every line is credited to exactly one unit, so the sum never
    counts a line twice."""
    path = unit.tree_path if hasattr(unit, "tree_path") else unit
    total = {"reserved": 0, "completed": 0, "in_progress": 0, "months": [0] * 12, "units": 0}
    for quota in quotas:
        if quota.tree_path and quota.tree_path.startswith(path):
            total["reserved"] += quota.reserved or 0
            total["completed"] += quota.completed
            total["in_progress"] += quota.in_progress
            total["months"] = [a + b for a, b in zip(total["months"], quota.months)]
            total["units"] += 1
    return total


def unit_quota(year, unit, now=None, months=True):
    """The UnitQuota of one unit (its own figures), or None when it is not a budget unit."""
    items = compute(year, Organization.query.filter(Organization.id == unit.id), now=now,
                    months=months)
    return items[0] if items else None
