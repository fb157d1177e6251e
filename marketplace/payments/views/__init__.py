"""Payments pages: pay an order (Stripe or bank transfer), confirm transfers, refunds, overdue
payments, settlement statements, and Stripe's webhook endpoint.

This package holds the blueprint, the navigation entries and the order payment panel; the
routes are in `orders` (Stripe's webhook and an order's payments), `accounts` (overdue
payments, account summaries, making statements), `statements` (a statement's page: confirm,
invoice, pay), `invoices` (an order's invoice), `aftersales` (returns and complaints) and
`workbench`."""
from flask import Blueprint, abort, current_app, send_file
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import nav
from marketplace.config import stripe_enabled
from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.ordering.services import can_view, get_order
from marketplace.payments import forms, services
from marketplace.payments.models import Payment

bp = Blueprint("payments", __name__)

nav.add("payments.accounts", _l("账款"), roles=("purchaser", "unit_manager", "supplier_staff",
                                                 "admin"), order=40)
nav.add("payments.overdue", _l("逾期账款"), roles=("supplier_staff", "admin"), order=41)


@bp.app_context_processor
def panel_helpers():
    """`payment_panel(order)` for templates that include payments/_order_panel.html, and a
    statement's status in words."""
    return {"payment_panel": _panel, "statement_status": _statement_status}


def _statement_status(statement):
    return {"open": _("待采购单位确认"), "confirmed": _("已确认"),
            "settled": _("已结清")}.get(statement.status, statement.status)


def _panel(order):
    """Everything the order's payment panel shows, for the current user."""
    user = current_user
    numbers = services.figures(order)
    is_buyer = services.is_buyer(user, order)
    is_supplier = services.is_supplier(user, order)
    waiting = services.waiting_payment(order)
    # No second payment while one waits (a transfer to confirm, a card payment under way).
    payable = order.status in services.PAYABLE_STATUSES and numbers["due"] > 0 and not waiting
    online = is_buyer and payable and stripe_enabled(current_app.config)
    transfer = is_buyer and payable and services.expected_transfer_fen(order) > 0
    turn = services.money_turn(order, numbers)
    refund_form = None
    if (is_supplier or user.role == "admin") and order.status in services.REFUNDABLE_STATUSES:
        refund_form = refund_form_for(order, numbers)
        if not refund_form.line_id.choices:
            refund_form = None
    return {
        "figures": numbers,
        "due_date": services.effective_due_date(order),
        "overdue": services.is_overdue(order),
        "payments": sorted(order.payments, key=lambda p: p.id),
        "refunds": sorted((r for line in order.lines for r in line.refunds), key=lambda r: r.id),
        "refund_kind": services.refund_kind,
        "is_buyer": is_buyer,
        "is_supplier": is_supplier,
        "can_pay": is_buyer and payable,
        "can_pay_online": online,
        "can_transfer": transfer,
        # The method chosen at checkout is the primary action; the other one is offered
        # quietly, and only when the chosen one is not available.
        "primary": "stripe" if order.payment_method == "stripe" and online else
                   "bank_transfer" if transfer else "stripe" if online else None,
        "waiting": waiting,
        "turn_party": turn[0],
        "turn": turn[1],
        "can_extend": is_supplier and order.payment_terms == "pay_first" and not order.due_extended
        and payable,
        "refund_form": refund_form,
        "confirm_form": forms.ConfirmTransferForm(prefix="confirm"),
        "reject_form": forms.RejectTransferForm(prefix="reject"),
        "supplier": order.supplier,
    }


def refund_form_for(order, numbers, form=None):
    """The refund form (`form`: the one posted) with a choice for each line still refundable,
    saying how much may go back."""
    form = form or forms.RefundForm(prefix="refund")
    refundable = {line_id: line["refundable"] for line_id, line in numbers["lines"].items()}
    form.line_id.choices = [
        (line.id, _("%(name)s ×%(quantity)s（可退 %(amount)s）", name=line.product_name,
                    quantity=line.quantity, amount=format_yuan(refundable[line.id])))
        for line in order.lines if refundable.get(line.id, 0) > 0]
    return form


def order_for_user(order_id):
    return get_order(order_id, current_user)


def send_invoice(invoice):
    """The issued invoice's file as a download (404 while there is none)."""
    path = services.invoice_file(invoice)
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=invoice.file_name or path.name,
                     mimetype="application/pdf" if path.suffix == ".pdf" else "application/ofd")


def payment_for_user(payment_id):
    payment = db.session.get(Payment, payment_id)
    if payment is None or not can_view(payment.order, current_user):
        raise NotFound(_("付款记录不存在。"))
    return payment


from marketplace.payments.views import (accounts, aftersales, invoices, orders,  # noqa: E402,F401,E501 (routes)
                                        statements, workbench)
