"""Rebuilding the ledger from the records: orders, reviews and take-downs.

Every event but an admin's correction follows from a record, so the ledger can be derived
again and compared: what the listeners wrote and what the records give must be the same
events. A difference (a listener missed, a record changed by hand) is repaired and reported.
"""
from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organization, User
from marketplace.audit.models import AuditEntry
from marketplace.audit.services import record
from marketplace.catalog.models import Product, Review
from marketplace.credit.models import CreditEvent
from marketplace.credit.services import rules
from marketplace.credit.services.ledger import ledger_points, set_standing
from marketplace.extensions import db
from marketplace.ordering.models import Order, OrderEvent
from marketplace.timeutil import utcnow

FIELDS = ("supplier_id", "reason", "points", "at", "order_id", "product_id", "review_id", "note")


@dataclass
class Recomputed:
    """What a recompute found for one supplier."""

    supplier_id: int
    added: list = field(default_factory=list)     # sources derived but missing from the ledger
    removed: list = field(default_factory=list)   # sources in the ledger no record gives
    changed: list = field(default_factory=list)   # sources whose event differed
    unchanged: int = 0
    points: int = 0

    @property
    def differs(self):
        return bool(self.added or self.removed or self.changed)


def derive_events(supplier_id):
    """Every event the records give for one supplier (corrections excepted), by source."""
    derived = []
    orders = (Order.query.filter(Order.supplier_id == supplier_id, db.or_(
        Order.accepted_at.isnot(None), Order.shipped_at.isnot(None),
        Order.status == "cancelled")).options(selectinload(Order.lines)).all())
    cancellers = _cancellers([order.id for order in orders if order.status == "cancelled"])
    for order in orders:
        derived += [rules.acceptance_event(order), rules.late_shipment_event(order),
                    rules.cancellation_event(order, cancellers.get(order.id))]
    for review in Review.query.filter(Review.supplier_id == supplier_id, db.or_(
            Review.stars >= rules.GOOD_STARS, Review.stars <= rules.POOR_STARS)):
        derived.append(rules.review_event(review))
    products = {str(product.id): product for product in
                Product.query.filter_by(supplier_id=supplier_id)}
    if products:
        entries = AuditEntry.query.filter(AuditEntry.action == "product.take_down",
                                          AuditEntry.object_type == "products",
                                          AuditEntry.object_id.in_(list(products)))
        derived += [rules.takedown_event(products[entry.object_id], entry) for entry in entries]
    return {event.source: event for event in derived if event is not None}


def _cancellers(order_ids):
    """{order id: the user who cancelled it}, from the orders' timelines."""
    found = {}
    for start in range(0, len(order_ids), 500):
        rows = (db.session.query(OrderEvent.order_id, User)
                .join(User, User.id == OrderEvent.actor_id)
                .filter(OrderEvent.order_id.in_(order_ids[start:start + 500]),
                        OrderEvent.to_status == "cancelled"))
        found.update({order_id: user for order_id, user in rows})
    return found


def recompute_supplier(supplier_id, apply=True):
    """Compare the supplier's ledger with the events its records give; with `apply`, add what
    is missing, remove what no record gives, fix what differs, and set its standing to the
    ledger's sum. Corrections are kept as they are. Flushes only.

    :returns: a Recomputed.
    """
    expected = derive_events(supplier_id)
    corrections = db.session.execute(
        db.select(db.func.coalesce(db.func.sum(CreditEvent.points), 0))
        .where(CreditEvent.supplier_id == supplier_id, CreditEvent.source.is_(None))).scalar_one()
    result = Recomputed(supplier_id, points=int(corrections) +
                        sum(event.points for event in expected.values()))
    recorded = CreditEvent.query.filter(CreditEvent.supplier_id == supplier_id,
                                        CreditEvent.source.isnot(None)).all()
    for event in recorded:
        wanted = expected.pop(event.source, None)
        if wanted is None:
            result.removed.append(event.source)
            if apply:
                db.session.delete(event)
        elif any(getattr(event, name) != getattr(wanted, name) for name in FIELDS):
            result.changed.append(event.source)
            if apply:
                for name in FIELDS:
                    setattr(event, name, getattr(wanted, name))
        else:
            result.unchanged += 1
    for source, wanted in sorted(expected.items(), key=lambda item: (item[1].at, item[0])):
        result.added.append(source)
        if apply:
            db.session.add(CreditEvent(**{name: getattr(wanted, name) for name in FIELDS},
                                       source=source, recorded_at=utcnow()))
    if apply:
        db.session.flush()
        set_standing(supplier_id, ledger_points(supplier_id))
        if result.differs:
            record("credit.recompute", None, object_type="organizations", object_id=supplier_id,
                   detail={"added": result.added, "removed": result.removed,
                           "changed": result.changed, "points": result.points})
    return result


def recompute(supplier_ids=None, apply=True):
    """`recompute_supplier` for the given suppliers (every supplier when None)."""
    if supplier_ids is None:
        supplier_ids = [row[0] for row in db.session.query(Organization.id)
                        .filter(Organization.kind == "supplier").order_by(Organization.id)]
    return [recompute_supplier(supplier_id, apply) for supplier_id in supplier_ids]
