"""In-app notifications (e-mail goes through marketplace.mail)."""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow


class Notification(db.Model):
    """A message for one user, shown in the in-app list until read."""

    __tablename__ = "notifications"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    kind = db.Column(db.String(40), nullable=False)
    message = db.Column(db.String(500), nullable=False)
    link = db.Column(db.String(300))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    read_at = db.Column(UTCDateTime)
