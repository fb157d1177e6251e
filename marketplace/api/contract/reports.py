"""The quota report and ledger as files (reports.py)."""
from marketplace.api.contract.shapes import YEAR, files, operation, path_param, query_param
from marketplace.reports.services import LEDGER_ROLES, QUOTA_ROLES

SCHEMAS = {}

YEAR_PARAM = path_param("year", YEAR)
PARENT = query_param("parent_id", {"type": "integer", "minimum": 1})

OPERATIONS = [
    *((f"/quota/{{year}}/report.{fmt}", "get", operation(
        f"quota_report_{fmt}", f"The quota report as {fmt.upper()}", module="reports",
        roles=QUOTA_ROLES,
        params=[YEAR_PARAM, query_param("region"), PARENT, query_param("status")],
        media=files(fmt), description="The same rows and column names as /quota/{year}/units."))
      for fmt in ("csv", "xlsx", "pdf")),
    *((f"/quota/{{year}}/ledger.{fmt}", "get", operation(
        f"quota_ledger_{fmt}", f"The quota ledger as {fmt.upper()}", module="reports",
        roles=LEDGER_ROLES, params=[YEAR_PARAM, query_param("region"), PARENT],
        media=files(fmt),
        description="Every counted and in-progress order line in your scope."))
      for fmt in ("csv", "xlsx")),
]
