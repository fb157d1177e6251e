"""Payments pages: pay an order (Stripe or bank transfer), confirm transfers, refunds, overdue
payments, settlement statements, and Stripe's webhook endpoint."""
import json

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template,
                   request, send_file, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.errors import NotFound, ValidationError
from marketplace.extensions import csrf, db
from marketplace.money import yuan_to_fen
from marketplace.payments import forms, services, stripe_client
from marketplace.payments.models import Payment

bp = Blueprint("payments", __name__)

nav.add("payments.accounts", _l("账款"), roles=("purchaser", "unit_manager", "supplier_staff",
                                                 "admin"), order=40)
nav.add("payments.overdue", _l("逾期账款"), roles=("supplier_staff", "admin"), order=41)


@bp.app_context_processor
def panel_helpers():
    """`payment_panel(order)` for templates that include payments/_order_panel.html."""
    return {"payment_panel": _panel}


def _panel(order):
    """Everything the order's payment panel shows, for the current user."""
    user = current_user
    services.ensure_terms(order)
    numbers = services.figures(order)
    is_buyer = services.is_buyer(user, order)
    is_supplier = services.is_supplier(user, order)
    payable = order.status in services.PAYABLE_STATUSES and numbers["due"] > 0
    refund_form = None
    if (is_supplier or user.role == "admin") and order.status in services.REFUNDABLE_STATUSES:
        refund_form = forms.RefundForm(prefix="refund")
        refund_form.line_id.choices = [
            (line.id, f"{line.product_name} ×{line.quantity}（{_('可退')} "
                      f"¥{services.refundable_fen(line) / 100:,.2f}）")
            for line in order.lines if services.refundable_fen(line) > 0]
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
        "can_transfer": is_buyer and payable and services.expected_transfer_fen(order) > 0,
        "can_extend": is_supplier and order.payment_terms == "pay_first" and not order.due_extended
        and payable,
        "refund_form": refund_form,
        "confirm_form": forms.ConfirmTransferForm(prefix="confirm"),
        "reject_form": forms.RejectTransferForm(prefix="reject"),
        "supplier": order.supplier,
    }


def _order(order_id):
    return services.get_order(order_id, current_user)


def _payment(payment_id):
    payment = db.session.get(Payment, payment_id)
    if payment is None or not services.can_view(current_user, payment.order):
        raise NotFound(_("付款记录不存在。"))
    return payment


# --------------------------------------------------------------------------- webhook

@bp.post("/webhooks/stripe")
@csrf.exempt
def stripe_webhook():
    """Stripe's events: verified, stored once, applied in order; unknown types acknowledged."""
    import stripe  # imported on first use (~32 MB), not with the app

    from marketplace.web import api_error

    payload = request.get_data()
    try:
        stripe_client.construct_event(payload, request.headers.get("Stripe-Signature", ""))
        event = json.loads(payload)
    except (ValueError, stripe.SignatureVerificationError):
        return api_error(400, "invalid_signature", "The signature is missing, forged or stale.")
    result = services.handle_event(event)
    return jsonify({"received": True, "result": result})


# --------------------------------------------------------------------------- an order's payments

@bp.get("/payments/orders/<int:order_id>")
@login_required
def order_payments(order_id):
    order = _order(order_id)
    return render_template("payments/order.html", order=order)


@bp.post("/payments/orders/<int:order_id>/stripe")
@login_required
def start_stripe(order_id):
    order = _order(order_id)
    payment = services.start_stripe_payment(order, current_user)
    return redirect(url_for("payments.pay", payment_id=payment.id))


@bp.get("/payments/<int:payment_id>/pay")
@login_required
def pay(payment_id):
    payment = _payment(payment_id)
    if not services.is_buyer(current_user, payment.order):
        abort(403)
    return render_template("payments/pay.html", payment=payment, order=payment.order,
                           test_mode=stripe_client.is_test_server(),
                           publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"])


@bp.post("/payments/<int:payment_id>/test-confirm")
@login_required
def test_confirm(payment_id):
    payment = _payment(payment_id)
    status = services.confirm_test_payment(payment, current_user)
    if status == "succeeded":
        flash(_("测试卡付款已提交，等待 Stripe 通知到账。"), "success")
    else:
        flash(_("测试卡付款未成功（%(status)s）。", status=status), "error")
    return redirect(url_for("payments.order_payments", order_id=payment.order_id))


@bp.post("/payments/<int:payment_id>/refresh")
@login_required
def refresh(payment_id):
    payment = _payment(payment_id)
    if services.refresh_payment(payment, current_user):
        flash(_("付款状态已更新。"), "success")
    else:
        flash(_("付款状态暂无变化。"), "info")
    return redirect(url_for("payments.order_payments", order_id=payment.order_id))


@bp.route("/payments/orders/<int:order_id>/transfer", methods=["GET", "POST"])
@login_required
def record_transfer(order_id):
    order = _order(order_id)
    services.require_buyer(current_user, order)
    services.ensure_terms(order)
    form = forms.TransferForm()
    due = services.expected_transfer_fen(order)
    if request.method == "GET":
        form.transferred_at.data = services.today_cst()
        form.amount.data = f"{due / 100:.2f}"
        form.reference.data = order.payment_reference
    if form.validate_on_submit():
        try:
            voucher = services.save_voucher(form.voucher.data)
            services.record_transfer(order, current_user, yuan_to_fen(form.amount.data),
                                     form.transferred_at.data, form.payer_account.data,
                                     form.reference.data, voucher_path=voucher)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
            for name, message in error.fields.items():
                if name in form:
                    form[name].errors = list(form[name].errors) + [error.message]
            return render_template("payments/transfer.html", form=form, order=order,
                                   due=due), 422
        flash(_("转账已登记，等待供应商确认到账。"), "success")
        return redirect(url_for("payments.order_payments", order_id=order.id))
    status = 422 if form.errors else 200
    return render_template("payments/transfer.html", form=form, order=order, due=due), status


@bp.post("/payments/<int:payment_id>/confirm")
@roles_required("supplier_staff")
def confirm_transfer(payment_id):
    payment = _payment(payment_id)
    form = forms.ConfirmTransferForm(prefix="confirm")
    if not form.validate_on_submit():
        abort(400)
    services.confirm_transfer(payment, current_user,
                              acknowledge_mismatch=bool(form.acknowledge_mismatch.data))
    flash(_("已确认到账。"), "success")
    return redirect(url_for("payments.order_payments", order_id=payment.order_id))


@bp.post("/payments/<int:payment_id>/reject")
@roles_required("supplier_staff")
def reject_transfer(payment_id):
    payment = _payment(payment_id)
    form = forms.RejectTransferForm(prefix="reject")
    if not form.validate_on_submit():
        flash(_("请说明原因。"), "error")
        return redirect(url_for("payments.order_payments", order_id=payment.order_id))
    services.reject_transfer(payment, current_user, form.reason.data)
    flash(_("已标记为未到账。"), "success")
    return redirect(url_for("payments.order_payments", order_id=payment.order_id))


@bp.get("/payments/<int:payment_id>/voucher")
@login_required
def voucher(payment_id):
    payment = _payment(payment_id)
    path = services.voucher_file(payment)
    if path is None:
        abort(404)
    return send_file(path, as_attachment=path.suffix == ".pdf",
                     download_name=f"voucher-{payment.id}{path.suffix}")


@bp.post("/payments/orders/<int:order_id>/refund")
@roles_required("supplier_staff", "admin")
def refund(order_id):
    order = _order(order_id)
    form = forms.RefundForm(prefix="refund")
    form.line_id.choices = [(line.id, line.product_name) for line in order.lines]
    if not form.validate_on_submit():
        messages = [message for errors in form.errors.values() for message in errors]
        flash("；".join(str(m) for m in messages) or _("请检查退款内容。"), "error")
        return redirect(url_for("payments.order_payments", order_id=order.id))
    services.create_refund(order, current_user, form.line_id.data,
                           yuan_to_fen(form.amount.data), form.reason.data,
                           form.transfer_reference.data)
    flash(_("退款已记录。"), "success")
    return redirect(url_for("payments.order_payments", order_id=order.id))


@bp.post("/payments/orders/<int:order_id>/extend")
@roles_required("supplier_staff")
def extend(order_id):
    order = _order(order_id)
    services.extend_due_date(order, current_user)
    flash(_("付款期限已延长 15 天。"), "success")
    return redirect(url_for("payments.order_payments", order_id=order.id))


# --------------------------------------------------------------------------- lists

@bp.get("/payments/overdue")
@roles_required("supplier_staff", "admin", "purchaser", "unit_manager")
def overdue():
    orders = services.overdue_orders(current_user)
    rows = [(order, services.amount_due_fen(order), services.effective_due_date(order))
            for order in orders]
    return render_template("payments/overdue.html", rows=rows,
                           total=sum(due for _, due, _ in rows))


@bp.get("/payments/")
@roles_required("supplier_staff", "admin", "purchaser", "unit_manager")
def accounts():
    summary = None
    if current_user.role != "admin":
        summary = services.account_summary(current_user.organization)
    statements = services.statements_for(current_user).limit(100).all()
    return render_template("payments/accounts.html", summary=summary, statements=statements)


@bp.route("/payments/statements/new", methods=["GET", "POST"])
@roles_required("supplier_staff")
def new_statement():
    form = forms.StatementForm()
    buyers = services.statement_buyers(current_user.organization_id)
    form.buyer_organization_id.choices = [(org.id, org.name) for org in buyers]
    if form.validate_on_submit():
        try:
            statement = services.create_statement(current_user, form.buyer_organization_id.data,
                                                  form.period_start.data, form.period_end.data)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
            return render_template("payments/statement_new.html", form=form), 422
        flash(_("结算单已生成。"), "success")
        return redirect(url_for("payments.statement", statement_id=statement.id))
    return render_template("payments/statement_new.html", form=form), 422 if form.errors else 200


@bp.get("/payments/statements/<int:statement_id>")
@login_required
def statement(statement_id):
    item = services.get_statement(statement_id, current_user)
    return render_template("payments/statement.html", statement=item,
                           form=forms.SettleForm())


@bp.post("/payments/statements/<int:statement_id>/settle")
@roles_required("supplier_staff")
def settle(statement_id):
    item = services.get_statement(statement_id, current_user)
    form = forms.SettleForm()
    if not form.validate_on_submit():
        flash(_("请填写发票号。"), "error")
        return render_template("payments/statement.html", statement=item, form=form), 422
    services.settle_statement(item, current_user, form.invoice_number.data)
    flash(_("结算单已结清。"), "success")
    return redirect(url_for("payments.statement", statement_id=item.id))
