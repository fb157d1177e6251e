"""An order's payments: Stripe's webhook, paying by Stripe or bank transfer, confirming or
rejecting transfers, vouchers, refunds and the due-date extension."""
import json

from flask import (abort, current_app, flash, jsonify, redirect, render_template, request,
                   send_file, url_for)
from flask_login import current_user, login_required

from marketplace.accounts.auth import roles_required
from marketplace.config import stripe_enabled
from marketplace.extensions import csrf
from marketplace.forms import ActionForm
from marketplace.i18n import translate as _
from marketplace.money import yuan_to_fen
from marketplace.payments import forms, services, stripe_client
from marketplace.payments.views import bp, order_for_user, payment_for_user, refund_form_for
from marketplace.web import api_error, run_button, run_on_page


# --------------------------------------------------------------------------- webhook

@bp.post("/webhooks/stripe")
@csrf.exempt
def stripe_webhook():
    """Stripe's events: verified, stored once, applied in order; unknown types acknowledged."""
    import stripe  # imported on first use (~32 MB), not with the app


    if not stripe_enabled(current_app.config):
        # A bank-transfer-only platform: no event can mean anything here.
        return api_error(404, "stripe_disabled", "Stripe payments are switched off.")
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
    order = order_for_user(order_id)
    return render_template("payments/order.html", order=order,
                           lines=services.figures(order)["lines"])


@bp.post("/payments/orders/<int:order_id>/stripe")
@login_required
def start_stripe(order_id):
    order = order_for_user(order_id)
    payment = services.start_stripe_payment(order, current_user)
    return redirect(url_for("payments.pay", payment_id=payment.id))


@bp.get("/payments/<int:payment_id>/pay")
@login_required
def pay(payment_id):
    payment = payment_for_user(payment_id)
    if not services.is_buyer(current_user, payment.order):
        abort(403)
    return render_template("payments/pay.html", payment=payment, order=payment.order,
                           test_mode=stripe_client.is_test_server(),
                           publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"])


@bp.post("/payments/<int:payment_id>/test-confirm")
@login_required
def test_confirm(payment_id):
    payment = payment_for_user(payment_id)
    status = services.confirm_test_payment(payment, current_user)
    if status == "succeeded":
        flash(_("测试卡付款已提交，等待 Stripe 通知到账。"), "success")
    else:
        flash(_("测试卡付款未成功（%(status)s）。", status=status), "error")
    return redirect(_payments_url(payment.order_id))


@bp.post("/payments/<int:payment_id>/refresh")
@login_required
def refresh(payment_id):
    payment = payment_for_user(payment_id)
    if services.refresh_payment(payment, current_user):
        flash(_("付款状态已更新。"), "success")
    else:
        flash(_("付款状态暂无变化。"), "info")
    return redirect(_payments_url(payment.order_id))


@bp.route("/payments/orders/<int:order_id>/transfer", methods=["GET", "POST"])
@login_required
def record_transfer(order_id):
    order = order_for_user(order_id)
    services.require_buyer(current_user, order)
    form = forms.TransferForm()
    due = services.expected_transfer_fen(order)
    if request.method == "GET":
        form.transferred_at.data = services.today_cst()
        form.amount.data = f"{due / 100:.2f}"
        form.reference.data = order.payment_reference
    return run_on_page(form, lambda: services.record_transfer(
        order, current_user, yuan_to_fen(form.amount.data), form.transferred_at.data,
        form.payer_account.data, form.reference.data,
        voucher_path=services.save_voucher(form.voucher.data)),
        lambda status: (render_template("payments/transfer.html", form=form, order=order,
                                        due=due), status),
        _("转账已登记，等待供应商确认到账。"), _payments_url(order.id))


@bp.post("/payments/<int:payment_id>/confirm")
@roles_required("supplier_staff")
def confirm_transfer(payment_id):
    payment = payment_for_user(payment_id)
    form = forms.ConfirmTransferForm(prefix="confirm")
    return run_button(form, lambda: services.confirm_transfer(
        payment, current_user, acknowledge_mismatch=bool(form.acknowledge_mismatch.data)),
        _payments_url(payment.order_id), _("已确认到账。"))


@bp.post("/payments/<int:payment_id>/reject")
@roles_required("supplier_staff")
def reject_transfer(payment_id):
    payment = payment_for_user(payment_id)
    form = forms.RejectTransferForm(prefix="reject")
    return run_button(form, lambda: services.reject_transfer(payment, current_user,
                                                             form.reason.data),
                      _payments_url(payment.order_id), _("已标记为未到账。"))


@bp.get("/payments/<int:payment_id>/voucher")
@login_required
def voucher(payment_id):
    payment = payment_for_user(payment_id)
    path = services.voucher_file(payment)
    if path is None:
        abort(404)
    response = send_file(path, as_attachment=path.suffix == ".pdf",
                         download_name=f"voucher-{payment.id}{path.suffix}")
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/payments/orders/<int:order_id>/refund")
@roles_required("supplier_staff", "admin")
def refund(order_id):
    """Record a refund; refused, the payments page again with the form open and each
    problem beside its field, what was typed kept."""
    order = order_for_user(order_id)
    numbers = services.figures(order)
    form = refund_form_for(order, numbers, forms.RefundForm(prefix="refund"))
    return run_on_page(form, lambda: services.create_refund(
        order, current_user, form.line_id.data, yuan_to_fen(form.amount.data),
        form.reason.data, form.transfer_reference.data),
        lambda status: (render_template("payments/order.html", order=order,
                                        refused_refund=form, lines=numbers["lines"]), status),
        _("退款已记录。"), _payments_url(order.id))


@bp.post("/payments/orders/<int:order_id>/extend")
@roles_required("supplier_staff")
def extend(order_id):
    order = order_for_user(order_id)
    return run_button(ActionForm(), lambda: services.extend_due_date(order, current_user),
                      _payments_url(order.id), _("付款期限已延长 15 天。"))


def _payments_url(order_id):
    return url_for("payments.order_payments", order_id=order_id)


# --------------------------------------------------------------------------- lists
