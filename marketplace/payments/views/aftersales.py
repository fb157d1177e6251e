"""After-sales pages (售后): the buyer opens a return or a complaint from the order page, with
photos; the case page shows it to its buyer, its supplier and admins, with the actions each may
take there (agree or answer; escalate; arbitrate); the supplier's and the admin's lists of what
waits for them. Everything runs on payments.services.aftersales, as the JSON API does."""
from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.forms import ActionForm
from marketplace.i18n import translate as _
from marketplace.payments import forms, services
from marketplace.payments.services import aftersales
from marketplace.payments.views import bp, order_for_user
from marketplace.web import paginate, run_button, run_form, run_on_page

BUYERS = ("purchaser", "unit_manager")

nav.add("payments.after_sales", _l("售后"), roles=BUYERS + ("supplier_staff", "admin"), order=43)


@bp.app_context_processor
def aftersale_helpers():
    """`aftersale_panel(order)` for the order page, and a case's kind and status in words."""
    return {"aftersale_panel": _panel, "aftersale_kind": kind_label,
            "aftersale_status": status_label}


def kind_label(kind):
    return {"return": _("退货"), "complaint": _("投诉")}.get(kind, kind)


def status_label(status):
    return {"open": _("待供应商处理"), "answered": _("供应商已答复"),
            "escalated": _("平台仲裁中"), "agreed": _("已同意"),
            "closed": _("已关闭")}.get(status, status)


def _panel(order):
    """The order page's after-sales section: its cases and whether the reader may open one."""
    return {"cases": aftersales.order_cases(order),
            "can_open": aftersales.may_open(order, current_user),
            "closes": aftersales.window_closes_at(order)}


def _case_url(case):
    return url_for("payments.after_sale", case_id=case.id)


@bp.route("/payments/orders/<int:order_id>/after-sales/new", methods=["GET", "POST"])
@roles_required(*BUYERS)
def new_after_sale(order_id):
    """The buyer's form: which line, return or complaint, how many, why, photos."""
    order = order_for_user(order_id)
    aftersales.require_open_allowed(order, current_user)
    form = forms.AfterSaleForm()
    limits = aftersales.returnable_quantities(order)
    form.line_id.choices = [
        (line.id, _("%(name)s（验收 %(accepted)s，可申请 %(limit)s）", name=line.product_name,
                    accepted=line.accepted_quantity or 0, limit=limits[line.id]))
        for line in order.lines if limits[line.id] > 0]
    done, value = run_form(form, lambda: aftersales.open_case(
        order, current_user, form.line_id.data, form.kind.data, form.quantity.data,
        form.reason.data, form.photos.data or ()))
    if done:
        flash(_("售后申请已提交，等待供应商处理。"), "success")
        return redirect(_case_url(value))
    return render_template("payments/aftersale_new.html", order=order, form=form,
                           closes=aftersales.window_closes_at(order)), value


@bp.get("/payments/after-sales")
@roles_required(*BUYERS, "supplier_staff", "admin")
def after_sales():
    """The cases that concern the reader: a supplier's open ones, an admin's escalated ones, a
    buyer's own."""
    return render_template("payments/aftersales.html",
                           cases=paginate(aftersales.cases_for(current_user)))


def _page(case, status=200, **given):
    """The case page with the forms its reader may use (`given`: a refused one, kept)."""
    supplier = services.is_supplier(current_user, case.order)
    shown = {}
    if supplier and case.status == "open":
        shown["answer_form"] = forms.AfterSaleAnswerForm(prefix="answer")
    if current_user.role == "admin" and case.status == "escalated":
        shown["arbitrate_form"] = forms.ArbitrateForm(prefix="arbitrate")
    shown.update(given)
    return render_template(
        "payments/aftersale.html", case=case, history=aftersales.case_history(case),
        is_buyer=services.is_buyer(current_user, case.order), is_supplier=supplier,
        action_form=ActionForm(), **shown), status


@bp.get("/payments/after-sales/<int:case_id>")
@login_required
def after_sale(case_id):
    return _page(aftersales.get_case(case_id, current_user))


@bp.get("/payments/after-sales/<int:case_id>/photos/<int:photo_id>")
@login_required
def after_sale_photo(case_id, photo_id):
    case = aftersales.get_case(case_id, current_user)
    return send_file(aftersales.case_photo(case, photo_id), max_age=0)


def _button(case_id, act, message):
    """A button of the case's page: `act(case)`; then back to the page, with `message` (or
    `message(case)`, when it depends on the case) or the refusal."""
    case = aftersales.get_case(case_id, current_user)
    return run_button(ActionForm(), lambda: act(case), _case_url(case),
                      message(case) if callable(message) else message)


@bp.post("/payments/after-sales/<int:case_id>/agree")
@roles_required("supplier_staff")
def agree_after_sale(case_id):
    return _button(case_id, lambda case: aftersales.agree(case, current_user), lambda case: _(
        "已同意退货：已按退款规则退款，商品已退回库存。") if case.kind == "return"
        else _("已同意该投诉。"))


@bp.post("/payments/after-sales/<int:case_id>/answer")
@roles_required("supplier_staff")
def answer_after_sale(case_id):
    case = aftersales.get_case(case_id, current_user)
    form = forms.AfterSaleAnswerForm(prefix="answer")
    return run_on_page(form, lambda: aftersales.answer(case, current_user, form.answer.data),
                       lambda status: _page(case, status, answer_form=form),
                       _("已答复采购方。"), _case_url(case))


@bp.post("/payments/after-sales/<int:case_id>/escalate")
@roles_required(*BUYERS)
def escalate_after_sale(case_id):
    return _button(case_id, lambda case: aftersales.escalate(case, current_user),
                   _("已申请平台仲裁。"))


@bp.post("/payments/after-sales/<int:case_id>/arbitrate")
@roles_required("admin")
def arbitrate_after_sale(case_id):
    case = aftersales.get_case(case_id, current_user)
    form = forms.ArbitrateForm(prefix="arbitrate")
    return run_on_page(form, lambda: aftersales.arbitrate(
        case, current_user, form.decision.data == "buyer", form.note.data),
        lambda status: _page(case, status, arbitrate_form=form),
        _("仲裁结果已记录，双方已收到通知。"), _case_url(case))
