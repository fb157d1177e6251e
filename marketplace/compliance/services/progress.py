"""Cart progress: how much of a cart would count for the buyer's unit (a shared member's
representative) and how far the order would take the unit's quota this year."""
from marketplace.accounts.scopes import buyer_unit_of
from marketplace.extensions import db
from marketplace.money import rate_half_up
from marketplace.regions.models import Region
from marketplace.timeutil import to_cst, utcnow

from .computation import unit_quota
from .filings import current_filing
from .policies import governing_policy, line_counts
from .status import completion_rate


def credited_unit_of(org, year):
    """The budget unit an organisation's purchases count for (a shared member's representative)."""
    unit = buyer_unit_of(org) if org is not None else None
    if unit is None:
        return None
    filing = current_filing(unit, year)
    if filing is not None and filing.canteen_status == "shared_member" and filing.representative_unit:
        return filing.representative_unit
    return unit


def eligible_amount_fen(org, lines, purpose="canteen", year=None):
    """How much of [(product, quantity)] would count for the organisation's unit (fen)."""
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


def order_effect(orders, now=None):
    """What approving `orders` (one checkout waiting for approval) would do to the buyer's unit
    this year, for the unit manager who decides.

    The orders are not counted anywhere yet (a waiting order is neither completed nor in
    progress), so the "after" figures add what they would count once accepted.

    :returns: None when the orders are bound to no budget unit; otherwise a dict: unit, year,
        status (the unit's quota status), counted (fen of the orders' lines that count under the unit's policy), reserved,
        food_budget (fen, None when not filed or exempt), ratio (the share that counts,
        Decimal or None), share_before / share_after ((completed + in progress [+ counted]) /
        food budget, Decimal, None without a budget), rate_before / rate_after (against the
        reserved amount).
    """
    orders = [order for order in orders if order.budget_unit is not None]
    if not orders:
        return None
    now = now or utcnow()
    year = to_cst(now).year
    unit = credited_unit_of(orders[0].budget_unit, year)
    if unit is None:
        return None
    policy = governing_policy(unit.region_code, year)
    counted = sum(line.unit_price_fen * line.quantity
                  for order in orders for line in order.lines
                  if line_counts(policy, order.purpose, line.origin_region_code,
                                 line.origin_aided))
    quota = unit_quota(year, unit, now=now, months=False)
    done = quota.completed + quota.in_progress
    budget = quota.food_budget or None
    return {"unit": unit, "year": year, "status": quota.status, "counted": counted,
            "reserved": quota.reserved,
            "food_budget": budget, "ratio": quota.ratio,
            "share_before": rate_half_up(done, budget) if budget else None,
            "share_after": rate_half_up(done + counted, budget) if budget else None,
            "rate_before": completion_rate(quota.reserved, done),
            "rate_after": completion_rate(quota.reserved, done + counted)}
