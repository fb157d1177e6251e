"""Settlement statements (statements.py, 结算单): a supplier groups a buyer's orders of a
period; paid ones are settled with the invoice number, goods-first ones confirmed by the buyer
and paid with one transfer."""
from marketplace.api.contract.shapes import (ID, MONEY_OUT, PAGE_PARAMS, TIME, enum, obj,
                                             operation, page_of, path_param, ref)
from marketplace.payments.models import INVOICE_STATUSES, STATEMENT_STATUSES

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
        "amount_due": {**MONEY_OUT, "description": "What its orders still owe."},
        "transfer_pending": {"type": "boolean",
                             "description": "A transfer for it waits for the supplier."},
        "invoice_status": enum(("none", *INVOICE_STATUSES)),
        "invoice_number": {"type": ["string", "null"]}, "created_at": TIME,
        "confirmed_at": TIME, "settled_at": TIME,
        "orders": {"type": "array", "items": obj({"order_id": ID, "number": {"type": "string"},
                                                  "amount": MONEY_OUT,
                                                  "amount_due": MONEY_OUT})}},
        ("id", "number", "supplier_id", "buyer_organization_id", "total", "status")),
    "StatementPage": page_of(ref("Statement")),
    "StatementTransferInput": obj({
        "transferred_at": {**DAY, "example": "2026-12-04"},
        "payer_account": {"type": "string", "minLength": 1, "maxLength": 60},
        "reference": {"type": "string", "maxLength": 60,
                      "description": "The transfer's note; the statement's number when empty."}},
        ("transferred_at", "payer_account"),
        example={"transferred_at": "2026-12-04", "payer_account": "6217 0000 1234"}),
    "StatementRejectInput": obj({"reason": {"type": "string", "minLength": 1,
                                            "maxLength": 500}}, ("reason",),
                                example={"reason": "未收到款项"}),
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
        description="The supplier groups one buyer's orders of a period (China Standard "
                    "Time dates) not yet on a statement: completed ones, and accepted "
                    "goods-first ones still owing with no transfer waiting; none → 409 "
                    "`nothing_to_settle`.")),
    ("/settlement-statements/{statement_id}", "get", operation(
        "statement", "Read a settlement statement", module="statements", roles=READERS,
        params=STATEMENT, answer=ref("Statement"),
        description="Its supplier, its buyer organisation, admins.")),
    ("/settlement-statements/{statement_id}/settle", "post", operation(
        "statement_settle", "Settle a statement with its invoice number", module="statements",
        roles=("supplier_staff",), params=STATEMENT, body=ref("SettleInput"),
        answer=ref("Statement"), errors=(409,),
        description="Its supplier records the invoice number (发票号) of a statement whose "
                    "orders are paid; already settled, or money still due → 409.")),
    ("/settlement-statements/{statement_id}/confirm", "post", operation(
        "statement_confirm", "Confirm a statement", module="statements",
        roles=("purchaser", "unit_manager"), params=STATEMENT, answer=ref("Statement"),
        errors=(409,),
        description="A buyer of its organisation agrees to its orders and amounts (open → "
                    "confirmed); it can then be invoiced and paid.")),
    ("/settlement-statements/{statement_id}/transfer", "post", operation(
        "statement_transfer", "Pay a statement with one bank transfer", module="statements",
        roles=("purchaser", "unit_manager"), params=STATEMENT,
        body=ref("StatementTransferInput"), ok=201, answer=ref("Statement"), errors=(409,),
        description="For what its orders still owe, once confirmed; each owing order gets a "
                    "pending payment of its own due. Not confirmed, nothing due or a "
                    "transfer already waiting → 409.")),
    ("/settlement-statements/{statement_id}/transfer/confirm", "post", operation(
        "statement_transfer_confirm", "Confirm a statement's transfer arrived",
        module="statements", roles=("supplier_staff",), params=STATEMENT,
        answer=ref("Statement"), errors=(409,),
        description="Every order on it is paid (accepted ones complete) and the statement "
                    "is settled.")),
    ("/settlement-statements/{statement_id}/transfer/reject", "post", operation(
        "statement_transfer_reject", "Report a statement's transfer did not arrive",
        module="statements", roles=("supplier_staff",), params=STATEMENT,
        body=ref("StatementRejectInput"), answer=ref("Statement"), errors=(409,),
        description="Its payments are rejected; the buyer may record the transfer again.")),
]
