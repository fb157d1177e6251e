"""The points rule: what each marketplace event is worth, the tiers, and which events an order,
a review or a take-down gives.

The listeners (live) and the recompute (from the records) both derive events with these
functions, so the rule is written once.
"""
from dataclasses import dataclass
from datetime import timedelta

POINTS = {
    "accepted_in_full": 2,        # the buyer accepted every unit shipped
    "accepted_with_refusal": -3,  # the buyer refused some quantity at acceptance (验收)
    "cancelled_by_supplier": -1,  # the supplier cancelled the order
    "shipped_late": -1,           # shipped more than LATE_AFTER after confirming it
    "good_review": 1,             # a review of 4 or 5 stars
    "poor_review": -2,            # a review of 1 or 2 stars
    "taken_down": -5,             # a product taken down by the admin
}
LATE_AFTER = timedelta(hours=72)
GOOD_STARS, POOR_STARS = 4, 2
# (tier, lowest points), highest first; below every floor: standard.
TIER_FLOORS = (("diamond", 100), ("gold", 50), ("silver", 20))
STANDARD = "standard"
CORRECTION_LIMIT = 100  # the largest correction an admin may make at once, either way


@dataclass(frozen=True)
class Derived:
    """An event as the rule derives it from a marketplace record (not yet in the ledger)."""

    supplier_id: int
    reason: str
    points: int
    at: object
    source: str
    order_id: int = None
    product_id: int = None
    review_id: int = None
    note: str = None


def tier_for(points):
    """The tier a number of points gives."""
    for tier, floor in TIER_FLOORS:
        if points >= floor:
            return tier
    return STANDARD


def next_tier(points):
    """(the next tier up, the points still missing), or (None, 0) at the top."""
    for tier, floor in reversed(TIER_FLOORS):
        if points < floor:
            return tier, floor - points
    return None, 0


def _derived(supplier_id, reason, at, source, **links):
    return Derived(supplier_id, reason, POINTS[reason], at, source, **links)


def acceptance_event(order):
    """+2 accepted in full, −3 with any quantity refused; None before acceptance."""
    if order.accepted_at is None:
        return None
    refused = any(line.accepted_quantity is not None and line.accepted_quantity < line.quantity
                  for line in order.lines)
    reason = "accepted_with_refusal" if refused else "accepted_in_full"
    return _derived(order.supplier_id, reason, order.accepted_at, f"order:{order.id}:acceptance",
                    order_id=order.id)


def late_shipment_event(order):
    """−1 when the order shipped more than 72 hours after the supplier confirmed it."""
    if order.shipped_at is None or order.confirmed_at is None or \
            order.shipped_at - order.confirmed_at <= LATE_AFTER:
        return None
    return _derived(order.supplier_id, "shipped_late", order.shipped_at,
                    f"order:{order.id}:late_shipment", order_id=order.id)


def cancellation_event(order, cancelled_by):
    """−1 when the order's own supplier cancelled it (not the buyer, not an admin)."""
    if order.status != "cancelled" or order.cancelled_at is None or cancelled_by is None:
        return None
    if cancelled_by.role != "supplier_staff" or cancelled_by.organization_id != order.supplier_id:
        return None
    return _derived(order.supplier_id, "cancelled_by_supplier", order.cancelled_at,
                    f"order:{order.id}:cancellation", order_id=order.id,
                    note=order.cancel_reason)


def review_event(review):
    """+1 for 4–5 stars, −2 for 1–2 stars; 3 stars move nothing."""
    if review.stars >= GOOD_STARS:
        reason = "good_review"
    elif review.stars <= POOR_STARS:
        reason = "poor_review"
    else:
        return None
    return _derived(review.supplier_id, reason, review.created_at, f"review:{review.id}",
                    product_id=review.product_id, review_id=review.id)


def takedown_event(product, entry):
    """−5 for a take-down, from the audit entry that recorded it (one per take-down)."""
    detail = entry.detail or {}
    return _derived(product.supplier_id, "taken_down", entry.at, f"takedown:{entry.id}",
                    product_id=product.id, note=detail.get("reason"))
