"""A settlement statement's page: its orders and what they still owe; the buyer confirms it,
asks for its invoice and pays it with one transfer; the supplier issues the invoice, confirms
or rejects the transfer, or settles a statement of paid orders with the invoice number."""
from flask import render_template, url_for
from flask_login import current_user, login_required

from marketplace.accounts.auth import roles_required
from marketplace.forms import ActionForm
from marketplace.i18n import translate as _
from marketplace.payments import forms, services
from marketplace.payments.views import bp, send_invoice
from marketplace.web import run_button, run_on_page


def _page(statement, status=200, **given):
    """The statement's page with the forms its reader may use (`given`: a refused one)."""
    buyer = _is_buyer(statement)
    supplier = _is_supplier(statement)
    # Each order's figures once: the page's per-order dues and their sum come from them.
    figures = {item.order_id: services.figures(item.order) for item in statement.items}
    due = sum(numbers["due"] for numbers in figures.values())
    expected = services.statement_invoice_amount_fen(statement)
    pending = services.statement_transfers(statement, "pending")
    invoice = statement.invoice
    shown = {}
    if buyer and statement.status == "confirmed" and due and not pending:
        shown["transfer_form"] = forms.StatementTransferForm(prefix="pay")
        shown["transfer_form"].transferred_at.data = services.today_cst()
        shown["transfer_form"].reference.data = statement.number
    if buyer and statement.status != "open" and (invoice is None or invoice.status != "issued") \
            and not any(item.order.invoice for item in statement.items):
        shown["request_form"] = forms.InvoiceRequestForm(prefix="ask", obj=invoice)
        if invoice is None:
            shown["request_form"].title.data = statement.buyer_organization.name
            shown["request_form"].email.data = current_user.email
    if supplier and invoice is not None and invoice.status == "requested":
        shown["issue_form"] = forms.InvoiceIssueForm(prefix="issue")
        shown["issue_form"].issued_on.data = services.today_cst()
        shown["issue_form"].amount.data = \
            f"{expected / 100:.2f}"
    if supplier and statement.status != "settled" and not due:
        shown["settle_form"] = forms.SettleForm()
    shown.update(given)
    return render_template(
        "payments/statement.html", statement=statement, due=due, pending=pending,
        invoice=invoice, is_buyer=buyer, is_supplier=supplier,
        invoice_expected=expected, figures=figures,
        action_form=ActionForm(), reject_form=forms.RejectTransferForm(prefix="reject"), **shown), status


def _is_buyer(statement):
    return (current_user.role in services.BUYER_ROLES
            and current_user.organization_id == statement.buyer_organization_id)


def _is_supplier(statement):
    return (current_user.role == "supplier_staff"
            and current_user.organization_id == statement.supplier_id)


def _back(statement):
    return url_for("payments.statement", statement_id=statement.id)


@bp.get("/payments/statements/<int:statement_id>")
@login_required
def statement(statement_id):
    return _page(services.get_statement(statement_id, current_user))


def _run(statement_id, form, name, action, message):
    """Run one of the page's forms; refused, the page again with the form beside its fields."""
    item = services.get_statement(statement_id, current_user)
    return run_on_page(form, lambda: action(item),
                       lambda status: _page(item, status=status, **{name: form}), message,
                       _back(item))


def _button(statement_id, act, message, form=None):
    """A button of the page: `act(statement)`; then back to the page, with `message` or the
    refusal."""
    item = services.get_statement(statement_id, current_user)
    return run_button(form or ActionForm(), lambda: act(item), _back(item), message)


@bp.post("/payments/statements/<int:statement_id>/settle")
@roles_required("supplier_staff")
def settle(statement_id):
    form = forms.SettleForm()
    return _run(statement_id, form, "settle_form", lambda item: services.settle_statement(
        item, current_user, form.invoice_number.data), _("结算单已结清。"))


@bp.post("/payments/statements/<int:statement_id>/confirm")
@roles_required(*services.BUYER_ROLES)
def confirm_statement(statement_id):
    return _button(statement_id, lambda item: services.confirm_statement(item, current_user),
                   _("结算单已确认，可以申请发票并付款。"))


@bp.post("/payments/statements/<int:statement_id>/transfer")
@roles_required(*services.BUYER_ROLES)
def pay_statement(statement_id):
    form = forms.StatementTransferForm(prefix="pay")
    return _run(statement_id, form, "transfer_form", lambda item:
                services.pay_statement_by_transfer(
                    item, current_user, form.transferred_at.data, form.payer_account.data,
                    form.reference.data, voucher_path=services.save_voucher(form.voucher.data)),
                _("转账已登记，等待供应商确认到账。"))


@bp.post("/payments/statements/<int:statement_id>/transfer/confirm")
@roles_required("supplier_staff")
def confirm_statement_transfer(statement_id):
    return _button(statement_id, lambda item: services.confirm_statement_transfer(
        item, current_user), _("已确认到账，结算单上的订单已付清。"))


@bp.post("/payments/statements/<int:statement_id>/transfer/reject")
@roles_required("supplier_staff")
def reject_statement_transfer(statement_id):
    form = forms.RejectTransferForm(prefix="reject")
    return _button(statement_id, lambda item: services.reject_statement_transfer(
        item, current_user, form.reason.data), _("已标记为未到账。"), form)


@bp.post("/payments/statements/<int:statement_id>/invoice")
@roles_required(*services.BUYER_ROLES)
def request_statement_invoice(statement_id):
    form = forms.InvoiceRequestForm(prefix="ask")
    return _run(statement_id, form, "request_form", lambda item:
                services.request_statement_invoice(current_user, item, form.title.data,
                                                   form.tax_number.data, form.kind.data,
                                                   form.email.data),
                _("发票申请已提交。"))


@bp.post("/payments/statements/<int:statement_id>/invoice/issue")
@roles_required("supplier_staff")
def issue_statement_invoice(statement_id):
    form = forms.InvoiceIssueForm(prefix="issue")
    return _run(statement_id, form, "issue_form", lambda item:
                services.issue_statement_invoice(current_user, item, form.number.data,
                                                 form.code.data, form.issued_on.data,
                                                 form.amount.data, form.file.data),
                _("发票已开具，买方可以下载。"))


@bp.get("/payments/statements/<int:statement_id>/invoice/file")
@login_required
def statement_invoice_file(statement_id):
    return send_invoice(services.get_statement(statement_id, current_user).invoice)
