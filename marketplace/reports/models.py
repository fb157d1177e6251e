"""Reports: the log of every export, so a file can later be proved unaltered and attributed."""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow

REPORT_KINDS = ("quota", "ledger", "credit", "pairing")
FORMATS = ("csv", "xlsx", "pdf")


class ReportExport(db.Model):
    """One export: who asked for which report, with which filters, and the SHA-256 of its rows.

    `sha256` and `row_count` are filled when the file has been written; for a streamed CSV that
    is at the end of the stream (`completed_at` stays empty when the download was interrupted).
    A PDF also keeps the SHA-256 of the whole file (`file_sha256`), so the very file can be
    checked; a credit statement keeps what it said (`content`), for whoever types its code.
    """

    __tablename__ = "report_exports"

    id = db.Column(db.Integer, primary_key=True)
    token = db.Column(db.String(32), nullable=False, unique=True)  # printed in the file
    kind = db.Column(db.String(20), nullable=False)
    format = db.Column(db.String(10), nullable=False)
    year = db.Column(db.Integer, nullable=False)
    filters = db.Column(db.JSON, nullable=False, default=dict)
    scope = db.Column(db.String(200), nullable=False)  # e.g. "jurisdiction 54", "subtree /1/5/"
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                                index=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    completed_at = db.Column(UTCDateTime)
    row_count = db.Column(db.Integer)
    sha256 = db.Column(db.String(64), index=True)
    file_sha256 = db.Column(db.String(64), index=True)
    content = db.Column(db.JSON)

    user = db.relationship("User")
    organization = db.relationship("Organization")

    __table_args__ = (
        db.CheckConstraint("kind IN ('quota','ledger','credit','pairing')", name="report_kind_known"),
        db.CheckConstraint("format IN ('csv','xlsx','pdf')", name="report_format_known"),
    )

    @property
    def filename(self):
        if self.kind == "credit":
            supplier = (self.filters or {}).get("supplier_id", "")
            return f"credit-statement-{supplier}-{self.token[:8]}.{self.format}"
        return f"{self.kind}-{self.year}-{self.token[:8]}.{self.format}"


EXPORT_FILE_STATES = ("queued", "running", "ready", "failed", "expired")


class ExportFile(db.Model):
    """An export written off the request (a job) and kept on disk for EXPORTS_KEEP_DAYS.

    The job writes under a temporary name and renames the file when it is complete, in the step
    that marks it `ready` (so a worker that dies mid-export never leaves a half file listed as
    ready; the retry starts again from the first row). `rows_written` of `rows_expected` is the
    progress the export page shows; `export` is the log row (digest, row count) of the attempt
    that finished.
    """

    __tablename__ = "export_files"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20), nullable=False)
    format = db.Column(db.String(10), nullable=False)
    year = db.Column(db.Integer, nullable=False)
    options = db.Column(db.JSON, nullable=False, default=dict)  # region, parent_id, status, header
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                                index=True)
    state = db.Column(db.String(10), nullable=False, default="queued", index=True)
    rows_written = db.Column(db.Integer, nullable=False, default=0)
    rows_expected = db.Column(db.Integer)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    path = db.Column(db.String(200))           # the finished file's name under EXPORTS_DIR
    size_bytes = db.Column(db.BigInteger)
    error = db.Column(db.String(500))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    started_at = db.Column(UTCDateTime)
    ready_at = db.Column(UTCDateTime)
    expires_at = db.Column(UTCDateTime, index=True)
    export_id = db.Column(db.Integer, db.ForeignKey("report_exports.id"))

    user = db.relationship("User")
    export = db.relationship("ReportExport")

    __table_args__ = (
        db.CheckConstraint("state IN ('queued','running','ready','failed','expired')",
                           name="export_file_state_known"),
    )

    @property
    def percent(self):
        """Progress in whole percent (0 while the expected count is unknown)."""
        if self.state == "ready":
            return 100
        if not self.rows_expected:
            return 0
        return min(99, self.rows_written * 100 // self.rows_expected)

    @property
    def filename(self):
        return self.export.filename if self.export else f"{self.kind}-{self.year}.{self.format}"
