"""Ordering pages for those who move an order on: unit managers approving or rejecting it, and
supplier staff confirming and shipping it from their queue.

Registered on the ordering blueprint (imported at the end of `views`).
"""
from flask import flash, render_template, request, url_for
from flask_login import current_user

from marketplace.accounts.auth import roles_required
from marketplace.forms import ActionForm
from marketplace.i18n import translate as _
from marketplace.ordering import services
from marketplace.ordering.views import PER_PAGE, bp, order_for_user
from marketplace.web import back_url, paginate, redirect_back, run_button


@bp.post("/orders/<int:order_id>/approve")
@roles_required("unit_manager")
def approve(order_id):
    return _decide(order_id, services.approve_order, "note", _("订单 %(number)s 已批准。"))


@bp.post("/orders/<int:order_id>/reject")
@roles_required("unit_manager")
def reject(order_id):
    return _decide(order_id, services.reject_order, "reason", _("订单 %(number)s 已驳回。"))


def _decide(order_id, decision, text_field, message):
    """The unit manager's decision on a checkout waiting for approval (all its orders)."""
    order = order_for_user(order_id)
    together = [o for o in services.checkout_orders(order) if o.status == "pending_approval"]
    decision(order, current_user, request.form.get(text_field))
    flash(message % {"number": "、".join(o.number for o in together) or order.number}, "success")
    return redirect_back(url_for("ordering.approvals"))


@bp.post("/orders/<int:order_id>/confirm")
@roles_required("supplier_staff")
def confirm(order_id):
    order = order_for_user(order_id)
    return run_button(ActionForm(), lambda: services.confirm_order(order, current_user),
                      back_url(url_for("ordering.supplier_queue", tab="to_ship")),
                      _("订单 %(number)s 已确认。", number=order.number))


@bp.post("/orders/<int:order_id>/ship")
@roles_required("supplier_staff")
def ship(order_id):
    order = order_for_user(order_id)
    services.ship_order(order, current_user, request.form.get("carrier"),
                        request.form.get("tracking_number"))
    flash(_("订单 %(number)s 已发货。", number=order.number), "success")
    return redirect_back(url_for("ordering.supplier_queue", tab="in_transit"))


@bp.get("/supplier/orders")
@roles_required("supplier_staff")
def supplier_queue():
    tab = request.args.get("tab", "new")
    if tab not in services.SUPPLIER_TABS:
        tab = "new"
    pagination = paginate(services.supplier_queue(current_user, tab), PER_PAGE)
    return render_template("ordering/supplier_queue.html", orders=pagination.items, tab=tab,
                           counts=services.queue_counts(current_user), pagination=pagination)


@bp.get("/approvals")
@roles_required("unit_manager")
def approvals():
    return render_template("ordering/approvals.html",
                           checkouts=services.pending_checkouts(current_user))


@bp.post("/orders/<int:order_id>/restock")
@roles_required("supplier_staff")
def restock(order_id):
    """One click: what the buyer refused at acceptance goes back into the supplier's stock."""
    order = order_for_user(order_id)
    return run_button(ActionForm(), lambda: services.restock_refused(order, current_user),
                      back_url(url_for("ordering.order_detail", order_id=order.id)),
                      _("订单 %(number)s 拒收的商品已退回库存。", number=order.number))
