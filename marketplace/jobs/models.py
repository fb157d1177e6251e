"""What the scheduler ran: one row per run of a periodic job."""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow


class JobRun(db.Model):
    """One run of a scheduled job: when, what, how many things it handled, and how it ended."""

    __tablename__ = "job_runs"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(60), nullable=False, index=True)
    started_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    finished_at = db.Column(UTCDateTime)
    count = db.Column(db.Integer)                 # reminders sent, files removed, ...
    error = db.Column(db.String(500))             # set when the run failed
