"""Settlement statements (结算单) over the JSON API: a supplier groups a buyer's orders of a
period into one statement; a statement of paid orders is settled with the invoice number, one
of goods-first orders is confirmed by the buyer and paid with one transfer that the supplier
confirms (or rejects). Both sides and the admin read them. The same services as the pages
(the statement's invoice: invoices.py)."""
from datetime import date

from flask import jsonify

from marketplace.api import bp
from marketplace.api.core import api_user, field, json_body, paginate, require_auth
from marketplace.errors import ValidationError
from marketplace.payments import services
from marketplace.payments.schemas import statement_json


def _date(data, name):
    value = field(data, name, "str")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"'{name}' must be a date (YYYY-MM-DD).",
                              fields={name: "date"}) from None


@bp.get("/settlement-statements")
@require_auth("supplier_staff", "purchaser", "unit_manager", "admin")
def list_statements_endpoint():
    """A supplier's statements, a buyer organisation's, or every one for the admin."""
    return jsonify(paginate(services.statements_for(api_user()), statement_json))


@bp.get("/settlement-statements/<int:statement_id>")
@require_auth("supplier_staff", "purchaser", "unit_manager", "admin")
def get_statement_endpoint(statement_id):
    return jsonify(statement_json(_statement(statement_id)[1]))


@bp.post("/settlement-statements")
@require_auth("supplier_staff")
def create_statement_endpoint():
    data = json_body()
    buyer_id = field(data, "buyer_organization_id", "int")
    start, end = _date(data, "period_start"), _date(data, "period_end")
    statement = services.create_statement(api_user(), buyer_id, start, end)
    return jsonify(statement_json(statement)), 201


@bp.post("/settlement-statements/<int:statement_id>/settle")
@require_auth("supplier_staff")
def settle_statement_endpoint(statement_id):
    user, statement = _statement(statement_id)
    data = json_body()
    invoice_number = field(data, "invoice_number", "str")
    return jsonify(statement_json(services.settle_statement(statement, user, invoice_number)))


@bp.post("/settlement-statements/<int:statement_id>/confirm")
@require_auth("purchaser", "unit_manager")
def confirm_statement_endpoint(statement_id):
    user, statement = _statement(statement_id)
    return jsonify(statement_json(services.confirm_statement(statement, user)))


@bp.post("/settlement-statements/<int:statement_id>/transfer")
@require_auth("purchaser", "unit_manager")
def pay_statement_endpoint(statement_id):
    user, statement = _statement(statement_id)
    data = json_body()
    services.pay_statement_by_transfer(statement, user, _date(data, "transferred_at"),
                                       field(data, "payer_account", "str"),
                                       field(data, "reference", "str", required=False))
    return jsonify(statement_json(statement)), 201


@bp.post("/settlement-statements/<int:statement_id>/transfer/confirm")
@require_auth("supplier_staff")
def confirm_statement_transfer_endpoint(statement_id):
    user, statement = _statement(statement_id)
    return jsonify(statement_json(services.confirm_statement_transfer(statement, user)))


@bp.post("/settlement-statements/<int:statement_id>/transfer/reject")
@require_auth("supplier_staff")
def reject_statement_transfer_endpoint(statement_id):
    user, statement = _statement(statement_id)
    reason = field(json_body(), "reason", "str")
    return jsonify(statement_json(services.reject_statement_transfer(statement, user, reason)))


def _statement(statement_id):
    """The signed-in user and the statement, if that user may see it (else 404/403)."""
    user = api_user()
    return user, services.get_statement(statement_id, user)
