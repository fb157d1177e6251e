"""Invoices (发票) over the JSON API: the buyer asks for an order's or a settlement statement's
invoice, its supplier issues it with the file (base64 in JSON), both download it; the auditor's list of accepted
orders without one. The same services as the invoice pages."""
from flask import jsonify, send_file

from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, require_auth, uploaded_file
from marketplace.errors import NotFound
from marketplace.ordering.services import get_order
from marketplace.payments import services
from marketplace.payments.schemas import invoice_json, statement_invoice_json


def _asked_invoice(body):
    """(title, tax_number, kind, email) of an asked invoice, as the services take them."""
    return body["title"], body.get("tax_number"), body.get("kind", "normal"), body["email"]


def _issued_invoice(body):
    """(number, code, issued_on, amount, file) of an issued invoice, as the services take
    them."""
    return (body["number"], body.get("code"), body["issued_on"], body["amount"],
            uploaded_file(body, "content", "invoice"))


@bp.get("/orders/<int:order_id>/invoice")
@require_auth()
def get_invoice_endpoint(order_id):
    return jsonify(invoice_json(get_order(order_id, api_user())))


@bp.post("/orders/<int:order_id>/invoice")
@require_auth("purchaser", "unit_manager")
def request_invoice_endpoint(order_id):
    order = get_order(order_id, api_user())
    services.request_invoice(api_user(), order, *_asked_invoice(read_body()))
    return jsonify(invoice_json(order)), 201


@bp.post("/orders/<int:order_id>/invoice/issue")
@require_auth("supplier_staff")
def issue_invoice_endpoint(order_id):
    order = get_order(order_id, api_user())
    services.issue_invoice(api_user(), order, *_issued_invoice(read_body()))
    return jsonify(invoice_json(order)), 201


@bp.get("/orders/<int:order_id>/invoice/file")
@require_auth()
def invoice_file_endpoint(order_id):
    return _send(get_order(order_id, api_user()).invoice)


def _send(invoice):
    path = services.invoice_file(invoice)
    if path is None:
        raise NotFound("The invoice is not issued.")
    return send_file(path, as_attachment=True, download_name=invoice.file_name,
                     mimetype="application/pdf" if path.suffix == ".pdf" else "application/ofd")


@bp.get("/settlement-statements/<int:statement_id>/invoice")
@require_auth("supplier_staff", "purchaser", "unit_manager", "admin")
def get_statement_invoice_endpoint(statement_id):
    return jsonify(statement_invoice_json(services.get_statement(statement_id, api_user())))


@bp.post("/settlement-statements/<int:statement_id>/invoice")
@require_auth("purchaser", "unit_manager")
def request_statement_invoice_endpoint(statement_id):
    statement = services.get_statement(statement_id, api_user())
    services.request_statement_invoice(api_user(), statement, *_asked_invoice(read_body()))
    return jsonify(statement_invoice_json(statement)), 201


@bp.post("/settlement-statements/<int:statement_id>/invoice/issue")
@require_auth("supplier_staff")
def issue_statement_invoice_endpoint(statement_id):
    statement = services.get_statement(statement_id, api_user())
    services.issue_statement_invoice(api_user(), statement, *_issued_invoice(read_body()))
    return jsonify(statement_invoice_json(statement)), 201


@bp.get("/settlement-statements/<int:statement_id>/invoice/file")
@require_auth("supplier_staff", "purchaser", "unit_manager", "admin")
def statement_invoice_file_endpoint(statement_id):
    return _send(services.get_statement(statement_id, api_user()).invoice)


@bp.get("/invoices/missing")
@require_auth("auditor", "admin")
def missing_invoices_endpoint():
    """Accepted orders without an issued invoice, oldest first."""
    return jsonify({"items": [invoice_json(order) for order in
                              services.orders_without_invoice(api_user())]})
