"""Compliance: quota policies, filing windows and reserved-share filings (every version kept)."""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow

CANTEEN_STATUSES = ("own", "outsourced", "shared_representative", "shared_member", "none")


class QuotaPolicy(db.Model):
    """The rule for units within a region prefix in one year (the longest prefix governs)."""

    __tablename__ = "quota_policies"

    id = db.Column(db.Integer, primary_key=True)
    region_prefix = db.Column(db.String(6), nullable=False)
    year = db.Column(db.Integer, nullable=False)
    min_ratio = db.Column(db.Numeric(6, 4), nullable=False)
    eligible_origin_prefixes = db.Column(db.JSON, nullable=False, default=list)
    count_union_purchases = db.Column(db.Boolean, nullable=False, default=True)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        db.UniqueConstraint("region_prefix", "year", name="uq_quota_policies_prefix_year"),
        db.CheckConstraint("min_ratio >= 0 AND min_ratio <= 1", name="min_ratio_range"),
    )


class FilingWindow(db.Model):
    """The dates between which a year's filings are on time (no window: open all year)."""

    __tablename__ = "filing_windows"

    year = db.Column(db.Integer, primary_key=True, autoincrement=False)
    opens_on = db.Column(db.Date, nullable=False)
    closes_on = db.Column(db.Date, nullable=False)


class Filing(db.Model):
    """One version of a budget unit's reserved-share filing (预留份额填报) for a year."""

    __tablename__ = "filings"

    id = db.Column(db.Integer, primary_key=True)
    budget_unit_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False)
    year = db.Column(db.Integer, nullable=False)
    version = db.Column(db.Integer, nullable=False, default=1)
    is_current = db.Column(db.Boolean, nullable=False, default=True)
    canteen_status = db.Column(db.String(30), nullable=False)
    food_budget_fen = db.Column(db.BigInteger)
    ratio = db.Column(db.Numeric(6, 4))
    reserved_fen = db.Column(db.BigInteger)
    exception_ref = db.Column(db.String(100))
    representative_unit_id = db.Column(db.Integer, db.ForeignKey("organizations.id"))
    late = db.Column(db.Boolean, nullable=False, default=False)
    filed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    filed_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    budget_unit = db.relationship("Organization", foreign_keys=[budget_unit_id])
    representative_unit = db.relationship("Organization", foreign_keys=[representative_unit_id])

    __table_args__ = (
        db.UniqueConstraint("budget_unit_id", "year", "version", name="uq_filings_unit_year_version"),
        db.Index("ix_filings_current", "year", "is_current", "budget_unit_id"),
    )
