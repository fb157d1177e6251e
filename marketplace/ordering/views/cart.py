"""Ordering pages for buying: the cart and checkout.

Registered on the ordering blueprint (imported at the end of `views`).
"""
import secrets

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.auth import roles_required
from marketplace.config import stripe_enabled
from marketplace.i18n import translate as _
from marketplace.ordering import services
from marketplace.ordering.forms import CheckoutForm
from marketplace.ordering.views import bp
from marketplace.web import redirect_back, run_form


@bp.get("/cart")
@roles_required("purchaser")
def cart():
    groups = services.cart_by_supplier(current_user)
    total = sum(group["total_fen"] for group in groups)
    cart_items = [entry["item"] for group in groups for entry in group["items"]]
    purpose = "union_welfare" if current_user.organization.kind == "union" else "canteen"
    unavailable = [entry for group in groups for entry in group["items"]
                   if not entry["available"]]
    return render_template("ordering/cart.html", groups=groups, total=total,
                           cart_items=[item for item in cart_items
                                       if all(item is not e["item"] for e in unavailable)],
                           cart_purpose=purpose, unavailable_count=len(unavailable))


@bp.post("/cart/add")
@roles_required("purchaser")
def cart_add():
    """Add a product to the cart (from the product page): fields product_id and quantity."""
    item = services.add_to_cart(current_user, request.form.get("product_id"),
                                request.form.get("quantity", "1"))
    flash(_("已将 %(name)s 加入购物车。", name=item.product.name), "success")
    if request.form.get("next") == "cart":
        return redirect(url_for("ordering.cart"))
    return redirect_back(url_for("ordering.cart"))


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
    form.address_id.choices = [SelectChoice(str(a.id), services.format_address(a))
                               for a in addresses] + [SelectChoice("new", _("新增收货地址"))]
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
    if not stripe_enabled(current_app.config):
        form.payment_method.choices = [choice for choice in form.payment_method.choices
                                       if choice.value != "stripe"]
    addresses = _address_choices(form)
    is_union = current_user.organization.kind == "union"
    if request.method == "GET":
        form.checkout_key.data = secrets.token_urlsafe(24)
        form.address_id.data = str(addresses[0].id) if addresses else "new"
        if is_union:
            form.purpose.data = "union_welfare"
        form.invoice_title.data = current_user.organization.name
        form.invoice_tax_id.data = current_user.organization.credit_code or ""
        form.invoice_email.data = current_user.email
    changes = {}
    done, result = run_form(form, lambda: _place(form, groups, changes),
                            {"delivery_address": "address_id", "label": "new_label",
                             "recipient": "new_recipient", "phone": "new_phone",
                             "address": "new_address"})
    if done:
        flash(_("下单成功，共 %(count)s 个订单。", count=len(result)), "success")
        return redirect(url_for("ordering.orders", placed=",".join(o.number for o in result)))
    status, price_changes = result, changes.get("prices")
    total = sum(group["total_fen"] for group in groups)
    return render_template("ordering/checkout.html", form=form, groups=groups, total=total,
                           addresses=addresses, is_union=is_union,
                           price_changes=price_changes), status


def _place(form, groups, changes):
    """Place the cart's orders as the checkout form says; a price changed since the page was
    shown is kept in `changes` (nothing was ordered: the page shows what changed and now
    carries the new prices, so submitting it again accepts them)."""
    try:
        return services.place_orders(
            current_user, [(entry["product"].id, entry["item"].quantity)
                           for group in groups for entry in group["items"]],
            form.purpose.data, _checkout_address(form), form.payment_method.data,
            form.payment_terms.data, wished_delivery_date=form.wished_delivery_date.data,
            invoice_title=form.invoice_title.data, invoice_tax_id=form.invoice_tax_id.data,
            invoice_kind=form.invoice_kind.data or None, invoice_email=form.invoice_email.data,
            checkout_key=form.checkout_key.data or None, seen_prices=_prices_shown(groups))
    except services.PriceChanged as error:
        changes["prices"] = error.prices
        raise


def _prices_shown(groups):
    """{product_id: fen or None}: the unit prices the submitted page showed (its hidden
    `seen_price` fields, "<product id>:<fen>"); a product in the cart the page did not show
    gets None, so it is shown before it is ordered."""
    shown = {}
    for value in request.form.getlist("seen_price"):
        product_id, _sep, fen = value.partition(":")
        if product_id.isdigit() and fen.isdigit() and len(product_id) < 12 and len(fen) < 15:
            shown[int(product_id)] = int(fen)
    return {entry["product"].id: shown.get(entry["product"].id)
            for group in groups for entry in group["items"]}


def _checkout_address(form):
    if form.address_id.data and form.address_id.data != "new":
        address = services.get_delivery_address(current_user, form.address_id.data)
    else:
        address = services.add_delivery_address(current_user, form.new_label.data,
                                                form.new_recipient.data, form.new_phone.data,
                                                form.new_address.data)
    return services.format_address(address)
