"""Verifying what the platform issued: an uploaded export (CSV, Excel, PDF) or a typed code.

The verify page is public: a bank officer checking a supplier's credit statement has no
account. Every check is written to the audit trail (by whom when someone is signed in).
"""
from dataclasses import dataclass

from marketplace.audit.services import record
from marketplace.pairings.labels import report_headers as pairing_headers
from marketplace.reports.exports import LEDGER_KINDS, quota_kinds
from marketplace.reports.integrity import (NotAnExport, file_sha256, is_pdf, normalise_code,
                                           parse_csv_export, parse_xlsx_export, pdf_export_token)
from marketplace.reports.models import ReportExport
from marketplace.reports.people import quota_headers
from marketplace.reports.services import LEDGER_COLUMNS, PAIRING_KINDS


@dataclass
class Verification:
    """The answer to an uploaded file or a typed code.

    `outcome`: unaltered, altered, unknown or not_ours for a file; found or unknown for a code.
    """

    outcome: str
    export: object = None
    row_count: int = 0
    sha256: str = None
    claimed_sha256: str = None
    method: str = "file"  # "file" or "code"
    file_sha256: str = None


def _layout(kind, info=None):
    """(columns, kinds) of a report: the header row its Excel file carries, whose language (or
    API keys) a pairing export names in its export_info."""
    if kind == "pairing":
        return pairing_headers((info or {}).get("header") or "zh_Hans_CN"), PAIRING_KINDS
    if kind == "quota":  # exports made before the quota report spoke to people carry keys
        header = (info or {}).get("header") or "keys"
        return quota_headers(header), quota_kinds(header)
    return {"ledger": (LEDGER_COLUMNS, LEDGER_KINDS)}.get(kind, (None, None))


def _acting(user):
    """The user to name in the audit trail (None for a visitor: the verify page is public)."""
    return user if getattr(user, "is_authenticated", False) else None


def _log_verification(result, user, **detail):
    record("report.verify", result.export, actor=_acting(user),
           object_type=None if result.export else "report_exports",
           object_id=None if result.export else "-",
           detail={"outcome": result.outcome, "method": result.method, **detail})
    return result


def verify_upload(data, user):
    """Tell whether an uploaded export (CSV, Excel workbook or PDF) is ours, unaltered, and
    which (see `verify_pdf` for PDFs).

    For CSV and Excel the digest of its rows is recomputed and compared with the log: a
    trailer (the Excel export_info sheet) naming an export whose digest matches → unaltered;
    naming one whose digest differs → altered; no trailer but a digest the log knows →
    unaltered (the trailer was cut off); otherwise not ours.
    """
    if is_pdf(data):
        return verify_pdf(data, user)
    try:
        if data[:2] == b"PK":
            parsed = parse_xlsx_export(data, _layout)
        else:
            parsed = parse_csv_export(data)
    except NotAnExport:
        return Verification("not_ours")
    found = None
    token = parsed.trailer.get("export_id")
    if token:
        found = ReportExport.query.filter_by(token=token).first()
    by_digest = ReportExport.query.filter(
        ReportExport.sha256 == parsed.sha256, ReportExport.kind.in_(("quota", "ledger"))) \
        .order_by(ReportExport.id).first() if parsed.sha256 else None
    result = Verification("not_ours", row_count=len(parsed.rows), sha256=parsed.sha256,
                          claimed_sha256=parsed.trailer.get("sha256"))
    if found is not None:
        result.export = found
        result.outcome = "unaltered" if found.sha256 == parsed.sha256 and \
            parsed.trailer.get("sha256") == found.sha256 else "altered"
    elif by_digest is not None:
        result.export, result.outcome = by_digest, "unaltered"
    elif parsed.has_trailer:
        result.outcome = "unknown"
    return _log_verification(result, user, sha256=parsed.sha256)


def verify_pdf(data, user):
    """Tell whether an uploaded PDF is one of ours, exactly as it was issued.

    A PDF is checked as a whole file: its SHA-256 among those the log kept → unaltered; a file
    that names an export of ours (its metadata) but whose bytes differ → altered (changed,
    or re-saved by another program); naming no export we know → unknown; naming none → not ours.
    """
    digest = file_sha256(data)
    result = Verification("not_ours", method="file", file_sha256=digest)
    exact = ReportExport.query.filter_by(file_sha256=digest).order_by(ReportExport.id).first()
    if exact is not None:
        result.export, result.outcome = exact, "unaltered"
    else:
        token = pdf_export_token(data)
        if token:
            result.export = ReportExport.query.filter_by(token=token).first()
            result.outcome = "altered" if result.export is not None else "unknown"
    return _log_verification(result, user, file_sha256=digest)


def verify_code(code, user):
    """Look up an export by the code printed on it (spaces, dashes and capitals ignored):
    `found` shows what the platform kept of it (a credit statement: everything it said), for
    comparing with a printed copy; `unknown` otherwise."""
    token = normalise_code(code)
    result = Verification("unknown", method="code")
    if len(token) == 32 and all(char in "0123456789abcdef" for char in token):
        export = ReportExport.query.filter_by(token=token).first()
        if export is not None and export.completed_at is not None:
            result.export, result.outcome = export, "found"
    return _log_verification(result, user, code=token[:64])
