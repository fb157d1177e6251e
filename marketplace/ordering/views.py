"""Ordering pages: cart, checkout, orders and their timelines, supplier queue, approvals, prints."""
import secrets
from datetime import date

from flask import (Blueprint, abort, flash, redirect, render_template, request,
                   send_from_directory, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.errors import InsufficientStock, ValidationError
from marketplace.ordering import services
from marketplace.ordering.forms import AcceptanceForm, AddressForm, CheckoutForm
from marketplace.ordering.models import ORDER_STATUSES, PURPOSES

bp = Blueprint("ordering", __name__)

nav.add("ordering.cart", _l("购物车"), roles=("purchaser",), order=20)
nav.add("ordering.orders", _l("订单"), roles=("purchaser", "unit_manager", "auditor", "admin"),
        order=21)
nav.add("ordering.approvals", _l("订单审批"), roles=("unit_manager",), order=22)
nav.add("ordering.supplier_queue", _l("订单处理"), roles=("supplier_staff",), order=24)

PER_PAGE = 20


@bp.app_template_filter("order_status")
def order_status_filter(status):
    return services.status_label(status)


@bp.app_template_global()
def purpose_label(purpose):
    return {"canteen": _("食堂采购"), "union_welfare": _("工会福利"),
            "other": _("其他")}.get(purpose, purpose)


def _back(default):
    target = request.referrer
    if target and target.startswith(request.host_url):
        return redirect(target)
    return redirect(default)


def _order(order_id):
    return services.get_order(order_id, current_user)


# --------------------------------------------------------------------------- cart

@bp.get("/cart")
@roles_required("purchaser")
def cart():
    groups = services.cart_by_supplier(current_user)
    total = sum(group["total_fen"] for group in groups)
    cart_items = [entry["item"] for group in groups for entry in group["items"]]
    purpose = "union_welfare" if current_user.organization.kind == "union" else "canteen"
    return render_template("ordering/cart.html", groups=groups, total=total,
                           cart_items=cart_items, cart_purpose=purpose)


@bp.post("/cart/add")
@roles_required("purchaser")
def cart_add():
    """Add a product to the cart (from the product page): fields product_id and quantity."""
    item = services.add_to_cart(current_user, request.form.get("product_id"),
                                request.form.get("quantity", "1"))
    flash(_("已将 %(name)s 加入购物车。", name=item.product.name), "success")
    if request.form.get("next") == "cart":
        return redirect(url_for("ordering.cart"))
    return _back(url_for("ordering.cart"))


@bp.post("/cart/<int:item_id>/update")
@roles_required("purchaser")
def cart_update(item_id):
    services.update_cart_item(current_user, item_id, request.form.get("quantity", ""))
    flash(_("购物车已更新。"), "success")
    return redirect(url_for("ordering.cart"))


@bp.post("/cart/<int:item_id>/remove")
@roles_required("purchaser")
def cart_remove(item_id):
    services.remove_from_cart(current_user, item_id)
    flash(_("已从购物车移除。"), "success")
    return redirect(url_for("ordering.cart"))


# --------------------------------------------------------------------------- checkout

def _address_choices(form):
    addresses = services.delivery_addresses(current_user.organization)
    form.address_id.choices = [(str(a.id), services.format_address(a)) for a in addresses] + \
        [("new", _("新增收货地址"))]
    return addresses


@bp.route("/checkout", methods=["GET", "POST"])
@roles_required("purchaser")
def checkout():
    done = services.orders_for_checkout_key(current_user, request.form.get("checkout_key"))
    if request.method == "POST" and done:  # a second click on the same checkout
        flash(_("订单已提交，请勿重复提交。"), "info")
        return redirect(url_for("ordering.orders"))
    groups = services.cart_by_supplier(current_user)
    if not groups:
        flash(_("请先把商品加入购物车。"), "info")
        return redirect(url_for("ordering.cart"))
    form = CheckoutForm()
    addresses = _address_choices(form)
    is_union = current_user.organization.kind == "union"
    if request.method == "GET":
        form.checkout_key.data = secrets.token_urlsafe(24)
        form.address_id.data = str(addresses[0].id) if addresses else "new"
        if is_union:
            form.purpose.data = "union_welfare"
        form.invoice_title.data = current_user.organization.name
        form.invoice_tax_id.data = current_user.organization.credit_code or ""
    status = 200
    if form.validate_on_submit():
        try:
            address = _checkout_address(form)
            orders = services.place_orders(
                current_user, [(group_item["product"].id, group_item["item"].quantity)
                               for group in groups for group_item in group["items"]],
                form.purpose.data, address, form.payment_method.data, form.payment_terms.data,
                wished_delivery_date=form.wished_delivery_date.data,
                invoice_title=form.invoice_title.data, invoice_tax_id=form.invoice_tax_id.data,
                checkout_key=form.checkout_key.data or None)
        except (ValidationError, InsufficientStock) as error:
            from marketplace.web import mark_failed

            mark_failed()
            flash(error.message, "error")
            for name, problem in error.fields.items():
                target = getattr(form, {"delivery_address": "address_id"}.get(name, name), None)
                if target is not None and hasattr(target, "errors"):
                    target.errors = list(target.errors) + [_("请检查此项。")]
            status = error.status
        else:
            flash(_("下单成功，共 %(count)s 个订单。", count=len(orders)), "success")
            return redirect(url_for("ordering.orders", placed=",".join(o.number for o in orders)))
    elif form.errors:
        status = 422
    total = sum(group["total_fen"] for group in groups)
    return render_template("ordering/checkout.html", form=form, groups=groups, total=total,
                           addresses=addresses, is_union=is_union), status


def _checkout_address(form):
    if form.address_id.data and form.address_id.data != "new":
        return services.get_delivery_address(current_user, form.address_id.data)
    return services.add_delivery_address(current_user, form.new_label.data,
                                         form.new_recipient.data, form.new_phone.data,
                                         form.new_address.data)


@bp.route("/addresses", methods=["GET", "POST"])
@roles_required("purchaser", "unit_manager")
def addresses():
    form = AddressForm()
    if form.validate_on_submit():
        services.add_delivery_address(current_user, form.label.data, form.recipient.data,
                                      form.phone.data, form.address.data)
        flash(_("收货地址已保存。"), "success")
        return redirect(request.args.get("next") == "checkout" and url_for("ordering.checkout")
                        or url_for("ordering.addresses"))
    return render_template("ordering/addresses.html", form=form,
                           addresses=services.delivery_addresses(current_user.organization)), \
        422 if form.errors else 200


# --------------------------------------------------------------------------- orders

def _date_arg(name):
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        flash(_("日期格式应为 YYYY-MM-DD。"), "error")
        return None


@bp.get("/orders")
@login_required
def orders():
    status = request.args.get("status") if request.args.get("status") in ORDER_STATUSES else None
    purpose = request.args.get("purpose") if request.args.get("purpose") in PURPOSES else None
    query = services.filter_orders(services.visible_orders(current_user), status, purpose,
                                   _date_arg("from"), _date_arg("to"))
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    total = query.order_by(None).count()
    items = query.limit(PER_PAGE).offset((page - 1) * PER_PAGE).all()
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template("ordering/orders.html", orders=items, page=page, pages=pages,
                           total=total, statuses=ORDER_STATUSES, purposes=PURPOSES,
                           args=request.args)


@bp.get("/orders/<int:order_id>")
@login_required
def order_detail(order_id):
    order = _order(order_id)
    return render_template("ordering/detail.html", order=order, services=services)


@bp.post("/orders/<int:order_id>/approve")
@roles_required("unit_manager")
def approve(order_id):
    order = _order(order_id)
    services.approve_order(order, current_user, request.form.get("note"))
    flash(_("订单 %(number)s 已批准。", number=order.number), "success")
    return _back(url_for("ordering.approvals"))


@bp.post("/orders/<int:order_id>/reject")
@roles_required("unit_manager")
def reject(order_id):
    order = _order(order_id)
    services.reject_order(order, current_user, request.form.get("reason"))
    flash(_("订单 %(number)s 已驳回。", number=order.number), "success")
    return _back(url_for("ordering.approvals"))


@bp.post("/orders/<int:order_id>/confirm")
@roles_required("supplier_staff")
def confirm(order_id):
    order = _order(order_id)
    services.confirm_order(order, current_user)
    flash(_("订单 %(number)s 已确认。", number=order.number), "success")
    return _back(url_for("ordering.supplier_queue", tab="to_ship"))


@bp.post("/orders/<int:order_id>/ship")
@roles_required("supplier_staff")
def ship(order_id):
    order = _order(order_id)
    services.ship_order(order, current_user, request.form.get("carrier"),
                        request.form.get("tracking_number"))
    flash(_("订单 %(number)s 已发货。", number=order.number), "success")
    return _back(url_for("ordering.supplier_queue", tab="in_transit"))


@bp.post("/orders/<int:order_id>/cancel")
@roles_required("purchaser", "unit_manager", "supplier_staff", "admin")
def cancel(order_id):
    order = _order(order_id)
    services.cancel_order(order, current_user, request.form.get("reason"))
    flash(_("订单 %(number)s 已取消。", number=order.number), "success")
    return redirect(url_for("ordering.order_detail", order_id=order.id))


@bp.route("/orders/<int:order_id>/accept", methods=["GET", "POST"])
@roles_required("purchaser", "unit_manager")
def accept(order_id):
    order = _order(order_id)
    form = AcceptanceForm()
    status = 200
    if form.validate_on_submit():
        accepted = {line.id: request.form.get(f"line_{line.id}", str(line.quantity)).strip()
                    for line in order.lines}
        photo = request.files.get("photo")
        if photo is not None and not photo.filename:
            photo = None
        try:
            services.accept_delivery(order, current_user, accepted, form.note.data, photo=photo)
        except ValidationError as error:
            from marketplace.web import mark_failed

            mark_failed()
            flash(error.message, "error")
            status = 422
        else:
            flash(_("订单 %(number)s 已验收。", number=order.number), "success")
            return redirect(url_for("ordering.order_detail", order_id=order.id))
    elif form.errors:
        status = 422
    if order.status != "shipped" and status == 200:
        flash(_("订单 %(number)s 尚未发货或已验收，不能验收。", number=order.number), "error")
        return redirect(url_for("ordering.order_detail", order_id=order.id))
    return render_template("ordering/accept.html", order=order, form=form,
                           values=request.form), status


@bp.get("/orders/<int:order_id>/photo")
@login_required
def acceptance_photo(order_id):
    order = _order(order_id)
    if not order.acceptance_photo:
        abort(404)
    return send_from_directory(services.photo_folder(), order.acceptance_photo)


@bp.get("/orders/<int:order_id>/delivery-note")
@login_required
def delivery_note(order_id):
    order = _order(order_id)
    return render_template("ordering/delivery_note.html", order=order)


@bp.get("/orders/<int:order_id>/acceptance-record")
@login_required
def acceptance_record(order_id):
    order = _order(order_id)
    if order.accepted_at is None:
        flash(_("订单尚未验收。"), "error")
        return redirect(url_for("ordering.order_detail", order_id=order.id))
    return render_template("ordering/acceptance_record.html", order=order)


# --------------------------------------------------------------------------- queues

@bp.get("/supplier/orders")
@roles_required("supplier_staff")
def supplier_queue():
    tab = request.args.get("tab", "new")
    if tab not in services.SUPPLIER_TABS:
        tab = "new"
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = services.supplier_queue(current_user, tab)
    total = query.order_by(None).count()
    items = query.limit(PER_PAGE).offset((page - 1) * PER_PAGE).all()
    return render_template("ordering/supplier_queue.html", orders=items, tab=tab,
                           counts=services.queue_counts(current_user), page=page,
                           pages=max((total + PER_PAGE - 1) // PER_PAGE, 1))


@bp.get("/approvals")
@roles_required("unit_manager")
def approvals():
    return render_template("ordering/approvals.html",
                           orders=services.pending_approvals(current_user))
