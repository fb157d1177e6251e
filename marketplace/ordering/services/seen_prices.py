"""The price the buyer saw: a checkout that names the unit prices it showed is refused when a
product's price has changed since, so nobody is charged a price they were never shown."""
from marketplace.errors import Conflict, ValidationError
from marketplace.i18n import translate as _
from marketplace.money import fen_str, format_yuan, yuan_to_fen


class PriceChanged(Conflict, code="price_changed"):
    """A product's price is no longer the one the buyer saw (409 `price_changed`).

    `prices` lists every line whose price changed: {"product_id", "product_name", "seen_fen",
    "current_fen"} (`seen_fen` None: the line was never shown with a price).
    """

    def __init__(self, prices):
        names = "、".join(item["product_name"] for item in prices)
        super().__init__(_("%(names)s 的价格已变动，请确认新价格后重新提交。", names=names),
                         fields={f"lines.{item['product_id']}.unit_price": "changed"
                                 for item in prices})
        self.prices = prices
        self.details = {"prices": [{"product_id": item["product_id"],
                                    "product_name": item["product_name"],
                                    "seen_unit_price": fen_str(item["seen_fen"]),
                                    "unit_price": fen_str(item["current_fen"])}
                                   for item in prices]}

    def describe(self, item):
        """"name: ¥seen → ¥current" for one changed line (pages)."""
        return _("%(name)s：%(seen)s → %(now)s", name=item["product_name"],
                 seen=format_yuan(item["seen_fen"]), now=format_yuan(item["current_fen"]))


def seen_prices_of(lines):
    """{product_id: fen}: the prices the API's order lines ({"product_id", "quantity",
    "unit_price"?}) say the buyer saw; lines without one are skipped.

    :raises ValidationError: a unit price that is not an amount, or two lines of one product
        naming different prices.
    """
    seen = {}
    for index, line in enumerate(lines if isinstance(lines, (list, tuple)) else []):
        if not isinstance(line, dict) or line.get("unit_price") is None:
            continue
        try:
            fen = yuan_to_fen(line["unit_price"])
            product_id = int(line.get("product_id"))
        except (TypeError, ValueError):
            raise ValidationError(_("订单行的单价格式有误。"),
                                  fields={f"lines[{index}].unit_price": "invalid"}) from None
        if seen.get(product_id, fen) != fen:
            raise ValidationError(_("同一商品的单价前后不一致。"),
                                  fields={f"lines[{index}].unit_price": "inconsistent"})
        seen[product_id] = fen
    return seen


def check_seen_prices(products, seen):
    """Refuse the checkout when a price the buyer saw is no longer the product's.

    :param products: {product_id: Product} being ordered.
    :param seen: {product_id: fen or None}; products left out were not shown with a price
        and are not checked (None: shown without one, always refused).
    :raises PriceChanged: with every changed line, before anything is written.
    """
    changed = [{"product_id": product_id, "product_name": product.name,
                "seen_fen": seen[product_id], "current_fen": product.price_fen}
               for product_id, product in sorted(products.items())
               if product_id in seen and seen[product_id] != product.price_fen]
    if changed:
        raise PriceChanged(changed)
