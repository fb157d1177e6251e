"""Tables of the API itself: the stored answers behind Idempotency-Key."""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow


class IdempotencyKey(db.Model):
    """One client's `Idempotency-Key` and the successful answer it got.

    The row is inserted (and flushed) before the work of the request, in the same transaction,
    so a concurrent duplicate stops on the unique (user_id, key) index; it is committed only
    together with a 2xx answer, whose status and body it stores for replays.
    """

    __tablename__ = "api_idempotency_keys"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    key = db.Column(db.String(255), nullable=False)
    method = db.Column(db.String(10), nullable=False)
    path = db.Column(db.String(500), nullable=False)
    request_hash = db.Column(db.String(64), nullable=False)
    status_code = db.Column(db.Integer)
    response_body = db.Column(db.Text)
    content_type = db.Column(db.String(100))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)

    __table_args__ = (
        db.UniqueConstraint("user_id", "key", name="uq_api_idempotency_keys_user_key"),
    )
