"""Exports written by a job (exports.py): ask for one, follow its progress, download it."""
from marketplace.api.contract.shapes import obj, operation, path_param, ref
from marketplace.reports.services import LEDGER_ROLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS = {
    "ExportRequest": obj({
        "kind": {"type": "string", "enum": ["quota", "ledger"]},
        "format": {"type": "string", "enum": ["csv", "xlsx"]},
        "year": {"type": "integer"},
        "region": {"type": "string", "description": "A region code or prefix in your scope."},
        "parent_id": {"type": "integer", "description": "A budget unit: its whole subtree."},
        "status": {"type": "string", "description": "Quota report only: one quota status."},
        "header": {"type": "string", "enum": ["keys"],
                   "description": "Quota report only: the API's field names and codes."}},
        ("kind", "format", "year")),
    "ExportFile": obj({
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["quota", "ledger"]},
        "format": {"type": "string", "enum": ["csv", "xlsx"]}, "year": {"type": "integer"},
        "state": {"type": "string",
                  "enum": ["queued", "running", "ready", "failed", "expired"]},
        "rows_written": {"type": "integer"}, "rows_expected": {"type": ["integer", "null"]},
        "percent": {"type": "integer", "minimum": 0, "maximum": 100},
        "attempts": {"type": "integer"}, "error": {"type": ["string", "null"]},
        "created_at": {"type": ["string", "null"]}, "ready_at": NULLABLE_TIME,
        "expires_at": NULLABLE_TIME,
        "sha256": {"type": ["string", "null"],
                   "description": "The digest of the rows, as in the file (when ready)."},
        "download_url": {"type": ["string", "null"]}},
        ("id", "kind", "format", "year", "state", "rows_written", "percent")),
    "ExportFileList": obj({"items": {"type": "array", "items": ref("ExportFile")}}, ("items",)),
}
SCHEMAS["ExportRequest"]["example"] = {"kind": "ledger", "format": "xlsx", "year": 2026,
                                       "region": "5401"}


OPERATIONS = [
    ("/reports/exports", "post", operation(
        "report_exports", "Ask for an export written in the background", module="exports",
        roles=LEDGER_ROLES, body=ref("ExportRequest"), ok=201, answer=ref("ExportFile"),
        errors=(403, 404),
        description="Created and queued whatever its size (Location: its status). "
                    "Poll the status until "
                    "`state` is `ready`, then download `download_url`. Kept EXPORTS_KEEP_DAYS "
                    "days; the digest is the one the direct download carries.")),
    ("/reports/exports", "get", operation(
        "report_exports", "Your export files", module="exports", roles=LEDGER_ROLES,
        answer=ref("ExportFileList"), description="Newest first (an admin: everyone's).")),
    ("/reports/exports/{file_id}", "get", operation(
        "report_export", "An export file's state and progress", module="exports",
        roles=LEDGER_ROLES, params=[path_param("file_id")], answer=ref("ExportFile"),
        description="Another user's file is 404.")),
    ("/reports/exports/{file_id}/file", "get", operation(
        "report_export_file", "Download a ready export file", module="exports",
        roles=LEDGER_ROLES, params=[path_param("file_id")],
        media={"text/csv": {"schema": {"type": "string", "format": "binary"}},
               XLSX: {"schema": {"type": "string", "format": "binary"}}},
        description="404 while it is not ready, once it has expired, or another user's.")),
]
