"""A row's status for a year (met, on track, behind...), its completion rate, and the pace
figures of a dashboard; all in exact integers and Decimals (CST year)."""
from decimal import ROUND_HALF_UP, Decimal

from marketplace.money import rate_half_up
from marketplace.timeutil import utcnow, year_bounds_utc, year_fraction_elapsed  # noqa: F401

from .common import EXEMPT_STATUSES


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
    return rate_half_up(completed, reserved)


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
