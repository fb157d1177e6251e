"""Settlement statements (结算单) over the JSON API: a supplier groups a buyer's orders of a
period into one statement; a statement of paid orders is settled with the invoice number, one
of goods-first orders is confirmed by the buyer and paid with one transfer that the supplier
confirms (or rejects). Both sides and the admin read them. The same services as the pages
(the statement's invoice: invoices.py)."""
from flask import jsonify

from marketplace.api import bp
from marketplace.api.bodies import calendar_day, read_body
from marketplace.api.core import api_user, paginate, require_auth
from marketplace.api.steps import steps_of
from marketplace.payments import services
from marketplace.payments.schemas import statement_json


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
    body = read_body()
    statement = services.create_statement(
        api_user(), body["buyer_organization_id"],
        calendar_day(body["period_start"], "period_start"),
        calendar_day(body["period_end"], "period_end"))
    return jsonify(statement_json(statement)), 201


# POST /settlement-statements/<id>/<step>: done to a statement the user may see, answered with
# the statement.
statement_step = steps_of(__name__, "/settlement-statements/<int:statement_id>",
                          services.get_statement, statement_json)


@statement_step("settle", "supplier_staff")
def settle_statement_endpoint(statement, user):
    services.settle_statement(statement, user, read_body()["invoice_number"])


statement_step("confirm", "purchaser", "unit_manager")(services.confirm_statement)


@statement_step("transfer", "purchaser", "unit_manager", status=201)
def pay_statement_endpoint(statement, user):
    body = read_body()
    services.pay_statement_by_transfer(statement, user,
                                       calendar_day(body["transferred_at"], "transferred_at"),
                                       body["payer_account"], body.get("reference"))


statement_step("transfer/confirm", "supplier_staff")(services.confirm_statement_transfer)


@statement_step("transfer/reject", "supplier_staff")
def reject_statement_transfer_endpoint(statement, user):
    services.reject_statement_transfer(statement, user, read_body()["reason"])
