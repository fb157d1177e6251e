"""The OpenAPI description of buy again (reorder.py), added to the spec openapi.py serves."""
from marketplace.api.openapi import SCHEMAS, obj, operation, path_param, ref

MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$"}

SCHEMAS.update({
    "BuyAgain": obj({
        "added": {"type": "array", "items": obj({
            "product_name": {"type": "string"}, "quantity": {"type": "integer"},
            "ordered_price": dict(MONEY, description="The unit price on the past order."),
            "price": dict(MONEY, description="Today's unit price: what the cart charges."),
            "repriced": {"type": "boolean"}},
            ("product_name", "quantity", "ordered_price", "price", "repriced"))},
        "skipped": {"type": "array", "items": obj({
            "product_name": {"type": "string"}, "reason": {"type": "string"}},
            ("product_name", "reason"))}}, ("added", "skipped")),
})


def add_paths(add):
    """Add buy again with openapi.build_paths's `add`."""
    add("/orders/{order_id}/buy-again", "post", operation(
        "order_buy_again", "Buy a past order again", module="reorder", roles=("purchaser",),
        params=[path_param("order_id")], answer=ref("BuyAgain"),
        description="A purchaser of the order's organisation. Each line still on sale goes "
                    "into the cart in the quantity ordered (at most the stock left) at "
                    "today's price; the others are listed with why."))
