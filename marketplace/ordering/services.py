"""Ordering rules: the cart, checkout into one order per supplier, approvals and fulfilment.

Every function here flushes and never commits (one commit per request). Every state change
goes through `record_transition`, which checks the life cycle, writes an OrderEvent (who, when,
why) and an audit entry. Stock is reserved with one atomic conditional UPDATE per product, so
no concurrency can sell what is not there (the CHECK constraint stock >= 0 backs it up).
"""
import io
import secrets
import uuid
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import gettext

from marketplace.accounts.auth import buyer_unit_of, in_jurisdiction, is_in_subtree
from marketplace.accounts.models import BUYER_KINDS, Organization, User
from marketplace.audit.services import record
from marketplace.catalog.models import Product
from marketplace.errors import (InsufficientStock, NotFound, PermissionDenied, StateError,
                                ValidationError)
from marketplace.extensions import db
from marketplace.notifications.services import notify
from marketplace.ordering.models import (PAYMENT_METHODS, PAYMENT_TERMS, PURPOSES, CartItem,
                                         DeliveryAddress, Order, OrderEvent, OrderLine)
from marketplace.regions.models import Region
from marketplace.timeutil import to_cst, utcnow

MAX_QUANTITY = 1_000_000
PAY_FIRST_DAYS = 30
GOODS_FIRST_DAYS = 30

# The life cycle (DESIGN.md, Orders): which status may follow which.
TRANSITIONS = {
    "pending_approval": ("placed", "rejected", "cancelled"),
    "placed": ("confirmed", "cancelled"),
    "confirmed": ("shipped", "cancelled"),
    "shipped": ("accepted",),
    "accepted": ("completed",),
    "completed": (),
    "cancelled": (),
    "rejected": (),
}
CANCELLABLE = ("pending_approval", "placed", "confirmed")
SUPPLIER_HIDDEN = ("pending_approval", "rejected")  # not the supplier's business yet (or ever)
BUYER_ROLES = ("purchaser", "unit_manager")


# --------------------------------------------------------------------------- helpers

def _(message, **values):
    """gettext in a request (the reader's language); the Chinese text in CLI and tests."""
    if has_request_context():
        return gettext(message, **values)
    return message % values if values else message


def _quantity(value, name="quantity"):
    """A whole, positive quantity from a form or JSON value. :raises ValidationError."""
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise ValidationError(_("数量必须是整数。"), fields={name: "integer"}) from None
    if isinstance(value, float) or number <= 0:
        raise ValidationError(_("数量必须大于零。"), fields={name: "positive"})
    if number > MAX_QUANTITY:
        raise ValidationError(_("数量过大。"), fields={name: "too_large"})
    return number


def _product(product_id):
    """:raises NotFound: no such product."""
    try:
        product = db.session.get(Product, int(product_id))
    except (TypeError, ValueError):
        product = None
    if product is None:
        raise NotFound(_("商品不存在。"))
    return product


def _is_buyer(user):
    return user.role in BUYER_ROLES and user.organization.kind in BUYER_KINDS


def _require_purchaser(user):
    if user.role != "purchaser" or user.organization.kind not in BUYER_KINDS:
        raise PermissionDenied(_("只有采购人可以下单。"))


def supplier_staff_of(org_id):
    """The active staff users of a supplier (whom new orders are told to)."""
    return User.query.filter_by(organization_id=org_id, role="supplier_staff", active=True).all()


def managers_of(unit_id):
    """The active unit managers of a budget unit (who approve its large orders)."""
    if unit_id is None:
        return []
    return User.query.filter_by(organization_id=unit_id, role="unit_manager", active=True).all()


def _order_link(order):
    return f"/orders/{order.id}"


# --------------------------------------------------------------------------- cart

def cart_items(user):
    """The user's cart items, oldest first."""
    return CartItem.query.filter_by(user_id=user.id).order_by(CartItem.id).all()


def add_to_cart(user, product_id, quantity):
    """Put `quantity` of a product in the user's cart (added to what is there already).

    :raises PermissionDenied: the user is not a purchaser.
    :raises NotFound: no such product.
    :raises ValidationError: a quantity that is not a positive integer, under the product's
        minimum order quantity, or a product that is not on sale.
    :raises InsufficientStock: more than the stock left.
    """
    _require_purchaser(user)
    quantity = _quantity(quantity)
    product = _product(product_id)
    if product.status != "active":
        raise ValidationError(_("该商品已下架或暂停销售。"), fields={"product_id": "inactive"})
    item = CartItem.query.filter_by(user_id=user.id, product_id=product.id).first()
    total = quantity + (item.quantity if item else 0)
    _check_quantity(product, total)
    if item is None:
        item = CartItem(user_id=user.id, product_id=product.id, quantity=total)
        db.session.add(item)
    else:
        item.quantity = total
    db.session.flush()
    record("cart.add", item, actor=user, detail={"product_id": product.id, "quantity": total})
    return item


def _check_quantity(product, quantity):
    if quantity < product.min_order_qty:
        raise ValidationError(
            _("%(name)s 的起订量为 %(min)s%(unit)s。", name=product.name,
              min=product.min_order_qty, unit=product.unit),
            fields={"quantity": "below_minimum"})
    if quantity > product.stock:
        raise InsufficientStock(
            _("%(name)s 库存不足（剩余 %(stock)s%(unit)s）。", name=product.name,
              stock=product.stock, unit=product.unit),
            fields={"quantity": "insufficient_stock"})


def _cart_item(user, item_id):
    try:
        item = db.session.get(CartItem, int(item_id))
    except (TypeError, ValueError):
        item = None
    if item is None or item.user_id != user.id:
        raise NotFound(_("购物车中没有这件商品。"))
    return item


def update_cart_item(user, item_id, quantity):
    """Set a cart item's quantity (0 removes it).

    :raises NotFound: not an item of this user's cart.
    :raises ValidationError: not a whole number, under the minimum order quantity.
    :raises InsufficientStock: more than the stock left.
    """
    item = _cart_item(user, item_id)
    if str(quantity).strip() == "0":
        return remove_from_cart(user, item.id)
    quantity = _quantity(quantity)
    _check_quantity(item.product, quantity)
    item.quantity = quantity
    db.session.flush()
    record("cart.update", item, actor=user, detail={"quantity": quantity})
    return item


def remove_from_cart(user, item_id):
    """Take an item out of the user's cart. :raises NotFound: not in this user's cart."""
    item = _cart_item(user, item_id)
    record("cart.remove", item, actor=user, detail={"product_id": item.product_id})
    db.session.delete(item)
    db.session.flush()
    return None


def cart_by_supplier(user):
    """The cart grouped by supplier, with current prices and what stops a checkout.

    :returns: a list of dicts {"supplier", "items": [{"item", "product", "line_total_fen",
        "problem"}], "total_fen"}, in supplier name order.
    """
    groups = {}
    for item in cart_items(user):
        product = item.product
        problem = None
        if product.status != "active":
            problem = _("已下架")
        elif item.quantity > product.stock:
            problem = _("库存不足（剩余 %(stock)s）", stock=product.stock)
        elif item.quantity < product.min_order_qty:
            problem = _("起订量 %(min)s", min=product.min_order_qty)
        group = groups.setdefault(product.supplier_id, {"supplier": product.supplier,
                                                        "items": [], "total_fen": 0})
        line_total = product.price_fen * item.quantity
        group["items"].append({"item": item, "product": product, "line_total_fen": line_total,
                               "problem": problem})
        group["total_fen"] += line_total
    return sorted(groups.values(), key=lambda group: group["supplier"].name)


# --------------------------------------------------------------------------- addresses

def delivery_addresses(org):
    """The saved delivery addresses of a buyer organisation."""
    return (DeliveryAddress.query.filter_by(organization_id=org.id)
            .order_by(DeliveryAddress.id).all())


def add_delivery_address(user, label, recipient, phone, address):
    """Save a delivery address for the user's organisation.

    :raises PermissionDenied: the user is not a buyer.
    :raises ValidationError: a field is empty or too long.
    """
    if not _is_buyer(user):
        raise PermissionDenied(_("只有采购单位可以保存收货地址。"))
    values = {"label": (label or "").strip(), "recipient": (recipient or "").strip(),
              "phone": (phone or "").strip(), "address": (address or "").strip()}
    limits = {"label": 60, "recipient": 60, "phone": 40, "address": 300}
    errors = {name: "required" for name, value in values.items() if not value}
    errors.update({name: "too_long" for name, value in values.items() if len(value) > limits[name]})
    if errors:
        raise ValidationError(_("收货地址信息不完整。"), fields=errors)
    saved = DeliveryAddress(organization_id=user.organization_id, **values)
    db.session.add(saved)
    db.session.flush()
    record("delivery_address.create", saved, actor=user)
    return saved


def format_address(saved):
    """One line for an order: label, address, recipient and phone."""
    return f"{saved.label}：{saved.address}（{saved.recipient} {saved.phone}）"


def get_delivery_address(user, address_id):
    """:raises NotFound: no such address in the user's organisation."""
    try:
        saved = db.session.get(DeliveryAddress, int(address_id))
    except (TypeError, ValueError):
        saved = None
    if saved is None or saved.organization_id != user.organization_id:
        raise NotFound(_("收货地址不存在。"))
    return saved


# --------------------------------------------------------------------------- checkout

def new_order_number():
    """A number a person can read out on the phone: YYMM-NNNN-NN (CST month), unique."""
    prefix = to_cst(utcnow()).strftime("%y%m")
    for _attempt in range(20):
        digits = f"{secrets.randbelow(1_000_000):06d}"
        number = f"{prefix}-{digits[:4]}-{digits[4:]}"
        if not db.session.query(Order.query.filter_by(number=number).exists()).scalar():
            return number
    raise StateError("could not find a free order number")  # pragma: no cover


def _normalise_lines(lines):
    """[(product_id, quantity)] from tuples or {"product_id", "quantity"} dicts, merged."""
    if not isinstance(lines, (list, tuple)) or not lines:
        raise ValidationError(_("请至少选择一件商品。"), fields={"lines": "required"})
    merged = {}
    for index, line in enumerate(lines):
        if isinstance(line, dict):
            product_id, quantity = line.get("product_id"), line.get("quantity")
        elif isinstance(line, (list, tuple)) and len(line) == 2:
            product_id, quantity = line
        else:
            raise ValidationError(_("订单行格式有误。"), fields={f"lines[{index}]": "invalid"})
        if isinstance(product_id, bool) or not isinstance(product_id, (int, str)):
            raise ValidationError(_("订单行格式有误。"), fields={f"lines[{index}]": "product_id"})
        try:
            product_id = int(product_id)
        except ValueError:
            raise ValidationError(_("订单行格式有误。"),
                                  fields={f"lines[{index}]": "product_id"}) from None
        merged[product_id] = merged.get(product_id, 0) + _quantity(quantity,
                                                                    f"lines[{index}].quantity")
    return merged


def _reserve_stock(wanted, products):
    """Take the stock of every product in one atomic conditional UPDATE each.

    The WHERE clause makes the database itself refuse to go below zero or to sell a paused
    product, whatever runs concurrently; rows are updated in id order so two checkouts never
    deadlock. On a refusal, what this call already took is given back before raising.

    :raises InsufficientStock: a product has less stock than asked (or stopped selling).
    """
    taken = []
    for product_id in sorted(wanted):
        quantity = wanted[product_id]
        result = db.session.execute(
            sa.update(Product)
            .where(Product.id == product_id, Product.stock >= quantity,
                   Product.status == "active")
            .values(stock=Product.stock - quantity, sales_count=Product.sales_count + quantity)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            _release_stock(taken)
            product = products[product_id]
            db.session.expire(product)
            raise InsufficientStock(
                _("%(name)s 库存不足，请减少数量后重试。", name=product.name),
                fields={"product_id": product_id})
        taken.append((product_id, quantity))
    for product_id in wanted:
        db.session.expire(products[product_id], ["stock", "sales_count"])


def _release_stock(items):
    """Give stock back: [(product_id, quantity)] (cancellation, rejection, failed checkout)."""
    for product_id, quantity in items:
        db.session.execute(
            sa.update(Product).where(Product.id == product_id)
            .values(stock=Product.stock + quantity,
                    sales_count=sa.case((Product.sales_count >= quantity,
                                         Product.sales_count - quantity), else_=0))
            .execution_options(synchronize_session=False))
        product = db.session.get(Product, product_id)
        if product is not None:
            db.session.expire(product, ["stock", "sales_count"])


def orders_for_checkout_key(user, checkout_key):
    """The orders an earlier submission of this checkout made (empty when none)."""
    if not checkout_key:
        return []
    return (Order.query.filter_by(placed_by_id=user.id, checkout_key=str(checkout_key)[:64])
            .order_by(Order.id).all())


def place_orders(user, lines, purpose, delivery_address, payment_method, payment_terms,
                 wished_delivery_date=None, invoice_title=None, invoice_tax_id=None,
                 checkout_key=None):
    """Check out: one order per supplier, bound to the buyer organisation and its budget unit.

    Prices, names and origins are read from the database (never from the form) and kept as a
    snapshot on each line. Stock is reserved atomically; when any product lacks stock nothing
    is created and no stock is taken. An order whose total exceeds the budget unit's approval
    threshold waits in `pending_approval`. The products ordered leave the user's cart.

    :param lines: [(product_id, quantity)] or [{"product_id", "quantity"}].
    :param purpose: canteen, union_welfare or other (a union's orders are always union_welfare).
    :param delivery_address: a DeliveryAddress of the buyer organisation, or the address text.
    :param checkout_key: one checkout submission; the same key from the same user returns the
        orders made the first time instead of ordering again (double click, retry).
    :returns: the list of orders, by id.
    :raises PermissionDenied: the user is not a purchaser of a buyer organisation.
    :raises ValidationError: bad lines, purpose, address, payment choice, dates, invoice
        fields, an inactive or unknown product, a quantity under the minimum.
    :raises InsufficientStock: not enough stock for some line (nothing is created).
    """
    _require_purchaser(user)
    if checkout_key:
        checkout_key = str(checkout_key)[:64]
        existing = orders_for_checkout_key(user, checkout_key)
        if existing:
            return existing
    org = user.organization
    wanted = _normalise_lines(lines)
    errors = {}
    if org.kind == "union":
        purpose = "union_welfare"
    if purpose not in PURPOSES:
        errors["purpose"] = "invalid"
    if payment_method not in PAYMENT_METHODS:
        errors["payment_method"] = "invalid"
    if payment_terms not in PAYMENT_TERMS:
        errors["payment_terms"] = "invalid"
    if isinstance(delivery_address, DeliveryAddress):
        if delivery_address.organization_id != org.id:
            errors["delivery_address"] = "not_yours"
        address_text = format_address(delivery_address)
    else:
        address_text = (delivery_address or "").strip() if isinstance(delivery_address, str) else ""
        if not address_text:
            errors["delivery_address"] = "required"
        elif len(address_text) > 400:
            errors["delivery_address"] = "too_long"
    if wished_delivery_date is not None:
        if not isinstance(wished_delivery_date, date):
            errors["wished_delivery_date"] = "invalid"
        elif wished_delivery_date < to_cst(utcnow()).date():
            errors["wished_delivery_date"] = "in_the_past"
    invoice_title = (invoice_title or "").strip() or None
    invoice_tax_id = (invoice_tax_id or "").strip().upper() or None
    if invoice_title and len(invoice_title) > 200:
        errors["invoice_title"] = "too_long"
    if invoice_tax_id and not (len(invoice_tax_id) in (15, 18, 20)
                               and invoice_tax_id.isalnum()):
        errors["invoice_tax_id"] = "invalid"
    if errors:
        raise ValidationError(_("下单信息有误，请检查后重试。"), fields=errors)

    products = {}
    for product_id, quantity in wanted.items():
        product = db.session.get(Product, product_id)
        if product is None:
            raise ValidationError(_("商品不存在。"), fields={"product_id": product_id})
        if product.status != "active":
            raise ValidationError(_("%(name)s 已下架或暂停销售。", name=product.name),
                                  fields={"product_id": product_id})
        if quantity < product.min_order_qty:
            raise ValidationError(
                _("%(name)s 的起订量为 %(min)s%(unit)s。", name=product.name,
                  min=product.min_order_qty, unit=product.unit),
                fields={"quantity": "below_minimum", "product_id": product_id})
        products[product_id] = product

    # Snapshots first (read from the database), then the stock: nothing is written before
    # the reservation succeeds.
    snapshots = {}
    for product_id, product in products.items():
        origin = db.session.get(Region, product.origin_region_code)
        snapshots[product_id] = dict(product_id=product_id, product_name=product.name,
                                     unit=product.unit, unit_price_fen=product.price_fen,
                                     origin_region_code=product.origin_region_code,
                                     origin_aided=bool(origin and origin.aided),
                                     quantity=wanted[product_id])
    supplier_of = {product_id: product.supplier_id for product_id, product in products.items()}
    _reserve_stock(wanted, products)

    unit = buyer_unit_of(org)
    threshold = unit.approval_threshold_fen if unit is not None else None
    now = utcnow()
    orders = []
    for supplier_id in sorted(set(supplier_of.values())):
        rows = [snapshots[pid] for pid in sorted(snapshots) if supplier_of[pid] == supplier_id]
        total = sum(row["unit_price_fen"] * row["quantity"] for row in rows)
        status = "pending_approval" if threshold is not None and total > threshold else "placed"
        order = Order(number=new_order_number(), status=status, purpose=purpose,
                      buyer_organization_id=org.id, budget_unit_id=unit.id if unit else None,
                      supplier_id=supplier_id, placed_by_id=user.id, checkout_key=checkout_key,
                      total_fen=total, delivery_address=address_text,
                      wished_delivery_date=wished_delivery_date, invoice_title=invoice_title,
                      invoice_tax_id=invoice_tax_id, payment_method=payment_method,
                      payment_terms=payment_terms, payment_status="unpaid", paid_fen=0,
                      refunded_fen=0, created_at=now)
        if payment_terms == "pay_first":
            order.due_date = to_cst(now).date() + timedelta(days=PAY_FIRST_DAYS)
        order.lines = [OrderLine(**row) for row in rows]
        db.session.add(order)
        db.session.flush()
        _event(order, None, status, user, None)
        record("order.place", order, actor=user,
               detail={"number": order.number, "status": status, "total_fen": total,
                       "lines": [[row["product_id"], row["quantity"]] for row in rows]})
        orders.append(order)

    CartItem.query.filter(CartItem.user_id == user.id,
                          CartItem.product_id.in_(list(wanted))).delete(synchronize_session=False)
    db.session.flush()
    for order in orders:
        if order.status == "placed":
            _tell_supplier_new(order)
        else:
            notify(managers_of(order.budget_unit_id), "order.approval_needed",
                   _("订单 %(number)s（%(total)s）超过审批额度，等待您审批。",
                     number=order.number, total=_yuan(order.total_fen)),
                   link=_order_link(order))
    return orders


def _yuan(fen):
    from marketplace.money import format_yuan

    return format_yuan(fen)


def _tell_supplier_new(order):
    notify(supplier_staff_of(order.supplier_id), "order.placed",
           _("新订单 %(number)s：%(buyer)s，金额 %(total)s。", number=order.number,
             buyer=order.buyer_organization.name, total=_yuan(order.total_fen)),
           link=_order_link(order))


# --------------------------------------------------------------------------- life cycle

def _event(order, from_status, to_status, actor, note):
    event = OrderEvent(order_id=order.id, at=utcnow(), actor_id=getattr(actor, "id", None),
                       from_status=from_status, to_status=to_status, note=note)
    db.session.add(event)
    return event


def record_transition(order, to_status, actor, note=None):
    """Move an order to `to_status` if the life cycle allows it; keep who, when and why.

    Writes an OrderEvent and an audit entry ("order.<to_status>").

    :param actor: the user acting (None for the system, e.g. a payment webhook).
    :returns: the OrderEvent.
    :raises StateError: the transition is not allowed from the order's status.
    """
    from_status = order.status
    if to_status not in TRANSITIONS.get(from_status, ()):
        raise StateError(
            _("订单 %(number)s 当前状态为「%(status)s」，不能执行此操作。", number=order.number,
              status=status_label(from_status)),
            fields={"status": from_status})
    order.status = to_status
    note = (note or "").strip()[:1000] or None
    event = _event(order, from_status, to_status, actor, note)
    db.session.flush()
    record(f"order.{to_status}", order, actor=actor,
           detail={"from": from_status, "to": to_status, "note": note})
    return event


def _require_buyer(order, user):
    if not (user.role in BUYER_ROLES and user.organization_id == order.buyer_organization_id):
        raise PermissionDenied(_("只有下单单位可以执行此操作。"))


def _require_supplier(order, user):
    if not (user.role == "supplier_staff" and user.organization_id == order.supplier_id):
        raise PermissionDenied(_("只有该订单的供应商可以执行此操作。"))


def can_approve(order, user):
    """Whether `user` is a unit manager of the budget unit the order is bound to."""
    return (user.role == "unit_manager" and order.budget_unit_id is not None
            and user.organization_id == order.budget_unit_id)


def approve_order(order, user, note=None):
    """A unit manager of the buyer's budget unit approves a pending order: it becomes placed.

    :raises PermissionDenied: not a manager of that unit.
    :raises StateError: the order is not pending approval.
    """
    if not can_approve(order, user):
        raise PermissionDenied(_("只有采购单位的管理员可以审批此订单。"))
    record_transition(order, "placed", user, note)
    order.approved_at = utcnow()
    db.session.flush()
    notify([order.placed_by], "order.approved",
           _("订单 %(number)s 已通过审批。", number=order.number), link=_order_link(order))
    _tell_supplier_new(order)
    return order


def reject_order(order, user, reason):
    """A unit manager rejects a pending order with a reason; its stock goes back.

    :raises PermissionDenied: not a manager of that unit.
    :raises ValidationError: no reason given.
    :raises StateError: the order is not pending approval.
    """
    if not can_approve(order, user):
        raise PermissionDenied(_("只有采购单位的管理员可以审批此订单。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写驳回理由。"), fields={"reason": "required"})
    record_transition(order, "rejected", user, reason)
    order.cancel_reason = reason[:500]
    order.cancelled_at = utcnow()
    _release_stock([(line.product_id, line.quantity) for line in order.lines])
    db.session.flush()
    notify([order.placed_by], "order.rejected",
           _("订单 %(number)s 未通过审批：%(reason)s", number=order.number, reason=reason),
           link=_order_link(order))
    return order


def confirm_order(order, user, note=None):
    """The supplier confirms a placed order.

    :raises PermissionDenied: not this order's supplier.
    :raises StateError: the order is not placed.
    """
    _require_supplier(order, user)
    record_transition(order, "confirmed", user, note)
    order.confirmed_at = utcnow()
    db.session.flush()
    notify([order.placed_by], "order.confirmed",
           _("订单 %(number)s 已被供应商确认。", number=order.number), link=_order_link(order),
           email=False)
    return order


def ship_order(order, user, carrier, tracking_number, note=None):
    """The supplier ships a confirmed order, naming the carrier and the tracking number.

    :raises PermissionDenied: not this order's supplier.
    :raises ValidationError: carrier or tracking number missing or too long.
    :raises StateError: the order is not confirmed.
    """
    _require_supplier(order, user)
    carrier = (carrier or "").strip() if isinstance(carrier, str) else ""
    tracking_number = (tracking_number or "").strip() if isinstance(tracking_number, str) else ""
    errors = {}
    if not carrier:
        errors["carrier"] = "required"
    elif len(carrier) > 60:
        errors["carrier"] = "too_long"
    if not tracking_number:
        errors["tracking_number"] = "required"
    elif len(tracking_number) > 60:
        errors["tracking_number"] = "too_long"
    if errors:
        raise ValidationError(_("请填写承运商和运单号。"), fields=errors)
    record_transition(order, "shipped", user,
                      note or f"{carrier} {tracking_number}")
    order.carrier = carrier
    order.tracking_number = tracking_number
    order.shipped_at = utcnow()
    db.session.flush()
    notify([order.placed_by], "order.shipped",
           _("订单 %(number)s 已发货：%(carrier)s %(tracking)s", number=order.number,
             carrier=carrier, tracking=tracking_number), link=_order_link(order))
    return order


def accept_delivery(order, user, accepted=None, note=None, photo=None):
    """The buyer accepts (验收) a shipped order, fully or partly.

    Rejected quantities do not return to stock (the goods go back to the supplier, who adjusts
    stock by hand). Goods-first orders become due 30 days after acceptance.

    :param accepted: {line_id: accepted quantity}; lines left out are accepted in full.
    :param note: what was wrong (kept on the order and its timeline).
    :param photo: an optional image of the problem (a file object or bytes), checked by Pillow.
    :raises PermissionDenied: not the buyer organisation.
    :raises ValidationError: an unknown line, a quantity below 0 or above what was shipped,
        a file that is not an image.
    :raises StateError: the order is not shipped.
    """
    _require_buyer(order, user)
    if order.status != "shipped":
        raise StateError(_("订单 %(number)s 尚未发货或已验收，不能验收。", number=order.number),
                         fields={"status": order.status})
    accepted = accepted or {}
    if not isinstance(accepted, dict):
        raise ValidationError(_("验收数量格式有误。"), fields={"lines": "invalid"})
    lines = {line.id: line for line in order.lines}
    quantities = {}
    for raw_id, raw_quantity in accepted.items():
        try:
            line_id = int(raw_id)
        except (TypeError, ValueError):
            line_id = None
        if line_id not in lines:
            raise ValidationError(_("订单中没有这一行。"), fields={"line_id": raw_id})
        line = lines[line_id]
        if isinstance(raw_quantity, bool) or isinstance(raw_quantity, float):
            raw_quantity = None
        try:
            quantity = int(str(raw_quantity).strip())
        except (TypeError, ValueError):
            raise ValidationError(_("验收数量必须是整数。"),
                                  fields={f"line_{line_id}": "integer"}) from None
        if quantity < 0 or quantity > line.quantity:
            raise ValidationError(
                _("%(name)s 的验收数量应在 0 到 %(max)s 之间。", name=line.product_name,
                  max=line.quantity), fields={f"line_{line_id}": "out_of_range"})
        quantities[line_id] = quantity
    note = (note or "").strip()[:1000] or None
    photo_name = save_acceptance_photo(order, photo) if photo is not None else None
    short = []
    for line in order.lines:
        line.accepted_quantity = quantities.get(line.id, line.quantity)
        if line.accepted_quantity < line.quantity:
            short.append(f"{line.product_name} {line.accepted_quantity}/{line.quantity}")
    timeline_note = "；".join(filter(None, [note, ("部分验收：" + "，".join(short)) if short else None]))
    record_transition(order, "accepted", user, timeline_note or None)
    now = utcnow()
    order.accepted_at = now
    order.acceptance_note = note
    if photo_name:
        order.acceptance_photo = photo_name
    if order.payment_terms == "goods_first":
        order.due_date = to_cst(now).date() + timedelta(days=GOODS_FIRST_DAYS)
    db.session.flush()
    message = (_("订单 %(number)s 已部分验收：%(detail)s", number=order.number,
                 detail="，".join(short)) if short
               else _("订单 %(number)s 已验收。", number=order.number))
    notify(supplier_staff_of(order.supplier_id), "order.accepted", message,
           link=_order_link(order))
    complete_order(order, actor=user)
    return order


PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def save_acceptance_photo(order, photo):
    """Check an uploaded photo with Pillow and store it; returns its file name.

    :raises ValidationError: too large, or not a JPEG/PNG/WebP image.
    """
    from PIL import Image, UnidentifiedImageError

    data = photo if isinstance(photo, bytes) else photo.read()
    limit = current_app.config.get("MAX_UPLOAD_BYTES", 8 * 1024 * 1024)
    if not data:
        return None
    if len(data) > limit:
        raise ValidationError(_("照片过大。"), fields={"photo": "too_large"})
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(_("照片必须是 JPEG、PNG 或 WebP 图片。"),
                              fields={"photo": "not_an_image"}) from None
    if kind not in PHOTO_FORMATS:
        raise ValidationError(_("照片必须是 JPEG、PNG 或 WebP 图片。"),
                              fields={"photo": "format"})
    name = f"{uuid.uuid4().hex}.{PHOTO_FORMATS[kind]}"
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return name


def photo_folder():
    """Where acceptance photos live (inside UPLOAD_FOLDER)."""
    return Path(current_app.config["UPLOAD_FOLDER"]) / "acceptance"


def cancel_order(order, user, reason=None):
    """Cancel an order before it ships; its stock goes back.

    The buyer may cancel while pending approval, placed or confirmed; the supplier (or an
    admin) may cancel placed or confirmed orders with a reason. A paid order needs a refund
    first.

    :raises PermissionDenied: neither the buyer, the supplier nor an admin.
    :raises ValidationError: the supplier or admin gave no reason.
    :raises StateError: shipped, accepted, completed or already cancelled, or money was paid.
    """
    reason = (reason or "").strip() or None
    is_buyer = user.role in BUYER_ROLES and user.organization_id == order.buyer_organization_id
    is_supplier = user.role == "supplier_staff" and user.organization_id == order.supplier_id
    if not (is_buyer or is_supplier or user.role == "admin"):
        raise PermissionDenied(_("您不能取消此订单。"))
    if not is_buyer and not reason:
        raise ValidationError(_("请填写取消原因。"), fields={"reason": "required"})
    if order.status not in CANCELLABLE:
        raise StateError(_("订单 %(number)s 已发货或已结束，不能取消。", number=order.number),
                         fields={"status": order.status})
    if (order.paid_fen or 0) > 0:
        raise StateError(_("订单 %(number)s 已付款，请先办理退款。", number=order.number),
                         fields={"paid_amount": "not_zero"})
    before = order.status
    record_transition(order, "cancelled", user, reason)
    order.cancelled_at = utcnow()
    order.cancel_reason = reason[:500] if reason else None
    _release_stock([(line.product_id, line.quantity) for line in order.lines])
    db.session.flush()
    if is_buyer:
        if before != "pending_approval":  # the supplier never saw an unapproved order
            notify(supplier_staff_of(order.supplier_id), "order.cancelled",
                   _("订单 %(number)s 已被买方取消。", number=order.number),
                   link=_order_link(order))
    else:
        notify([order.placed_by], "order.cancelled",
               _("订单 %(number)s 已被取消：%(reason)s", number=order.number, reason=reason),
               link=_order_link(order))
    return order


def amount_due_fen(order):
    """What the buyer still owes: the accepted value (or the total before acceptance), less
    refunds and payments, never below zero."""
    if order.accepted_at is not None:
        value = sum((line.accepted_quantity or 0) * line.unit_price_fen for line in order.lines)
    else:
        value = order.total_fen
    refunded = sum(line.refunded_fen or 0 for line in order.lines)
    return max(value - refunded - (order.paid_fen or 0), 0)


def complete_order(order, actor=None):
    """Move an accepted order to completed when nothing is due any more; otherwise do nothing.

    Nothing is due when the payment status is paid, partially_refunded or refunded, or the
    payments cover the accepted value less refunds (goods-first or pay-first alike). The
    payments module calls this after each confirmed payment or refund.

    :returns: True when the order was completed by this call.
    """
    if order.status != "accepted":
        return False
    settled = order.payment_status in ("paid", "partially_refunded", "refunded") \
        or amount_due_fen(order) == 0
    if not settled:
        return False
    record_transition(order, "completed", actor, None)
    order.completed_at = utcnow()
    db.session.flush()
    return True


# --------------------------------------------------------------------------- reading

def can_view(order, user):
    """Whether `user` may read `order`: its buyer, its supplier, admins, auditors whose
    jurisdiction holds the buyer unit, and managers of a unit above the buyer unit."""
    if user.role == "admin":
        return True
    if user.organization_id == order.buyer_organization_id:
        return True
    if user.organization_id == order.supplier_id:
        # A supplier meets an order once its buyer's unit has let it through.
        return order.status not in SUPPLIER_HIDDEN
    unit = order.budget_unit or order.buyer_organization
    if user.role == "auditor":
        return in_jurisdiction(unit, user.organization)
    if user.role == "unit_manager":
        return is_in_subtree(unit, user.organization)
    return False


def get_order(order_id, user):
    """The order with this id, if `user` may read it.

    :raises NotFound: no such order.
    :raises PermissionDenied: the order belongs to someone else.
    """
    try:
        order = db.session.get(Order, int(order_id))
    except (TypeError, ValueError):
        order = None
    if order is None:
        raise NotFound(_("订单不存在。"))
    if not can_view(order, user):
        raise PermissionDenied(_("您无权查看此订单。"))
    return order


def visible_orders(user):
    """A query of the orders `user` may read (newest first)."""
    query = Order.query
    if user.role == "admin":
        pass
    elif user.role == "supplier_staff":
        query = query.filter(Order.supplier_id == user.organization_id,
                             Order.status.notin_(SUPPLIER_HIDDEN))
    elif user.role == "auditor":
        prefix = user.organization.jurisdiction_prefix
        units = sa.select(Organization.id).where(Organization.region_code.like(f"{prefix}%"))
        query = query.filter(sa.or_(Order.budget_unit_id.in_(units),
                                    Order.buyer_organization_id.in_(units)))
    elif user.role == "unit_manager":
        units = sa.select(Organization.id).where(
            Organization.tree_path.like(f"{user.organization.tree_path}%"))
        query = query.filter(sa.or_(Order.budget_unit_id.in_(units),
                                    Order.buyer_organization_id == user.organization_id))
    else:
        query = query.filter(Order.buyer_organization_id == user.organization_id)
    return query.order_by(Order.created_at.desc(), Order.id.desc())


def filter_orders(query, status=None, purpose=None, date_from=None, date_to=None):
    """Narrow an order query by status, purpose and the CST dates it was placed on."""
    from datetime import datetime, time

    from marketplace.timeutil import CST

    if status:
        query = query.filter(Order.status == status)
    if purpose:
        query = query.filter(Order.purpose == purpose)
    if date_from:
        query = query.filter(Order.created_at >= datetime.combine(date_from, time(), CST))
    if date_to:
        query = query.filter(Order.created_at < datetime.combine(date_to + timedelta(days=1),
                                                                 time(), CST))
    return query


SUPPLIER_TABS = {
    "new": ("placed",),
    "to_ship": ("confirmed",),
    "in_transit": ("shipped",),
    "done": ("accepted", "completed", "cancelled"),
}


def supplier_queue(user, tab="new"):
    """The supplier's orders in one tab of its queue: new, to_ship, in_transit, done.

    :raises PermissionDenied: not supplier staff.
    """
    if user.role != "supplier_staff":
        raise PermissionDenied(_("只有供应商可以查看订单队列。"))
    statuses = SUPPLIER_TABS.get(tab, SUPPLIER_TABS["new"])
    query = Order.query.filter(Order.supplier_id == user.organization_id,
                               Order.status.in_(statuses))
    if tab in ("new", "to_ship"):
        return query.order_by(Order.created_at.asc(), Order.id.asc())
    return query.order_by(Order.created_at.desc(), Order.id.desc())


def queue_counts(user):
    """How many orders are in each tab of the supplier's queue."""
    counts = dict(db.session.query(Order.status, sa.func.count(Order.id))
                  .filter(Order.supplier_id == user.organization_id).group_by(Order.status).all())
    return {tab: sum(counts.get(status, 0) for status in statuses)
            for tab, statuses in SUPPLIER_TABS.items()}


def pending_approvals(user):
    """Orders waiting for this unit manager's approval, oldest first."""
    if user.role != "unit_manager":
        return []
    return (Order.query.filter_by(budget_unit_id=user.organization_id, status="pending_approval")
            .order_by(Order.created_at.asc(), Order.id.asc()).all())


STATUS_LABELS = {
    "pending_approval": "待审批", "placed": "已下单", "confirmed": "已确认", "shipped": "已发货",
    "accepted": "已验收", "completed": "已完成", "cancelled": "已取消", "rejected": "已驳回",
}


def status_label(status):
    """The (translated) name of a status."""
    return _(STATUS_LABELS.get(status, status))
