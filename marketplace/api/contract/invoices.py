"""Invoices (invoices.py, 发票): the buyer asks for an order's or a settlement statement's
invoice, its supplier issues it with the file, the auditor lists accepted orders without one."""
from marketplace.api.contract.shapes import (MONEY, MONEY_OUT, TIME, enum, files, obj,
                                             operation, path_param, ref)
from marketplace.ordering.models import INVOICE_KINDS
from marketplace.payments.models import INVOICE_STATUSES

NULLABLE = {"type": ["string", "null"]}

# What an invoice says, asked and issued: the same on an order's and a statement's.
INVOICE_FIELDS = {
    "status": enum(("none", *INVOICE_STATUSES)),
    "title": {"type": "string"}, "tax_number": NULLABLE, "kind": enum(INVOICE_KINDS),
    "email": {"type": "string"}, "requested_at": TIME, "number": NULLABLE,
    "code": NULLABLE, "issued_on": NULLABLE, "amount": NULLABLE, "file_name": NULLABLE,
    "issued_at": {"type": ["string", "null"]}}

SCHEMAS = {
    "Invoice": obj({
        "order_id": {"type": "integer"}, "order_number": {"type": "string"},
        "expected_amount": {**MONEY_OUT, "description": "Accepted value less refunds: what "
                                                        "the invoice must amount to."},
        **INVOICE_FIELDS}, ("order_id", "order_number", "expected_amount", "status")),
    "StatementInvoice": obj({
        "statement_id": {"type": "integer"}, "statement_number": {"type": "string"},
        "expected_amount": {**MONEY_OUT, "description": "The statement's orders' accepted "
                                                        "values less refunds."},
        **INVOICE_FIELDS}, ("statement_id", "statement_number", "expected_amount", "status")),
    "InvoiceRequest": obj({
        "title": {"type": "string", "minLength": 1, "maxLength": 100},
        "tax_number": {"type": "string", "maxLength": 20,
                       "description": "15-20 digits or capitals; required for a special one."},
        "kind": enum(INVOICE_KINDS, default="normal"),
        "email": {"type": "string", "format": "email"}}, ("title", "email"), extra=False,
        example={"title": "拉萨市第一中学", "tax_number": "12540100MB0000000X",
                 "kind": "special", "email": "caiwu@example.cn"}),
    "InvoiceIssue": obj({
        "number": {"type": "string", "pattern": r"^(\d{8}|\d{20})$"},
        "code": {"type": "string", "pattern": r"^(\d{10}|\d{12})$",
                 "description": "Required with an 8-digit number; none on a 数电票."},
        "issued_on": {"type": "string", "format": "date"},
        "amount": {**MONEY, "description": "Must equal expected_amount."},
        "filename": {"type": "string", "description": "Ends in .pdf or .ofd."},
        "content": {"type": "string", "contentEncoding": "base64",
                    "description": "The whole PDF or OFD file."}},
        ("number", "issued_on", "amount", "filename", "content"), extra=False,
        example={"number": "12345678", "code": "1234567890", "issued_on": "2026-12-04",
                 "amount": "256.00", "filename": "发票.pdf", "content": "JVBERi0xLjQK"}),
    "InvoiceList": obj({"items": {"type": "array", "items": ref("Invoice")}}, ("items",)),
}

ORDER = [path_param("order_id")]
STATEMENT = [path_param("statement_id")]
READERS = ("supplier_staff", "purchaser", "unit_manager", "admin")

OPERATIONS = [
    ("/orders/{order_id}/invoice", "get", operation(
        "order_invoice", "An order's invoice (发票)", module="invoices", params=ORDER,
        answer=ref("Invoice"), description="Whoever may read the order.")),
    ("/orders/{order_id}/invoice", "post", operation(
        "order_invoice", "Ask for (or change) an order's invoice", module="invoices",
        roles=("purchaser", "unit_manager"), params=ORDER, body=ref("InvoiceRequest"),
        ok=201, answer=ref("Invoice"), errors=(409,),
        description="A buyer of the order, until it is issued (then 409).")),
    ("/orders/{order_id}/invoice/issue", "post", operation(
        "order_invoice_issue", "Issue an order's invoice with its file", module="invoices",
        roles=("supplier_staff",), params=ORDER, body=ref("InvoiceIssue"), ok=201,
        answer=ref("Invoice"), errors=(409,),
        description="The order's supplier, once the goods are accepted; the amount must be "
                    "the accepted value less refunds; the file a whole PDF or OFD.")),
    ("/orders/{order_id}/invoice/file", "get", operation(
        "order_invoice_file", "Download an issued invoice", module="invoices", params=ORDER,
        media=files("pdf", "application/ofd"))),
    ("/settlement-statements/{statement_id}/invoice", "get", operation(
        "statement_invoice", "A settlement statement's invoice", module="invoices",
        roles=READERS, params=STATEMENT, answer=ref("StatementInvoice"),
        description="Its supplier, its buyer organisation, admins.")),
    ("/settlement-statements/{statement_id}/invoice", "post", operation(
        "statement_invoice", "Ask for (or change) a statement's invoice", module="invoices",
        roles=("purchaser", "unit_manager"), params=STATEMENT, body=ref("InvoiceRequest"),
        ok=201, answer=ref("StatementInvoice"), errors=(409,),
        description="A buyer of the statement's organisation once it confirmed the "
                    "statement, until the invoice is issued; an order on it with an invoice "
                    "of its own → 409 `invoiced_alone`.")),
    ("/settlement-statements/{statement_id}/invoice/issue", "post", operation(
        "statement_invoice_issue", "Issue a statement's invoice with its file",
        module="invoices", roles=("supplier_staff",), params=STATEMENT,
        body=ref("InvoiceIssue"), ok=201, answer=ref("StatementInvoice"), errors=(409,),
        description="The statement's supplier; the amount must be expected_amount.")),
    ("/settlement-statements/{statement_id}/invoice/file", "get", operation(
        "statement_invoice_file", "Download a statement's issued invoice", module="invoices",
        roles=READERS, params=STATEMENT, media=files("pdf", "application/ofd"))),
    ("/invoices/missing", "get", operation(
        "invoices_missing", "Accepted orders without an invoice", module="invoices",
        roles=("auditor", "admin"), answer=ref("InvoiceList"),
        description="Orders the caller may read, accepted or completed, with no issued "
                    "invoice, oldest first.")),
]
