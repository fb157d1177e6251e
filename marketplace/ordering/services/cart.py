"""The cart: what a purchaser means to order, kept across logins, grouped by supplier."""
from marketplace.audit.services import record
from marketplace.catalog.services.availability import (reason_text, require_on_sale,
                                                       unavailable_reason)
from marketplace.database import get_by_id
from marketplace.errors import InsufficientStock, NotFound, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.ordering.models import CartItem
from marketplace.ordering.services.common import product_by_id, parse_quantity, require_purchaser


def cart_items(user):
    """The user's cart items, oldest first."""
    return CartItem.query.filter_by(user_id=user.id).order_by(CartItem.id).all()


def cart_count(user):
    """How many lines the user's cart holds (one COUNT: the header shows it)."""
    return db.session.query(db.func.count(CartItem.id)).filter(CartItem.user_id == user.id).scalar()


def cart_count_column(user_id):
    """`cart_count` as a scalar subquery correlated to the users' id column `user_id` (the
    user loader selects it with the user)."""
    return (db.select(db.func.count(CartItem.id)).where(CartItem.user_id == user_id)
            .scalar_subquery())


def add_to_cart(user, product_id, quantity):
    """Put `quantity` of a product in the user's cart (added to what is there already).

    :raises PermissionDenied: the user is not a purchaser.
    :raises NotFound: no such product.
    :raises ValidationError: a quantity that is not a positive integer, or under the product's
        minimum order quantity.
    :raises ProductUnavailable: the product is not on sale (catalog's one rule).
    :raises InsufficientStock: more than the stock left.
    """
    require_purchaser(user)
    quantity = parse_quantity(quantity)
    product = require_on_sale(product_by_id(product_id))
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
    item = get_by_id(CartItem, item_id)
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
    quantity = parse_quantity(quantity)
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

    A product that stopped being on sale (paused, taken down, its supplier or certification
    suspended) stays in the cart, marked unavailable with the reason, and counts in no total;
    it is back as it was when it returns to sale.

    :returns: a list of dicts {"supplier", "items": [{"item", "product", "line_total_fen",
        "problem", "available"}], "total_fen"}, in supplier name order.
    """
    groups = {}
    for item in cart_items(user):
        product = item.product
        problem = None
        reason = unavailable_reason(product)
        if reason is not None:
            problem = reason_text(reason)
        elif item.quantity > product.stock:
            problem = _("库存不足（剩余 %(stock)s）", stock=product.stock)
        elif item.quantity < product.min_order_qty:
            problem = _("起订量 %(min)s", min=product.min_order_qty)
        group = groups.setdefault(product.supplier_id, {"supplier": product.supplier,
                                                        "items": [], "total_fen": 0})
        line_total = product.price_fen * item.quantity
        group["items"].append({"item": item, "product": product, "line_total_fen": line_total,
                               "problem": problem, "available": reason is None})
        if reason is None:
            group["total_fen"] += line_total
    return sorted(groups.values(), key=lambda group: group["supplier"].name)
