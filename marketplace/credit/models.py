"""Suppliers' credit (积分): the ledger of events that move a supplier's points."""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow

# Why points moved. Every reason but `correction` follows from a marketplace record (an order,
# a review, a take-down) and can be derived from it again; a correction is the admin's.
REASONS = ("accepted_in_full", "accepted_with_refusal", "cancelled_by_supplier", "shipped_late",
           "good_review", "poor_review", "taken_down", "correction")


class CreditEvent(db.Model):
    """One move of a supplier's points: why, by how much, when, and what it comes from.

    Rows are never typed in: the credit listeners write them when the marketplace event
    happens, and `source` names that event ("order:12:acceptance", "review:5",
    "takedown:<audit entry id>") so it is counted once and can be derived again from the
    orders, reviews and take-downs. An admin's correction has no source; it carries the
    admin (`actor_id`) and the reason (`note`).
    """

    __tablename__ = "credit_events"

    id = db.Column(db.Integer, primary_key=True)
    supplier_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False)
    reason = db.Column(db.String(30), nullable=False)
    points = db.Column(db.Integer, nullable=False)
    at = db.Column(UTCDateTime, nullable=False)  # when the marketplace event happened
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), index=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), index=True)
    review_id = db.Column(db.Integer, db.ForeignKey("reviews.id"))
    source = db.Column(db.String(60), unique=True)
    note = db.Column(db.String(500))  # a correction's reason, a take-down's reason
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    recorded_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    supplier = db.relationship("Organization")
    order = db.relationship("Order")
    product = db.relationship("Product")
    actor = db.relationship("User")

    __table_args__ = (
        db.CheckConstraint("points <> 0", name="points_not_zero"),
        db.CheckConstraint(
            "reason IN ('accepted_in_full','accepted_with_refusal','cancelled_by_supplier',"
            "'shipped_late','good_review','poor_review','taken_down','correction')",
            name="reason_known"),
        db.CheckConstraint("(reason = 'correction') = (source IS NULL)",
                           name="source_unless_correction"),
        db.Index("ix_credit_events_supplier_at", "supplier_id", "at"),
    )
