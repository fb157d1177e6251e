"""The quota rules (DESIGN.md "The quota rules"): policies, filings and the yearly quota figures.

Every figure is computed by SQL aggregation over all units at once (a handful of queries for a
whole year) and is traceable to the order lines of `quota_lines`, which use the very same
eligibility rule (`line_counts`). Money is integer fen inside; rows carry Decimal yuan and
`serialize_row` turns them into the API's strings.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from flask import has_request_context
from flask_babel import gettext

from marketplace.accounts.models import Organization
from marketplace.audit.services import record
from marketplace.compliance.models import CANTEEN_STATUSES, Filing, FilingWindow, QuotaPolicy
from marketplace.errors import Conflict, NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.money import MAX_YUAN, fen_str, fen_to_yuan, to_decimal
from marketplace.ordering.models import Order, OrderLine
from marketplace.regions.models import region_prefix
from marketplace.timeutil import CST, to_cst, utcnow, year_bounds_utc

DEFAULT_MIN_RATIO = Decimal("0.10")
EXEMPT_STATUSES = ("none", "shared_member")
QUOTA_STATUSES = ("exempt", "not_filed", "met", "on_track", "behind", "not_met")
ROW_FIELDS = ("unit_id", "unit_name", "region_code", "canteen_status", "food_budget", "ratio",
              "reserved", "completed", "in_progress", "completion_rate", "status")
MIN_YEAR, MAX_YEAR = 2000, 2100
# Orders that never count, whatever their timestamps say.
NEVER_COUNTED = ("cancelled", "rejected")
RATE_PLACES = Decimal("0.0001")
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL: larger ones cannot exist


def valid_id(value):
    """`value` as a positive database id, or None when it cannot be one (never a DB error)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def _(text, **variables):
    """gettext in a request (the user's language); the Chinese text in CLI and tests."""
    if has_request_context():
        return gettext(text, **variables)
    return text % variables if variables else text


# --------------------------------------------------------------------------- policies

@dataclass(frozen=True)
class Policy:
    """The rule governing a unit for a year: a stored QuotaPolicy or the national default."""

    region_prefix: str
    year: int
    min_ratio: Decimal
    eligible_origin_prefixes: tuple
    count_union_purchases: bool
    id: int = None

    @property
    def is_default(self):
        return self.id is None

    def origin_eligible(self, origin_code, aided):
        """An origin counts when its county is aided AND lies within one of the prefixes."""
        if not aided:
            return False
        prefixes = self.eligible_origin_prefixes
        return not prefixes or any(str(origin_code).startswith(p) for p in prefixes)

    def purpose_counts(self, purpose):
        return purpose == "canteen" or (purpose == "union_welfare" and self.count_union_purchases)


def national_default(year):
    """The built-in national default: 0.10, any aided county, union purchases counted."""
    return Policy("", year, DEFAULT_MIN_RATIO, (), True, None)


def _as_policy(model):
    return Policy(model.region_prefix, model.year, Decimal(model.min_ratio),
                  tuple(model.eligible_origin_prefixes or ()), bool(model.count_union_purchases),
                  model.id)


def policies_of_year(year):
    """The stored policies of one year, read in one query.

    :returns: {region_prefix: Policy}; pass it to `governing` to resolve many units cheaply.
    """
    return {p.region_prefix: _as_policy(p) for p in QuotaPolicy.query.filter_by(year=year)}


def governing(policies, region_code, year):
    """The policy governing a unit of `region_code` among `policies` (from `policies_of_year`):
    the longest prefix of the code that has a policy, else the national default of `year`.
    """
    code = str(region_code or "")
    for length in range(len(code), 0, -1):
        policy = policies.get(code[:length])
        if policy is not None:
            return policy
    return national_default(year)


def governing_policy(region_code, year):
    """The policy governing a unit of `region_code` in `year`: the longest matching prefix of
    that year's policies, else the built-in national default.

    :returns: a `Policy` (``policy.is_default`` tells the national default).
    """
    return governing(policies_of_year(year), region_code, year)


def _parse_ratio(value, name="min_ratio"):
    try:
        ratio = to_decimal(value)
    except ValueError:
        raise ValidationError(_("比例必须是 0 到 1 之间的数字。"), fields={name: "invalid"}) from None
    if ratio < 0 or ratio > 1:
        raise ValidationError(_("比例必须是 0 到 1 之间的数字。"), fields={name: "out_of_range"})
    if ratio != ratio.quantize(RATE_PLACES):
        raise ValidationError(_("比例最多保留四位小数。"), fields={name: "too_precise"})
    return ratio


def _check_year(year):
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(_("年度无效。"), fields={"year": "invalid"})
    return year


check_year = _check_year


def _parse_prefixes(prefixes):
    if prefixes is None:
        return []
    if not isinstance(prefixes, (list, tuple)):
        raise ValidationError(_("产地范围必须是地区代码前缀的列表。"),
                              fields={"eligible_origin_prefixes": "expected list"})
    cleaned = []
    for prefix in prefixes:
        text = str(prefix).strip() if isinstance(prefix, (str, int)) and not isinstance(prefix, bool) \
            else ""
        if not text.isdigit() or not 1 <= len(text) <= 6:
            raise ValidationError(_("产地范围中的地区代码前缀无效：%(p)s", p=prefix),
                                  fields={"eligible_origin_prefixes": "invalid"})
        if text not in cleaned:
            cleaned.append(text)
    return cleaned


def set_policy(actor, region_prefix_value, year, min_ratio=DEFAULT_MIN_RATIO,
               eligible_origin_prefixes=None, count_union_purchases=True):
    """Create or replace the policy of a region prefix for a year (admin only).

    :raises PermissionDenied: the actor is not an admin.
    :raises ValidationError: a bad prefix, year, ratio or list of origin prefixes.
    :returns: the QuotaPolicy row.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以设置预留比例政策。"))
    prefix = str(region_prefix_value or "").strip()
    if not prefix.isdigit() or not 1 <= len(prefix) <= 6:
        raise ValidationError(_("地区前缀必须是 1 到 6 位数字。"), fields={"region_prefix": "invalid"})
    _check_year(year)
    ratio = _parse_ratio(min_ratio)
    prefixes = _parse_prefixes(eligible_origin_prefixes)
    if not isinstance(count_union_purchases, bool):
        raise ValidationError(_("是否计入工会采购必须是真或假。"),
                              fields={"count_union_purchases": "expected bool"})
    policy = QuotaPolicy.query.filter_by(region_prefix=prefix, year=year).first()
    created = policy is None
    if created:
        policy = QuotaPolicy(region_prefix=prefix, year=year)
        db.session.add(policy)
    policy.min_ratio = ratio
    policy.eligible_origin_prefixes = prefixes
    policy.count_union_purchases = count_union_purchases
    db.session.flush()
    record("quota_policy.create" if created else "quota_policy.update", policy, actor=actor,
           detail={"region_prefix": prefix, "year": year, "min_ratio": str(ratio),
                   "eligible_origin_prefixes": prefixes,
                   "count_union_purchases": count_union_purchases})
    return policy


def delete_policy(actor, policy):
    """Remove a stored policy (the national default cannot be removed: it is built in)."""
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以设置预留比例政策。"))
    record("quota_policy.delete", policy, actor=actor,
           detail={"region_prefix": policy.region_prefix, "year": policy.year})
    db.session.delete(policy)
    db.session.flush()


def serialize_policy(policy):
    """A policy (model or Policy) in the API's form."""
    return {"id": policy.id, "region_prefix": policy.region_prefix, "year": policy.year,
            "min_ratio": ratio_str(Decimal(policy.min_ratio)),
            "eligible_origin_prefixes": list(policy.eligible_origin_prefixes or ()),
            "count_union_purchases": bool(policy.count_union_purchases)}


# --------------------------------------------------------------------------- filing windows

def set_filing_window(actor, year, opens_on, closes_on):
    """Set (or replace) the filing window of a year; dates are China Standard Time dates.

    :raises PermissionDenied: not an admin. :raises ValidationError: closing before opening.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以设置填报期。"))
    _check_year(year)
    if not isinstance(opens_on, date) or not isinstance(closes_on, date):
        raise ValidationError(_("请填写开始和截止日期。"), fields={"opens_on": "required"})
    if closes_on < opens_on:
        raise ValidationError(_("截止日期不能早于开始日期。"), fields={"closes_on": "before_opening"})
    window = db.session.get(FilingWindow, year)
    if window is None:
        window = FilingWindow(year=year, opens_on=opens_on, closes_on=closes_on)
        db.session.add(window)
    window.opens_on, window.closes_on = opens_on, closes_on
    db.session.flush()
    record("filing_window.set", window, actor=actor, object_id=year,
           detail={"year": year, "opens_on": opens_on.isoformat(),
                   "closes_on": closes_on.isoformat()})
    return window


def delete_filing_window(actor, year):
    """Remove a year's window (filing is then open all year)."""
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以设置填报期。"))
    window = db.session.get(FilingWindow, year)
    if window is not None:
        record("filing_window.delete", window, actor=actor, object_id=year, detail={"year": year})
        db.session.delete(window)
        db.session.flush()


def window_state(year, now=None):
    """("open" | "not_open" | "closed" | "always_open", window or None) for filing `year` now."""
    window = db.session.get(FilingWindow, year)
    if window is None:
        return "always_open", None
    today = to_cst(now or utcnow()).date()
    if today < window.opens_on:
        return "not_open", window
    if today > window.closes_on:
        return "closed", window
    return "open", window


# --------------------------------------------------------------------------- filings

def current_filing(unit, year):
    """The unit's current filing version for the year, or None."""
    unit_id = unit.id if hasattr(unit, "id") else unit
    return Filing.query.filter_by(budget_unit_id=unit_id, year=year, is_current=True).first()


def filing_history(unit, year):
    """Every version of the unit's filing for the year, newest first."""
    return (Filing.query.filter_by(budget_unit_id=unit.id, year=year)
            .order_by(Filing.version.desc()).all())


def can_file_for(actor, unit):
    """Whether `actor` may file for `unit`: that unit's own unit manager, or an admin."""
    if actor is None or unit is None:
        return False
    if actor.role == "admin":
        return True
    return actor.role == "unit_manager" and actor.organization_id == unit.id


def reserved_fen(food_budget_fen, ratio):
    """food budget × ratio, rounded half-up to the fen."""
    return int((Decimal(food_budget_fen) * Decimal(ratio)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _parse_budget(value):
    """A yuan amount ≥ 0, at most two decimals → fen. :raises ValidationError:"""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(_("请填写食堂年度食材采购预算。"), fields={"food_budget": "required"})
    try:
        amount = to_decimal(value)
    except ValueError:
        raise ValidationError(_("食材采购预算必须是金额（元）。"), fields={"food_budget": "invalid"}) from None
    if amount < 0:
        raise ValidationError(_("食材采购预算不能为负数。"), fields={"food_budget": "negative"})
    if amount > MAX_YUAN:
        raise ValidationError(_("食材采购预算超出范围。"), fields={"food_budget": "out_of_range"})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("食材采购预算最多保留两位小数（分）。"), fields={"food_budget": "too_precise"})
    return int(amount * 100)


def file_quota(actor, unit, year, canteen_status, food_budget, ratio=None, exception_ref=None,
               representative_unit=None, now=None):
    """File (or correct) a budget unit's reserved share for a year; every version is kept.

    :param unit: the budget unit (Organization).
    :param food_budget: the annual canteen food purchasing total in yuan (str/int/Decimal);
        optional for the exempt statuses `none` and `shared_member`.
    :param ratio: defaults to the governing policy's `min_ratio`; under it only with
        `exception_ref` (an approved exception's reference).
    :param representative_unit: for `shared_member`, the representative budget unit
        (an Organization or its id).
    :raises PermissionDenied: the actor is neither the unit's unit manager nor an admin.
    :raises ValidationError: bad status, budget, ratio, representative, year, or the year's
        filing window has not opened. Nothing is stored then.
    :returns: the new current Filing (``late`` when filed after the window closed).
    """
    if unit is None or getattr(unit, "kind", None) != "budget_unit":
        raise NotFound(_("预算单位不存在。"))
    if not can_file_for(actor, unit):
        raise PermissionDenied(_("只能为本单位填报预留份额。"))
    _check_year(year)
    if canteen_status not in CANTEEN_STATUSES:
        raise ValidationError(_("请选择食堂情况。"), fields={"canteen_status": "invalid"})
    state, window = window_state(year, now)
    if state == "not_open":
        raise ValidationError(
            _("%(year)s 年度的填报期尚未开始（%(opens)s 开始）。", year=year,
              opens=window.opens_on.isoformat()),
            fields={"year": "window_not_open"}, code="filing_window_not_open")
    exception_ref = (exception_ref or "").strip() or None
    if exception_ref is not None and len(exception_ref) > 100:
        raise ValidationError(_("例外批准文号过长。"), fields={"exception_ref": "too_long"})
    policy = governing_policy(unit.region_code, year)
    exempt = canteen_status in EXEMPT_STATUSES
    budget_fen = None
    if not exempt or not (food_budget is None or (isinstance(food_budget, str)
                                                  and not food_budget.strip())):
        budget_fen = _parse_budget(food_budget)
    ratio_value = None
    reserved = None
    if not exempt:
        if ratio is None or (isinstance(ratio, str) and not ratio.strip()):
            ratio_value = policy.min_ratio
        else:
            ratio_value = _parse_ratio(ratio, "ratio")
        if ratio_value < policy.min_ratio and exception_ref is None:
            raise ValidationError(
                _("预留比例不得低于政策规定的 %(min)s；低于时须填写已批准的例外文号。",
                  min=ratio_str(policy.min_ratio)),
                fields={"ratio": "below_minimum"}, code="ratio_below_minimum")
        reserved = reserved_fen(budget_fen, ratio_value)
    representative = _check_representative(unit, year, canteen_status, representative_unit)
    # Serialise filings of one unit (PostgreSQL: a row lock on the unit), so two concurrent
    # corrections cannot both stay current; a lost race on the version number is a 409.
    db.session.query(Organization.id).filter(Organization.id == unit.id).with_for_update().scalar()
    previous = Filing.query.filter_by(budget_unit_id=unit.id, year=year, is_current=True).all()
    last_version = db.session.query(sa.func.max(Filing.version)).filter(
        Filing.budget_unit_id == unit.id, Filing.year == year).scalar() or 0
    for old in previous:
        old.is_current = False
    db.session.flush()
    filing = Filing(budget_unit_id=unit.id, year=year, version=last_version + 1, is_current=True,
                    canteen_status=canteen_status, food_budget_fen=budget_fen, ratio=ratio_value,
                    reserved_fen=reserved,
                    exception_ref=exception_ref if not exempt else None,
                    representative_unit_id=representative.id if representative else None,
                    late=state == "closed", filed_by_id=actor.id, filed_at=now or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(filing)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("另一份填报刚刚提交，请刷新后重试。"), code="concurrent_filing") from None
    record("filing.create" if last_version == 0 else "filing.correct", filing, actor=actor,
           detail={"unit_id": unit.id, "year": year, "version": filing.version,
                   "canteen_status": canteen_status, "food_budget": fen_str(budget_fen),
                   "ratio": ratio_str(ratio_value), "reserved": fen_str(reserved),
                   "exception_ref": filing.exception_ref, "late": filing.late,
                   "representative_unit_id": filing.representative_unit_id})
    return filing


def _check_representative(unit, year, canteen_status, representative_unit):
    if canteen_status != "shared_member":
        return None
    if representative_unit is None or representative_unit == "":
        raise ValidationError(_("共享食堂成员单位须指定代表单位。"),
                              fields={"representative_unit_id": "required"})
    if isinstance(representative_unit, Organization):
        representative = representative_unit
    else:
        ident = None if isinstance(representative_unit, bool) else valid_id(representative_unit)
        representative = db.session.get(Organization, ident) if ident else None
    if representative is None or representative.kind != "budget_unit":
        raise ValidationError(_("代表单位必须是系统中的预算单位。"),
                              fields={"representative_unit_id": "unknown"})
    if representative.id == unit.id:
        raise ValidationError(_("代表单位不能是本单位自己。"),
                              fields={"representative_unit_id": "self"})
    rep_filing = current_filing(representative, year)
    if rep_filing is not None and rep_filing.canteen_status == "shared_member":
        raise ValidationError(_("所指定的代表单位本身是共享食堂成员，请指定其代表单位。"),
                              fields={"representative_unit_id": "is_member"})
    members = Filing.query.filter_by(year=year, is_current=True, canteen_status="shared_member",
                                     representative_unit_id=unit.id).count()
    if members:
        raise ValidationError(_("本单位是其他单位的共享食堂代表单位，不能再登记为成员。"),
                              fields={"canteen_status": "is_representative"})
    return representative


def serialize_filing(filing):
    """A filing version in the API's form."""
    return {"id": filing.id, "budget_unit_id": filing.budget_unit_id, "year": filing.year,
            "version": filing.version, "is_current": filing.is_current,
            "canteen_status": filing.canteen_status,
            "food_budget": fen_str(filing.food_budget_fen), "ratio": ratio_str(filing.ratio),
            "reserved": fen_str(filing.reserved_fen), "exception_ref": filing.exception_ref,
            "representative_unit_id": filing.representative_unit_id, "late": filing.late,
            "filed_by_id": filing.filed_by_id,
            "filed_at": to_cst(filing.filed_at).isoformat() if filing.filed_at else None}


# --------------------------------------------------------------------------- quota computation

def ratio_str(ratio):
    """A ratio as the API's decimal string: at least two places ("0.10", "0.125")."""
    if ratio is None:
        return None
    value = Decimal(ratio).normalize()
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return f"{value:f}"


def year_fraction_elapsed(year, now=None):
    """(elapsed, total) microseconds of the CST year at `now` (elapsed clamped to [0, total])."""
    start, end = year_bounds_utc(year)
    now = now or utcnow()
    total = (end - start) // timedelta(microseconds=1)
    elapsed = (min(max(now, start), end) - start) // timedelta(microseconds=1)
    return elapsed, total


def quota_status(canteen_status, reserved, completed, year, now=None):
    """The status of a row (reserved/completed in fen; reserved None when not filed)."""
    if canteen_status in EXEMPT_STATUSES:
        return "exempt"
    if canteen_status is None or reserved is None:
        return "not_filed"
    if completed >= reserved:
        return "met"
    elapsed, total = year_fraction_elapsed(year, now)
    if elapsed >= total:
        return "not_met"
    # completed ≥ reserved × elapsed / total, in exact integers.
    return "on_track" if completed * total >= reserved * elapsed else "behind"


def completion_rate(reserved, completed):
    """completed / reserved, half-up to four places; None when nothing is reserved."""
    if not reserved:
        return None
    return (Decimal(completed) / Decimal(reserved)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _counted_expr():
    """SQL: the counted value of an accepted line, floored at zero."""
    accepted = sa.func.coalesce(OrderLine.accepted_quantity, OrderLine.quantity)
    value = accepted * OrderLine.unit_price_fen - OrderLine.refunded_fen
    return sa.case((value > 0, value), else_=sa.literal(0, sa.BigInteger))


def completed_filter(year):
    """SQL condition (over OrderLine joined to Order): the candidate lines of `completed` for
    `year` — accepted in that CST year, order neither cancelled nor rejected, bound to a budget
    unit, purpose canteen or union welfare, origin aided. The governing policy (union purchases,
    eligible origin prefixes) is applied afterwards with `line_counts`.
    """
    start, end = year_bounds_utc(year)
    return sa.and_(Order.accepted_at.isnot(None), Order.accepted_at >= start,
                   Order.accepted_at < end, Order.status.notin_(NEVER_COUNTED),
                   Order.budget_unit_id.isnot(None),
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


@dataclass
class UnitQuota:
    """One unit's figures for a year (fen), with what they come from."""

    unit_id: int
    unit_name: str
    region_code: str
    tree_path: str
    parent_id: int
    policy: Policy
    filing: Filing = None
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
        return Decimal(self.filing.ratio) if self.filing and self.filing.ratio is not None else None

    def row(self):
        """The row in the API's fields (money as Decimal yuan, ratio and rate as Decimal)."""
        return {"unit_id": self.unit_id, "unit_name": self.unit_name,
                "region_code": self.region_code, "canteen_status": self.canteen_status,
                "food_budget": fen_to_yuan(self.food_budget), "ratio": self.ratio,
                "reserved": fen_to_yuan(self.reserved), "completed": fen_to_yuan(self.completed),
                "in_progress": fen_to_yuan(self.in_progress),
                "completion_rate": completion_rate(self.reserved, self.completed),
                "status": self.status}


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
        ident = valid_id(parent_id)
        parent = db.session.get(Organization, ident) if ident else None
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
    _check_year(year)
    units = _units_query(units_query, region, parent_id).with_entities(
        Organization.id, Organization.name, Organization.region_code, Organization.tree_path,
        Organization.parent_id).order_by(Organization.id).all()
    policies = policies_of_year(year)
    filings = {f.budget_unit_id: f for f in Filing.query.filter_by(year=year, is_current=True)}
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
        return db.session.execute(
            sa.select(*keys, sa.func.sum(inner.c.amount)).group_by(*keys)).all()

    for entry in grouped(_counted_expr(), completed_filter(year), months):
        unit_id, purpose, origin, amount = entry[0], entry[1], entry[2], int(entry[-1] or 0)
        target = result.get(credit.get(unit_id, unit_id))
        if target is None or not line_counts(target.policy, purpose, origin, True):
            continue
        target.completed += amount
        if months:
            target.months[entry[3] - 1] += amount
    progress_value = OrderLine.quantity * OrderLine.unit_price_fen
    for entry in grouped(progress_value, in_progress_filter(year)):
        unit_id, purpose, origin, amount = entry[0], entry[1], entry[2], int(entry[-1] or 0)
        target = result.get(credit.get(unit_id, unit_id))
        if target is None or not line_counts(target.policy, purpose, origin, True):
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


def line_counts(policy, purpose, origin_code, aided):
    """Whether a line of an order of `purpose` from `origin_code` counts under `policy`."""
    return policy.purpose_counts(purpose) and policy.origin_eligible(origin_code, aided)


def quota_rows(year, units_query=None, *, region=None, parent_id=None, status=None, now=None):
    """The API rows (fields ROW_FIELDS; money Decimal yuan, ratio/rate Decimal or None) of
    every matched budget unit for `year`.

    :param units_query: an Organization query restricting the units (e.g. the user's
        `visible_units_query`); None: every budget unit.
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


def _money(value):
    return None if value is None else f"{Decimal(value).quantize(Decimal('0.01')):.2f}"


def serialize_row(row):
    """A quota row with the API's strings ("1234.50", "0.10", "0.4567")."""
    return {"unit_id": row["unit_id"], "unit_name": row["unit_name"],
            "region_code": row["region_code"], "canteen_status": row["canteen_status"],
            "food_budget": _money(row["food_budget"]), "ratio": ratio_str(row["ratio"]),
            "reserved": _money(row["reserved"]), "completed": _money(row["completed"]),
            "in_progress": _money(row["in_progress"]),
            "completion_rate": None if row["completion_rate"] is None
            else f"{row['completion_rate']:.4f}",
            "status": row["status"]}


def serialize_totals(totals):
    return {key: _money(value) for key, value in totals.items()}


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


# --------------------------------------------------------------------------- the lines

LINE_COLUMNS = (OrderLine.id.label("line_id"), OrderLine.order_id, Order.number.label("order_number"),
                Order.budget_unit_id, Order.buyer_organization_id, Order.purpose,
                OrderLine.product_id, OrderLine.product_name, OrderLine.unit,
                OrderLine.origin_region_code, OrderLine.origin_aided, OrderLine.quantity,
                OrderLine.accepted_quantity, OrderLine.unit_price_fen, OrderLine.refunded_fen,
                Order.accepted_at)


def _line_query(year, bound_ids=None):
    """Plain columns (no ORM objects), so streaming a whole year's lines stays cheap."""
    query = sa.select(*LINE_COLUMNS, _counted_expr().label("counted")).select_from(OrderLine) \
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
    `unit_ids` (None: every unit), as dicts (see `serialize_line`), in acceptance order.

    Meant for large exports: rows are streamed from the database in batches.
    """
    _check_year(year)
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
    if subtree:
        ids = [i for (i,) in db.session.query(Organization.id).filter(
            Organization.kind == "budget_unit", Organization.tree_path.like(f"{unit.tree_path}%"))]
    else:
        ids = [unit.id]
    return list(iter_quota_lines(year, ids))


def serialize_line(line):
    """A quota line in the API's form."""
    return {"line_id": line["line_id"], "order_id": line["order_id"],
            "order_number": line["order_number"], "budget_unit_id": line["budget_unit_id"],
            "credited_unit_id": line["credited_unit_id"], "purpose": line["purpose"],
            "product_id": line["product_id"], "product_name": line["product_name"],
            "origin_region_code": line["origin_region_code"], "quantity": line["quantity"],
            "accepted_quantity": line["accepted_quantity"],
            "unit_price": _money(line["unit_price"]), "refunded": _money(line["refunded"]),
            "counted": _money(line["counted"]),
            "accepted_at": to_cst(line["accepted_at"]).isoformat() if line["accepted_at"] else None}


# --------------------------------------------------------------------------- cart and pace

def credited_unit_of(org, year):
    """The budget unit an organisation's purchases count for (a shared member's representative)."""
    from marketplace.accounts.auth import buyer_unit_of

    unit = buyer_unit_of(org) if org is not None else None
    if unit is None:
        return None
    filing = current_filing(unit, year)
    if filing is not None and filing.canteen_status == "shared_member" and filing.representative_unit:
        return filing.representative_unit
    return unit


def eligible_amount_fen(org, lines, purpose="canteen", year=None):
    """How much of [(product, quantity)] would count for the organisation's unit (fen)."""
    from marketplace.regions.models import Region

    year = year or to_cst(utcnow()).year
    unit = credited_unit_of(org, year)
    if unit is None:
        return 0
    policy = governing_policy(unit.region_code, year)
    total = 0
    aided = {}
    for product, quantity in lines:
        code = product.origin_region_code
        if code not in aided:
            region = db.session.get(Region, code)
            aided[code] = bool(region and region.aided)
        if line_counts(policy, purpose, code, aided[code]):
            total += product.price_fen * int(quantity)
    return total


def cart_progress(user, cart_total_eligible_fen, now=None):
    """How far an order of `cart_total_eligible_fen` takes the user's unit this year.

    :returns: None when the user's organisation has no budget unit; otherwise a dict of fen
        figures: unit, year, status, reserved (None when not filed), completed, in_progress,
        cart, after (completed + in_progress + cart), rate_now / rate_after (Decimal or None),
        remaining_after (what is still missing after the order, ≥ 0), percent_now /
        percent_after (0..100 ints, for a bar).
    """
    now = now or utcnow()
    year = to_cst(now).year
    unit = credited_unit_of(user.organization, year) if user is not None else None
    if unit is None:
        return None
    quota = unit_quota(year, unit, now=now, months=False)
    cart = max(int(cart_total_eligible_fen or 0), 0)
    done = quota.completed + quota.in_progress
    after = done + cart
    reserved = quota.reserved

    def percent(amount):
        if not reserved:
            return 100 if reserved == 0 else 0
        return min(100, int(amount * 100 // reserved))

    return {"unit": unit, "year": year, "status": quota.status, "reserved": reserved,
            "completed": quota.completed, "in_progress": quota.in_progress, "cart": cart,
            "after": after, "rate_now": completion_rate(reserved, done),
            "rate_after": completion_rate(reserved, after),
            "remaining_after": max((reserved or 0) - after, 0) if reserved is not None else None,
            "percent_now": percent(done), "percent_after": percent(after)}


def pace(quota, year, now=None):
    """Pace figures for a dashboard (fen): remaining, months_left, needed_per_month,
    projected (completed extrapolated linearly to the year end), expected_now."""
    now = now or utcnow()
    elapsed, total = year_fraction_elapsed(year, now)
    reserved = quota["reserved"] if isinstance(quota, dict) else quota.reserved
    completed = quota["completed"] if isinstance(quota, dict) else quota.completed
    remaining = max((reserved or 0) - completed, 0)
    start, end = year_bounds_utc(year)
    clamped = min(max(now, start), end)
    days_left = max((end - clamped).days, 0)
    months_left = Decimal(days_left) / Decimal("30.4375")
    needed = None
    if reserved is not None and remaining and months_left > 0:
        needed = int((Decimal(remaining) / max(months_left, Decimal(1)))
                     .quantize(Decimal(1), rounding=ROUND_HALF_UP))
    projected = completed if elapsed in (0, total) else int(
        (Decimal(completed) * total / elapsed).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    expected_now = None if reserved is None else int(
        (Decimal(reserved) * elapsed / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return {"remaining": remaining if reserved is not None else None, "days_left": days_left,
            "months_left": months_left.quantize(Decimal("0.1")), "needed_per_month": needed,
            "projected": projected, "expected_now": expected_now,
            "fraction": Decimal(elapsed) / Decimal(total)}


def parse_budget_input(value):
    """Public wrapper for forms: a budget string in yuan → fen. :raises ValidationError:"""
    return _parse_budget(value)


__all__ = ["governing_policy", "national_default", "set_policy", "delete_policy",
           "set_filing_window", "delete_filing_window", "window_state", "file_quota",
           "current_filing", "filing_history", "can_file_for", "reserved_fen", "compute",
           "quota_rows", "quota_totals", "serialize_row", "serialize_totals", "rollup",
           "unit_quota", "quota_lines", "iter_quota_lines", "serialize_line", "cart_progress",
           "eligible_amount_fen", "credited_unit_of", "pace", "quota_status", "completion_rate",
           "ratio_str", "line_counts", "valid_id", "check_year", "serialize_filing",
           "serialize_policy", "year_fraction_elapsed"]
