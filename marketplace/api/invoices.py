"""Invoices (发票) over the JSON API: the buyer asks for an order's invoice, its supplier
issues it with the file (base64 in JSON), both download it; the auditor's list of accepted
orders without one. The same services as the invoice pages."""
import base64
import binascii
import io

from flask import jsonify, send_file
from werkzeug.datastructures import FileStorage

from marketplace.api import bp
from marketplace.api.core import api_user, field, json_body, require_auth
from marketplace.errors import NotFound, ValidationError
from marketplace.ordering.services import get_order
from marketplace.payments import services
from marketplace.payments.schemas import invoice_json


@bp.get("/orders/<int:order_id>/invoice")
@require_auth()
def get_invoice_endpoint(order_id):
    return jsonify(invoice_json(get_order(order_id, api_user())))


@bp.post("/orders/<int:order_id>/invoice")
@require_auth("purchaser", "unit_manager")
def request_invoice_endpoint(order_id):
    order = get_order(order_id, api_user())
    data = json_body()
    services.request_invoice(api_user(), order, field(data, "title", "str"),
                             field(data, "tax_number", "str", required=False),
                             field(data, "kind", "str", required=False, default="normal"),
                             field(data, "email", "str"))
    return jsonify(invoice_json(order)), 201


@bp.post("/orders/<int:order_id>/invoice/issue")
@require_auth("supplier_staff")
def issue_invoice_endpoint(order_id):
    order = get_order(order_id, api_user())
    data = json_body()
    name = field(data, "filename", "str")
    try:
        content = base64.b64decode(field(data, "content", "str"), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("'content' must be base64.", fields={"content": "not_base64"}) \
            from None
    services.issue_invoice(api_user(), order, field(data, "number", "str"),
                           field(data, "code", "str", required=False),
                           field(data, "issued_on", "str"), field(data, "amount", "money"),
                           FileStorage(stream=io.BytesIO(content), filename=name[:200]))
    return jsonify(invoice_json(order)), 201


@bp.get("/orders/<int:order_id>/invoice/file")
@require_auth()
def invoice_file_endpoint(order_id):
    order = get_order(order_id, api_user())
    path = services.invoice_file(order.invoice)
    if path is None:
        raise NotFound("The invoice is not issued.")
    return send_file(path, as_attachment=True, download_name=order.invoice.file_name,
                     mimetype="application/pdf" if path.suffix == ".pdf" else "application/ofd")


@bp.get("/invoices/missing")
@require_auth("auditor", "admin")
def missing_invoices_endpoint():
    """Accepted orders without an issued invoice, oldest first."""
    return jsonify({"items": [invoice_json(order) for order in
                              services.orders_without_invoice(api_user())]})
