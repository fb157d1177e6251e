"""Credit rules: the points each marketplace event gives, the ledger, the standing kept for the
catalog, the recompute, the sales by month, the advice and the statement's facts.

Plain functions that flush and never commit. Callers write `from marketplace.credit import
services` and `services.correct(...)`; the submodules group the rules:

- `rules`: points per event, tiers, and the events an order, a review or a take-down gives;
- `ledger`: writing events once, corrections, the standing, reading a supplier's ledger;
- `recompute`: deriving the ledger again from the records and repairing differences;
- `sales`, `advice`, `overview`, `statement`: what the credit page, the API and the
  statement show.
"""
from marketplace.credit.services.advice import Advice, advice_for
from marketplace.credit.services.ledger import (can_read, correct, events_of, get_supplier,
                                                ledger_points, move_standing, readable_supplier,
                                                record_derived, set_standing, summary_of)
from marketplace.credit.services.overview import (EVENTS_PER_PAGE, Overview, ledger, overview,
                                                  standings)
from marketplace.credit.services.recompute import (Recomputed, derive_events, recompute,
                                                   recompute_supplier)
from marketplace.credit.services.rules import (CORRECTION_LIMIT, LATE_AFTER, POINTS, TIER_FLOORS,
                                               Derived, acceptance_event, cancellation_event,
                                               late_shipment_event, next_tier, review_event,
                                               takedown_event, tier_for)
from marketplace.credit.services.sales import MonthSales, monthly_sales, twelve_months
from marketplace.credit.services.statement import statement_facts

__all__ = [
    "EVENTS_PER_PAGE", "Overview", "ledger", "overview", "standings",
    "Advice", "CORRECTION_LIMIT", "Derived", "LATE_AFTER", "MonthSales", "POINTS", "Recomputed",
    "TIER_FLOORS", "acceptance_event", "advice_for", "can_read", "cancellation_event", "correct",
    "derive_events", "events_of", "get_supplier", "late_shipment_event", "ledger_points",
    "monthly_sales", "move_standing", "next_tier", "readable_supplier", "recompute",
    "recompute_supplier", "record_derived", "review_event", "set_standing", "statement_facts",
    "summary_of", "takedown_event", "tier_for", "twelve_months",
]
