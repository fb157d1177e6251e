"""The audit trail: an append-only record of who did what to which object, and when."""
from sqlalchemy import event

from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One action. Rows are only ever inserted (updates and deletes raise)."""

    __tablename__ = "audit_entries"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), index=True)
    actor_organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"))
    action = db.Column(db.String(60), nullable=False, index=True)
    object_type = db.Column(db.String(40), nullable=False)
    object_id = db.Column(db.String(40), nullable=False)
    detail = db.Column(db.JSON)
    ip = db.Column(db.String(45))

    actor = db.relationship("User")

    __table_args__ = (db.Index("ix_audit_object", "object_type", "object_id"),)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    raise RuntimeError("the audit trail is append-only")
