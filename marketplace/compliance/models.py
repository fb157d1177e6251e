"""Compliance: quota policies, filing windows and reserved-share filings (every version kept)."""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow

CANTEEN_STATUSES = ("own", "outsourced", "shared_representative", "shared_member", "none")
EXCEPTION_STATUSES = ("pending", "approved", "rejected")


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
    # A ratio under the policy minimum is an exception: `pending` (and counted at the minimum)
    # until the admin or an auditor in scope approves it (the filed ratio counts) or rejects
    # it (the minimum stays). Each version carries its own decision.
    exception_status = db.Column(db.String(20))
    minimum_ratio = db.Column(db.Numeric(6, 4))         # the policy's minimum when filed
    exception_document = db.Column(db.String(80))       # stored name of the approving document
    exception_document_name = db.Column(db.String(200))
    exception_note = db.Column(db.String(500))          # the decider's note (a rejection's why)
    exception_decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    exception_decided_at = db.Column(UTCDateTime)
    representative_unit_id = db.Column(db.Integer, db.ForeignKey("organizations.id"))
    late = db.Column(db.Boolean, nullable=False, default=False)
    filed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    filed_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    budget_unit = db.relationship("Organization", foreign_keys=[budget_unit_id])
    representative_unit = db.relationship("Organization", foreign_keys=[representative_unit_id])
    filed_by = db.relationship("User", foreign_keys=[filed_by_id])
    exception_decided_by = db.relationship("User", foreign_keys=[exception_decided_by_id])

    @property
    def counted_ratio(self):
        """The ratio that counts: the filed one, or the minimum while an exception is pending
        or after it was rejected."""
        if self.exception_status in ("pending", "rejected") and self.minimum_ratio is not None:
            return self.minimum_ratio
        return self.ratio

    __table_args__ = (
        db.UniqueConstraint("budget_unit_id", "year", "version", name="uq_filings_unit_year_version"),
        db.Index("ix_filings_current", "year", "is_current", "budget_unit_id"),
        db.CheckConstraint("exception_status IS NULL OR exception_status IN "
                           "('pending','approved','rejected')", name="exception_status_known"),
    )
