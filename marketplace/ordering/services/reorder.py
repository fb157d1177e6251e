"""Buy again: a past order's lines put back in the purchaser's cart, as far as they are still
on sale, at today's prices (the cart and checkout always use the current price)."""
from dataclasses import dataclass, field

from marketplace.catalog.services.availability import reason_text, unavailable_reason
from marketplace.database import savepoint
from marketplace.errors import DomainError, PermissionDenied
from marketplace.i18n import translate as _
from marketplace.ordering.services.cart import add_to_cart
from marketplace.ordering.services.common import require_purchaser


@dataclass
class BuyAgain:
    """What "buy again" did: the lines added (with the order's price and today's), and those
    left out with why."""

    added: list = field(default_factory=list)     # [(product name, quantity, then, now)]
    skipped: list = field(default_factory=list)   # [(product name, why)]

    @property
    def repriced(self):
        return [item for item in self.added if item[2] != item[3]]


def buy_again(user, order):
    """Put the order's lines in `user`'s cart: each product still on sale, in the quantity
    ordered (at most the stock left), at today's price. Nothing else of the order is reused.

    :raises PermissionDenied: not a purchaser of the order's organisation.
    """
    require_purchaser(user)
    if user.organization_id != order.buyer_organization_id:
        raise PermissionDenied(_("只能再次购买本单位的订单。"))
    result = BuyAgain()
    for line in sorted(order.lines, key=lambda line: line.id):
        product = line.product
        reason = unavailable_reason(product) if product is not None else "archived"
        if reason:
            result.skipped.append((line.product_name, reason_text(reason)))
            continue
        quantity = min(line.quantity, product.stock)
        if quantity < max(product.min_order_qty, 1):
            result.skipped.append((line.product_name, _("库存不足")))
            continue
        try:
            with savepoint():
                add_to_cart(user, product.id, quantity)
        except DomainError as error:
            result.skipped.append((line.product_name, error.message.rstrip("。")))
            continue
        result.added.append((product.name, quantity, line.unit_price_fen, product.price_fen))
    return result
