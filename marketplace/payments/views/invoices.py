"""An order's invoice (发票): the buyer asks for it, the supplier issues it with its file, the
buyer downloads it; the auditor's list of accepted orders without an invoice."""
from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.i18n import translate as _
from marketplace.payments import forms, services
from marketplace.payments.views import bp, order_for_user, send_invoice
from marketplace.web import run_form

nav.add("payments.missing_invoices", _l("未开发票"), roles=("auditor", "admin"), order=42)


def _page(order, request_form=None, issue_form=None, status=200):
    invoice = order.invoice
    statement = services.statement_invoicing(order)   # invoiced with its statement instead
    is_buyer = services.is_buyer(current_user, order)
    is_supplier = services.is_supplier(current_user, order)
    if request_form is None and is_buyer and statement is None \
            and (invoice is None or invoice.status == "requested"):
        request_form = forms.InvoiceRequestForm(prefix="ask", obj=invoice)
        if invoice is None:
            request_form.title.data = order.buyer_organization.name
            request_form.email.data = current_user.email
    if issue_form is None and is_supplier and invoice is not None \
            and invoice.status == "requested":
        issue_form = forms.InvoiceIssueForm(prefix="issue")
        issue_form.issued_on.data = services.today_cst()
        issue_form.amount.data = f"{services.invoice_amount_fen(order) / 100:.2f}"
    return render_template("payments/invoice.html", order=order, invoice=invoice,
                           statement=statement,
                           request_form=request_form, issue_form=issue_form,
                           expected=services.invoice_amount_fen(order),
                           invoiceable=order.status in services.INVOICEABLE_STATUSES), status


@bp.get("/payments/orders/<int:order_id>/invoice")
@login_required
def invoice(order_id):
    return _page(order_for_user(order_id))


@bp.post("/payments/orders/<int:order_id>/invoice")
@login_required
def request_invoice(order_id):
    form = forms.InvoiceRequestForm(prefix="ask")
    return _run(order_id, services.require_invoice_buyer, form, "request_form",
                lambda order: services.request_invoice(current_user, order, form.title.data,
                                                       form.tax_number.data, form.kind.data,
                                                       form.email.data),
                _("发票申请已提交，供应商验收后开具。"))


@bp.post("/payments/orders/<int:order_id>/invoice/issue")
@roles_required("supplier_staff")
def issue_invoice(order_id):
    form = forms.InvoiceIssueForm(prefix="issue")
    return _run(order_id, services.require_invoice_supplier, form, "issue_form", lambda order:
                services.issue_invoice(current_user, order, form.number.data, form.code.data,
                                       form.issued_on.data, form.amount.data, form.file.data),
                _("发票已开具，买方可以下载。"))


def _run(order_id, require, form, name, action, message):
    """Run one of the invoice page's forms: `require(user, order)` may refuse the user at once
    (an error page); then `action(order)`. Refused, the page again with the form as `name`."""
    order = order_for_user(order_id)
    require(current_user, order)
    done, _result = run_form(form, lambda: action(order))
    if not done:
        return _page(order, **{name: form}, status=422)
    flash(message, "success")
    return redirect(url_for("payments.invoice", order_id=order.id))


@bp.get("/payments/orders/<int:order_id>/invoice/file")
@login_required
def invoice_file(order_id):
    return send_invoice(order_for_user(order_id).invoice)


@bp.get("/invoices/missing")
@roles_required("auditor", "admin")
def missing_invoices():
    return render_template("payments/missing_invoices.html",
                           orders=services.orders_without_invoice(current_user),
                           invoice_amount=services.invoice_amount_fen)
