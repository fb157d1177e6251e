"""Suppliers' credit as the JSON API shows it."""
from marketplace.credit.labels import reason_label
from marketplace.timeutil import iso


def event_json(event):
    """One ledger event: when, how many points, why, and the order or product it comes from."""
    return {
        "id": event.id,
        "at": iso(event.at),
        "points": event.points,
        "reason": event.reason,
        "description": str(reason_label(event.reason)),
        "note": event.note,
        "order_id": event.order_id,
        "order_number": event.order.number if event.order is not None else None,
        "product_id": event.product_id,
        "review_id": event.review_id,
    }


def supplier_credit_json(supplier, points, tier, next_tier, events):
    """A supplier's points, tier, the next tier and what it takes, and every event.

    :param next_tier: (the next tier or None, the points missing to reach it).
    """
    upper, missing = next_tier
    return {"supplier_id": supplier.id, "supplier_name": supplier.name, "points": points,
            "tier": tier, "next_tier": upper, "points_to_next_tier": missing,
            "events": [event_json(event) for event in events]}
