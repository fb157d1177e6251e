"""Points follow the marketplace: the credit domain listens to the ordering and catalog signals.

Each signal gives at most one event, derived by the same rule the recompute uses, and an event
already in the ledger (the same source) is never counted twice.
"""
from marketplace.audit.models import AuditEntry
from marketplace.catalog.signals import product_taken_down, review_posted
from marketplace.credit.services import (acceptance_event, cancellation_event,
                                         late_shipment_event, record_derived, review_event,
                                         takedown_event)
from marketplace.ordering.signals import order_accepted, order_cancelled, order_shipped


@order_accepted.connect
def _points_for_acceptance(order, **_):
    record_derived(acceptance_event(order))


@order_shipped.connect
def _points_for_late_shipment(order, **_):
    record_derived(late_shipment_event(order))


@order_cancelled.connect
def _points_for_cancellation(order, actor=None, **_):
    record_derived(cancellation_event(order, actor))


@review_posted.connect
def _points_for_review(review, **_):
    record_derived(review_event(review))


@product_taken_down.connect
def _points_for_takedown(product, **_):
    # The take-down's audit entry is its record: one entry per take-down, with time and reason.
    entry = (AuditEntry.query.filter_by(action="product.take_down", object_type="products",
                                        object_id=str(product.id))
             .order_by(AuditEntry.id.desc()).first())
    if entry is not None:
        record_derived(takedown_event(product, entry))
