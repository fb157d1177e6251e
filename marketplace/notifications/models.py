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


class OutgoingMail(db.Model):
    """An e-mail waiting to leave, written in the same transaction as what caused it.

    It is sent only once that transaction has committed (`notifications.outbox`); a failed
    attempt leaves it here with its error, to be tried again, so no message is ever lost.
    """

    __tablename__ = "outgoing_mail"

    id = db.Column(db.Integer, primary_key=True)
    recipients = db.Column(db.JSON, nullable=False)     # a list of addresses
    subject = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    claimed_at = db.Column(UTCDateTime)                 # a sender is on it (since when)
    last_error = db.Column(db.String(500))
    sent_at = db.Column(UTCDateTime, index=True)
