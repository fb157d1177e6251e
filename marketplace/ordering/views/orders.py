"""Ordering pages: orders and their timelines, cancellation, acceptance, prints."""
from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user, login_required

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.i18n import translate as _
from marketplace.inputs import day_arg
from marketplace.money import format_yuan
from marketplace.ordering import services
from marketplace.ordering.forms import AcceptanceForm
from marketplace.ordering.models import ORDER_STATUSES, PURPOSES
from marketplace.ordering.views import PER_PAGE, bp, order_for_user
from marketplace.web import message_slots, paginate, run_form

nav.add("ordering.cart", _l("购物车"), roles=("purchaser",), order=20)
nav.add_count("ordering.cart", services.cart_count, column=services.cart_count_column)
nav.add("ordering.orders", lazy_pgettext("list heading", "订单"), roles=("purchaser", "unit_manager", "auditor", "admin"),
        order=21)
nav.add("ordering.approvals", _l("订单审批"), roles=("unit_manager",), order=22)
nav.set_start("unit_manager", "ordering.approvals")
nav.add("ordering.supplier_queue", _l("订单处理"), roles=("supplier_staff",), order=24)


@bp.app_template_filter("order_status")
@bp.app_template_global("order_status_label")
def order_status_filter(status):
    return services.status_label(status)


@bp.app_template_global("order_event_note")
def order_event_note(event, order):
    """The note under a timeline entry, in the reader's language where the app wrote it."""
    return services.acceptance_note(event, order) if event.to_status == "accepted" else event.note


# Whether the order's payment terms let it ship now (a pay-first order once paid).
bp.add_app_template_global(services.may_ship, "order_may_ship")


@bp.app_template_global()
def purpose_label(purpose):
    return {"canteen": _("食堂采购"), "union_welfare": _("工会福利"),
            "other": _("其他")}.get(purpose, purpose)


# --------------------------------------------------------------------------- orders

def _date_arg(name):
    day, ok = day_arg(name)
    if not ok:
        flash(_("日期格式应为 YYYY-MM-DD。"), "error")
    return day


@bp.get("/orders")
@login_required
def orders():
    status = request.args.get("status") if request.args.get("status") in ORDER_STATUSES else None
    purpose = request.args.get("purpose") if request.args.get("purpose") in PURPOSES else None
    query = services.filter_orders(services.visible_orders(current_user), status, purpose,
                                   _date_arg("from"), _date_arg("to"))
    pagination = paginate(query, PER_PAGE)
    return render_template("ordering/orders.html", orders=pagination.items,
                           pagination=pagination, statuses=ORDER_STATUSES, purposes=PURPOSES,
                           args=request.args)


@bp.get("/orders/<int:order_id>")
@login_required
def order_detail(order_id):
    order = order_for_user(order_id)
    return render_template("ordering/detail.html", order=order, services=services)


@bp.post("/orders/<int:order_id>/buy-again")
@roles_required("purchaser")
def buy_again(order_id):
    """Put a past order's lines still on sale in the cart, at today's prices, and say so."""
    result = services.buy_again(current_user, order_for_user(order_id))
    _tell_buy_again(result)
    return redirect(url_for("ordering.cart"))


def _tell_buy_again(result):
    if result.added:
        flash(_("已将 %(n)s 种商品加入购物车，按今日价格计价。", n=len(result.added)), "success")
    for name, _quantity, then, now in result.repriced:
        flash(_("%(name)s 的价格已从 %(then)s 变为今日的 %(now)s。", name=name,
                then=format_yuan(then), now=format_yuan(now)), "warning")
    for name, why in result.skipped:
        flash(_("%(name)s 未加入：%(why)s。", name=name, why=why), "error")


@bp.post("/orders/<int:order_id>/cancel")
@roles_required("purchaser", "unit_manager", "supplier_staff", "admin")
def cancel(order_id):
    order = order_for_user(order_id)
    services.cancel_order(order, current_user, request.form.get("reason"))
    flash(_("订单 %(number)s 已取消。", number=order.number), "success")
    return redirect(url_for("ordering.order_detail", order_id=order.id))


@bp.route("/orders/<int:order_id>/accept", methods=["GET", "POST"])
@roles_required("purchaser", "unit_manager")
def accept(order_id):
    order = order_for_user(order_id)
    form = AcceptanceForm()
    slots = message_slots(form, [f"line_{line.id}" for line in order.lines])
    accepted = {line.id: request.form.get(f"line_{line.id}", str(line.quantity)).strip()
                for line in order.lines}
    photo = request.files.get("photo")
    done, status = run_form(form, lambda: services.accept_delivery(
        order, current_user, accepted, form.note.data,
        photo=photo if photo is not None and photo.filename else None))
    if done:
        flash(_("订单 %(number)s 已验收。", number=order.number), "success")
        return redirect(url_for("ordering.order_detail", order_id=order.id))
    if order.status != "shipped" and status == 200:
        flash(_("订单 %(number)s 尚未发货或已验收，不能验收。", number=order.number), "error")
        return redirect(url_for("ordering.order_detail", order_id=order.id))
    return render_template("ordering/accept.html", order=order, form=form,
                           values=request.form, slots=slots), status


@bp.get("/orders/<int:order_id>/photo")
@login_required
def acceptance_photo(order_id):
    order = order_for_user(order_id)
    if not order.acceptance_photo:
        abort(404)
    response = send_from_directory(services.photo_folder(), order.acceptance_photo)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/orders/<int:order_id>/delivery-note")
@login_required
def delivery_note(order_id):
    order = order_for_user(order_id)
    return render_template("ordering/delivery_note.html", order=order)


@bp.get("/orders/<int:order_id>/acceptance-record")
@login_required
def acceptance_record(order_id):
    order = order_for_user(order_id)
    if order.accepted_at is None:
        flash(_("订单尚未验收。"), "error")
        return redirect(url_for("ordering.order_detail", order_id=order.id))
    return render_template("ordering/acceptance_record.html", order=order)


# The other ordering pages register their routes on `bp` when imported.
