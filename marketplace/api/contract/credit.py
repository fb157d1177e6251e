"""Suppliers' credit (credit.py): points, tier and the events behind them."""
from marketplace.accounts.models import CREDIT_TIERS
from marketplace.api.contract.shapes import (ID, NULLABLE_ID, TIME, enum, nullable_enum, obj,
                                             operation, path_param, ref)
from marketplace.credit.models import REASONS

SCHEMAS = {
    "CreditEvent": obj({
        "id": ID, "at": TIME,
        "points": {"type": "integer", "description": "Signed: +2 accepted in full, -3 accepted "
                                                     "with a quantity refused, -1 cancelled by "
                                                     "the supplier, -1 shipped over 72 h after "
                                                     "confirming, +1 a 4-5 star review, -2 a "
                                                     "1-2 star review, -5 a take-down; a "
                                                     "correction by an admin."},
        "reason": enum(REASONS),
        "description": {"type": "string", "description": "The reason for people, in the "
                                                         "reader's language."},
        "note": {"type": ["string", "null"],
                 "description": "A correction's reason, a take-down's or cancellation's "
                                "reason."},
        "order_id": NULLABLE_ID, "order_number": {"type": ["string", "null"]},
        "product_id": NULLABLE_ID, "review_id": NULLABLE_ID},
        ("at", "points", "reason", "order_id")),
    "SupplierCredit": obj({
        "supplier_id": ID, "supplier_name": {"type": "string"},
        "points": {"type": "integer", "description": "The sum of the events' points."},
        "tier": enum(CREDIT_TIERS, description="standard below 20 points, silver from 20, "
                                               "gold from 50, diamond from 100."),
        "next_tier": nullable_enum(CREDIT_TIERS[1:]),
        "points_to_next_tier": {"type": "integer", "minimum": 0},
        "events": {"type": "array", "items": ref("CreditEvent"),
                   "description": "Every event, oldest first; they sum to `points`."}},
        ("points", "tier", "events")),
}

OPERATIONS = [
    ("/suppliers/{organization_id}/credit", "get", operation(
        "supplier_credit", "A supplier's credit points, tier and events", module="credit",
        roles=("supplier_staff", "admin", "auditor"), params=[path_param("organization_id")],
        answer=ref("SupplierCredit"),
        description="That supplier's staff, admins and auditors. Every point comes from a "
                    "marketplace event, kept with its reason, order or product and time; "
                    "the events sum to `points`.")),
]
