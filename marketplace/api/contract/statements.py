"""Settlement statements (statements.py, 结算单): a supplier groups a buyer's completed orders of
a period and settles them with the invoice number."""
from marketplace.api.contract.shapes import (ID, MONEY_OUT, PAGE_PARAMS, TIME, enum, obj,
                                             operation, page_of, path_param, ref)
from marketplace.payments.models import STATEMENT_STATUSES

DAY = {"type": "string", "format": "date"}
READERS = ("supplier_staff", "purchaser", "unit_manager", "admin")

SCHEMAS = {
    "StatementInput": obj({
        "buyer_organization_id": ID, "period_start": {**DAY, "example": "2026-03-01"},
        "period_end": {**DAY, "example": "2026-03-31"}},
        ("buyer_organization_id", "period_start", "period_end"),
        example={"buyer_organization_id": 2, "period_start": "2026-03-01",
                 "period_end": "2026-03-31"}),
    "SettleInput": obj({"invoice_number": {"type": "string", "minLength": 1, "maxLength": 40}},
                       ("invoice_number",), example={"invoice_number": "25542000000012345678"}),
    "Statement": obj({
        "id": ID, "number": {"type": "string"}, "supplier_id": ID, "buyer_organization_id": ID,
        "period_start": DAY, "period_end": DAY, "total": MONEY_OUT,
        "status": enum(STATEMENT_STATUSES),
        "invoice_number": {"type": ["string", "null"]}, "created_at": TIME, "settled_at": TIME,
        "orders": {"type": "array", "items": obj({"order_id": ID, "number": {"type": "string"},
                                                  "amount": MONEY_OUT})}},
        ("id", "number", "supplier_id", "buyer_organization_id", "total", "status")),
    "StatementPage": page_of(ref("Statement")),
}

STATEMENT = [path_param("statement_id")]

OPERATIONS = [
    ("/settlement-statements", "get", operation(
        "statements", "Settlement statements (结算单)", module="statements", roles=READERS,
        params=PAGE_PARAMS, answer=ref("StatementPage"),
        description="A supplier's own, a buyer organisation's own, or all for an admin; "
                    "newest first.")),
    ("/settlement-statements", "post", operation(
        "statements", "Make a settlement statement", module="statements",
        roles=("supplier_staff",), body=ref("StatementInput"), ok=201, answer=ref("Statement"),
        errors=(409,),
        description="The supplier groups one buyer's completed orders of a period (China "
                    "Standard Time dates) not yet on a statement; none left to settle → 409 "
                    "`nothing_to_settle`.")),
    ("/settlement-statements/{statement_id}", "get", operation(
        "statement", "Read a settlement statement", module="statements", roles=READERS,
        params=STATEMENT, answer=ref("Statement"),
        description="Its supplier, its buyer organisation, admins.")),
    ("/settlement-statements/{statement_id}/settle", "post", operation(
        "statement_settle", "Settle a statement with its invoice number", module="statements",
        roles=("supplier_staff",), params=STATEMENT, body=ref("SettleInput"),
        answer=ref("Statement"), errors=(409,),
        description="Its supplier records the invoice number (发票号); already settled → 409.")),
]
