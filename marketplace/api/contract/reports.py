"""The quota report and ledger as files, and sales statistics (reports.py)."""
from marketplace.accounts.models import BUYER_KINDS
from marketplace.api.contract.shapes import (ID, MONEY_OUT, REGION_CODE, YEAR, enum, files, obj,
                                             operation, path_param, query_param, ref)
from marketplace.reports.sales import BUYER_ROLES, SELLER_ROLES
from marketplace.reports.services import LEDGER_ROLES, QUOTA_ROLES

SHARE = {"type": "number", "minimum": 0, "maximum": 100,
         "description": "Percent of the year's total, one decimal."}
NAME = {"type": "string", "description": "In the reader's language."}


def _rows(properties, description):
    return {"type": "array", "description": description + " Largest amount first.",
            "items": obj({**properties, "amount": MONEY_OUT, "share": SHARE},
                         (*properties, "amount", "share"))}


STATISTICS = {
    "year": YEAR, "orders": {"type": "integer", "minimum": 0,
                             "description": "Accepted or completed orders counted."},
    "total": MONEY_OUT,
    "months": {"type": "array", "minItems": 12, "maxItems": 12,
               "description": "January first, by the Beijing month of acceptance.",
               "items": obj({"month": {"type": "integer", "minimum": 1, "maximum": 12},
                             "amount": MONEY_OUT}, ("month", "amount"))}}

SCHEMAS = {
    "SalesStatistics": obj({
        **STATISTICS,
        "products": _rows({"product_id": ID, "name": {"type": "string"},
                           "unit": {"type": "string"},
                           "quantity": {"type": "integer", "minimum": 0}}, "By product."),
        "buyer_kinds": _rows({"kind": enum(BUYER_KINDS), "name": NAME}, "By buyer kind.")},
        ("year", "total", "months", "products", "buyer_kinds"),
        description="Amounts: accepted value less refunds."),
    "SpendStatistics": obj({
        **STATISTICS,
        "suppliers": _rows({"supplier_id": ID, "name": {"type": "string"}}, "By supplier."),
        "origins": _rows({"region_code": REGION_CODE, "name": NAME}, "By product origin."),
        "units": _rows({"organization_id": ID, "name": {"type": "string"}},
                       "A unit manager's: by its unit and each unit below it.")},
        ("year", "total", "months", "suppliers", "origins"),
        description="Amounts: accepted value less refunds."),
}
YEAR_QUERY = query_param("year", YEAR, "The year (Beijing time); this year when left out.")

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
    ("/reports/sales", "get", operation(
        "sales_statistics", "Your supplier's accepted sales of a year", module="reports",
        roles=SELLER_ROLES, params=[YEAR_QUERY], answer=ref("SalesStatistics"), errors=(422,),
        description="By month, product and buyer kind; only your own organisation's orders.")),
    ("/reports/spend", "get", operation(
        "spend_statistics", "Your organisation's accepted purchases of a year",
        module="reports", roles=BUYER_ROLES, params=[YEAR_QUERY], answer=ref("SpendStatistics"),
        errors=(422,),
        description="By month, supplier and origin: a purchaser's own organisation's orders; "
                    "a unit manager's unit and every unit below it (then also by unit).")),
]
