"""Settlement statements (结算单) over the JSON API: a supplier groups a buyer's completed
orders of a period into one statement and settles it with the invoice number; both sides and
the admin read them. The same services as the accounts pages."""
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
    return jsonify(statement_json(services.get_statement(statement_id, api_user())))


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
    user = api_user()
    statement = services.get_statement(statement_id, user)
    data = json_body()
    invoice_number = field(data, "invoice_number", "str")
    return jsonify(statement_json(services.settle_statement(statement, user, invoice_number)))
