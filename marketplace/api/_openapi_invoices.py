"""The OpenAPI description of the invoice operations (invoices.py), added to the spec that
openapi.py serves."""
from marketplace.api.openapi import SCHEMAS, TIME, obj, operation, path_param, ref

MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$"}
NULLABLE = {"type": ["string", "null"]}

SCHEMAS.update({
    "Invoice": obj({
        "order_id": {"type": "integer"}, "order_number": {"type": "string"},
        "expected_amount": dict(MONEY, description="Accepted value less refunds: what the "
                                                   "invoice must amount to."),
        "status": {"type": "string", "enum": ["none", "requested", "issued"]},
        "title": {"type": "string"}, "tax_number": NULLABLE,
        "kind": {"type": "string", "enum": ["normal", "special"]},
        "email": {"type": "string"}, "requested_at": TIME, "number": NULLABLE,
        "code": NULLABLE, "issued_on": NULLABLE, "amount": NULLABLE, "file_name": NULLABLE,
        "issued_at": {"type": ["string", "null"]}},
        ("order_id", "order_number", "expected_amount", "status")),
    "InvoiceRequest": obj({
        "title": {"type": "string", "minLength": 1, "maxLength": 100},
        "tax_number": {"type": "string", "maxLength": 20,
                       "description": "15-20 digits or capitals; required for a special one."},
        "kind": {"type": "string", "enum": ["normal", "special"], "default": "normal"},
        "email": {"type": "string", "format": "email"}}, ("title", "email"), extra=False),
    "InvoiceIssue": obj({
        "number": {"type": "string", "pattern": r"^(\d{8}|\d{20})$"},
        "code": {"type": "string", "pattern": r"^(\d{10}|\d{12})$",
                 "description": "Required with an 8-digit number; none on a 数电票."},
        "issued_on": {"type": "string", "format": "date"},
        "amount": dict(MONEY, description="Must equal expected_amount."),
        "filename": {"type": "string", "description": "Ends in .pdf or .ofd."},
        "content": {"type": "string", "contentEncoding": "base64",
                    "description": "The whole PDF or OFD file."}},
        ("number", "issued_on", "amount", "filename", "content"), extra=False),
    "InvoiceList": obj({"items": {"type": "array", "items": ref("Invoice")}}, ("items",)),
})
SCHEMAS["InvoiceRequest"]["example"] = {"title": "拉萨市第一中学", "tax_number":
                                        "12540100MB0000000X", "kind": "special",
                                        "email": "caiwu@example.cn"}
SCHEMAS["InvoiceIssue"]["example"] = {"number": "12345678", "code": "1234567890",
                                      "issued_on": "2026-12-04", "amount": "256.00",
                                      "filename": "发票.pdf", "content": "JVBERi0xLjQK"}


def add_paths(add):
    """Add the invoice operations with openapi.build_paths's `add`."""
    order = path_param("order_id")
    add("/orders/{order_id}/invoice", "get", operation(
        "order_invoice", "An order's invoice (发票)", module="invoices", params=[order],
        answer=ref("Invoice"), description="Whoever may read the order."))
    add("/orders/{order_id}/invoice", "post", operation(
        "order_invoice", "Ask for (or change) an order's invoice", module="invoices",
        roles=("purchaser", "unit_manager"), params=[order], body=ref("InvoiceRequest"),
        ok=201, answer=ref("Invoice"), errors=(409,),
        description="A buyer of the order, until it is issued (then 409)."))
    add("/orders/{order_id}/invoice/issue", "post", operation(
        "order_invoice_issue", "Issue an order's invoice with its file", module="invoices",
        roles=("supplier_staff",), params=[order], body=ref("InvoiceIssue"), ok=201,
        answer=ref("Invoice"), errors=(409,),
        description="The order's supplier, once the goods are accepted; the amount must be "
                    "the accepted value less refunds; the file a whole PDF or OFD."))
    add("/orders/{order_id}/invoice/file", "get", operation(
        "order_invoice_file", "Download an issued invoice", module="invoices", params=[order],
        media={"application/pdf": {"schema": {"type": "string", "format": "binary"}},
               "application/ofd": {"schema": {"type": "string", "format": "binary"}}}))
    add("/invoices/missing", "get", operation(
        "invoices_missing", "Accepted orders without an invoice", module="invoices",
        roles=("auditor", "admin"), answer=ref("InvoiceList"),
        description="Orders the caller may read, accepted or completed, with no issued "
                    "invoice, oldest first."))
