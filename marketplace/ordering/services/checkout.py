"""Checkout: one order per supplier from a list of lines, with snapshots and reserved stock."""
import secrets
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.scopes import buyer_unit_of
from marketplace.audit.services import record
from marketplace.catalog.models import Product
from marketplace.catalog.services.availability import require_on_sale
from marketplace.config import stripe_enabled
from marketplace.database import savepoint
from marketplace.errors import (Conflict, InsufficientStock, StateError, ValidationError,
                                field_messages)
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify
from marketplace.money import format_yuan
from marketplace.ordering.models import (PAYMENT_METHODS, PAYMENT_TERMS, PURPOSES, CartItem, Order,
                                         OrderLine)
from marketplace.ordering.services.common import (parse_quantity, require_purchaser,
                                                  tell_supplier_new, approvers_of)
from marketplace.ordering.services.invoice_request import check_invoice_request
from marketplace.ordering.services.lifecycle import record_event
from marketplace.ordering.services.seen_prices import check_seen_prices
from marketplace.ordering.services.stock import reserve_stock
from marketplace.ordering.signals import order_placed
from marketplace.regions.models import Region
from marketplace.timeutil import to_cst, utcnow

# The checkout form's names of the invoice request's fields.
CHECKOUT_INVOICE_FIELDS = {"title": "invoice_title", "tax_number": "invoice_tax_id",
                           "kind": "invoice_kind", "email": "invoice_email"}


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
    """{product_id: quantity} from [(product_id, quantity)], a product's lines merged."""
    if not isinstance(lines, (list, tuple)) or not lines:
        raise ValidationError(_("请至少选择一件商品。"), fields={"lines": "required"})
    merged = {}
    for index, line in enumerate(lines):
        if isinstance(line, (list, tuple)) and len(line) == 2:
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
        merged[product_id] = merged.get(product_id, 0) + parse_quantity(quantity,
                                                                    f"lines[{index}].quantity")
    return merged


def orders_for_checkout_key(user, checkout_key):
    """The orders an earlier submission of this checkout made (empty when none)."""
    if not checkout_key:
        return []
    return (Order.query.filter_by(placed_by_id=user.id, checkout_key=str(checkout_key)[:64])
            .order_by(Order.id).all())


def _create_orders(user, wanted, products, snapshots, fields):
    """Reserve the stock, then write one order per supplier with its first event.

    :param fields: the columns every order of the checkout shares (buyer, address, terms...).
    :raises InsufficientStock: a product lacks stock (nothing is written).
    :raises IntegrityError: this checkout key already has an order for a supplier.
    """
    reserve_stock(wanted, products)
    org = user.organization
    unit = buyer_unit_of(org)
    threshold = unit.approval_threshold_fen if unit is not None else None
    supplier_of = {product_id: product.supplier_id for product_id, product in products.items()}
    # The threshold covers everything this checkout buys, however many suppliers share it:
    # over it, every order waits, and they are approved or rejected together.
    checkout_total = sum(row["unit_price_fen"] * row["quantity"] for row in snapshots.values())
    status = "pending_approval" if threshold is not None and checkout_total > threshold \
        else "placed"
    checkout_id = secrets.token_hex(16)
    now = utcnow()
    orders = []
    for supplier_id in sorted(set(supplier_of.values())):
        rows = [snapshots[pid] for pid in sorted(snapshots) if supplier_of[pid] == supplier_id]
        total = sum(row["unit_price_fen"] * row["quantity"] for row in rows)
        order = Order(number=new_order_number(), status=status, supplier_id=supplier_id,
                      budget_unit_id=unit.id if unit else None, total_fen=total,
                      payment_status="unpaid", paid_fen=0, refunded_fen=0, created_at=now,
                      checkout_id=checkout_id, **fields)
        order.lines = [OrderLine(**row) for row in rows]
        db.session.add(order)
        db.session.flush()
        record_event(order, None, status, user, None)
        record("order.place", order, actor=user,
               detail={"number": order.number, "status": status, "total_fen": total,
                       "checkout_id": checkout_id, "checkout_total_fen": checkout_total,
                       "lines": [[row["product_id"], row["quantity"]] for row in rows]})
        orders.append(order)
    return orders


def place_orders(user, lines, purpose, delivery_address, payment_method, payment_terms,
                 wished_delivery_date=None, invoice_title=None, invoice_tax_id=None,
                 checkout_key=None, seen_prices=None, invoice_kind=None, invoice_email=None):
    """Check out: one order per supplier, bound to the buyer organisation and its budget unit.

    Prices, names and origins are read from the database (never from the form) and kept as a
    snapshot on each line. Stock is reserved atomically; when any product lacks stock nothing
    is created and no stock is taken. When the checkout's total (all its orders together)
    exceeds the budget unit's approval threshold, every order waits in `pending_approval`,
    to be approved or rejected together. The products ordered leave the user's cart.

    :param lines: [(product_id, quantity)].
    :param seen_prices: {product_id: fen or None}, the prices the buyer saw (a page's, or the
        API's lines' unit prices: `seen_prices_of`); None for a product: never shown.
    :param purpose: canteen, union_welfare or other (a union's orders are always union_welfare).
    :param delivery_address: the address text (a saved address: `format_address(address)`).
    :param invoice_kind: normal or special to ask for each order's invoice now (with
        `invoice_title`, `invoice_tax_id` and `invoice_email`, checked as any invoice request:
        `check_invoice_request`); None or "" asks for none yet.
    :param checkout_key: one checkout submission; the same key from the same user returns the
        orders made the first time instead of ordering again (double click, retry), also
        when both submissions arrive at once.
    :returns: the list of orders, by id.
    :raises PermissionDenied: the user is not a purchaser of a buyer organisation.
    :raises ValidationError: bad lines, purpose, address, payment choice, dates, invoice
        fields, an unknown product, a quantity under the minimum.
    :raises ProductUnavailable: a product is not on sale (paused, taken down, its supplier or
        its certification suspended): nothing is created.
    :raises InsufficientStock: not enough stock for some line (nothing is created).
    :raises PriceChanged: a price the buyer saw is no longer the product's (nothing is created).
    :raises Conflict: the same checkout is being placed by another request right now and its
        orders cannot be read yet.
    """
    require_purchaser(user)
    if checkout_key:
        checkout_key = str(checkout_key)[:64]
        existing = orders_for_checkout_key(user, checkout_key)
        if existing:
            return existing
    org = user.organization
    wanted = _normalise_lines(lines)
    seen = seen_prices or {}
    errors = {}
    if org.kind == "union":
        purpose = "union_welfare"
    if purpose not in PURPOSES:
        errors["purpose"] = "invalid"
    if payment_method not in PAYMENT_METHODS:
        errors["payment_method"] = "invalid"
    elif payment_method == "stripe" and not stripe_enabled(current_app.config):
        errors["payment_method"] = "unavailable"
    if payment_terms not in PAYMENT_TERMS:
        errors["payment_terms"] = "invalid"
    address_text = delivery_address.strip() if isinstance(delivery_address, str) else ""
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
    messages = {}
    if invoice_kind:  # an invoice asked now: the same rule as a request made later
        try:
            invoice_title, invoice_tax_id, invoice_kind, invoice_email = check_invoice_request(
                invoice_title, invoice_tax_id, invoice_kind, invoice_email,
                names=CHECKOUT_INVOICE_FIELDS)
        except ValidationError as error:
            errors.update(error.fields)
            messages.update(field_messages(error))
    else:
        invoice_kind = invoice_email = None
        if invoice_title and len(invoice_title) > 200:
            errors["invoice_title"] = "too_long"
        if invoice_tax_id and not (len(invoice_tax_id) in (15, 18, 20)
                                   and invoice_tax_id.isalnum()):
            errors["invoice_tax_id"] = "invalid"
    if errors:
        raise ValidationError(_("下单信息有误，请检查后重试。"), fields=errors, messages=messages,
                              summary=True)

    products = {}
    for product_id, quantity in wanted.items():
        product = db.session.get(Product, product_id)
        if product is None:
            raise ValidationError(_("商品不存在。"), fields={"product_id": product_id})
        require_on_sale(product)
        if quantity < product.min_order_qty:
            raise ValidationError(
                _("%(name)s 的起订量为 %(min)s%(unit)s。", name=product.name,
                  min=product.min_order_qty, unit=product.unit),
                fields={"quantity": "below_minimum", "product_id": product_id})
        products[product_id] = product
    check_seen_prices(products, seen)

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
    fields = dict(purpose=purpose, buyer_organization_id=org.id, placed_by_id=user.id,
                  checkout_key=checkout_key, delivery_address=address_text,
                  wished_delivery_date=wished_delivery_date, invoice_title=invoice_title,
                  invoice_tax_id=invoice_tax_id, invoice_kind=invoice_kind,
                  invoice_email=invoice_email, payment_method=payment_method,
                  payment_terms=payment_terms)
    try:
        with savepoint():
            orders = _create_orders(user, wanted, products, snapshots, fields)
    except (IntegrityError, InsufficientStock) as error:
        # The same checkout submitted twice at once: the other request won the race (the
        # unique constraint on placed_by, checkout_key, supplier refused this insert, or its
        # orders took the last stock). The savepoint gave back all this attempt took.
        existing = orders_for_checkout_key(user, checkout_key)
        if existing:
            return existing
        if isinstance(error, InsufficientStock) or not checkout_key:
            raise
        raise Conflict(_("这次下单正在处理中，请稍后在订单列表中查看，不要重复提交。"),
                       code="checkout_in_progress", fields={"checkout_key": "in_progress"}) \
            from None

    CartItem.query.filter(CartItem.user_id == user.id,
                          CartItem.product_id.in_(list(wanted))).delete(synchronize_session=False)
    db.session.flush()
    for order in orders:
        order_placed.send(order, actor=user)
    waiting = [order for order in orders if order.status == "pending_approval"]
    for order in orders:
        if order.status == "placed":
            tell_supplier_new(order)
    if waiting:
        notify(approvers_of(waiting[0].budget_unit_id), "order.approval_needed",
               _l("%(buyer)s 的一次采购（%(count)s 个订单：%(numbers)s，共 %(total)s）超过审批额度，"
                  "等待您审批。", buyer=user.organization.name, count=len(waiting),
                  numbers="、".join(order.number for order in waiting),
                  total=format_yuan(sum(order.total_fen for order in waiting))),
               link="/approvals")
    return orders
