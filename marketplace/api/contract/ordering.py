"""Orders (orders.py, reorder.py): placing, the order's life from approval to acceptance,
buying a past order again and the frequently bought list."""
from marketplace.api.contract.shapes import (ID, MONEY, MONEY_OUT, NULLABLE_ID, PAGE_PARAMS,
                                             QUANTITY, TIME, enum, list_of, obj, operation,
                                             page_of, path_param, query_param, ref)
from marketplace.ordering.models import (INVOICE_KINDS, ORDER_STATUSES, PAYMENT_METHODS,
                                         PAYMENT_STATUSES, PAYMENT_TERMS, PURPOSES)

REASON = {"type": "string", "maxLength": 500}

SCHEMAS = {
    "OrderLine": obj({
        "id": ID, "product_id": NULLABLE_ID, "quantity": {"type": "integer"},
        "unit_price": MONEY_OUT, "accepted_quantity": {"type": ["integer", "null"]},
        "amount": {**MONEY_OUT, "description": "The line's value: accepted quantity × unit "
                                               "price once accepted, quantity × unit price "
                                               "before."},
        "refunded_amount": MONEY_OUT},
        ("id", "product_id", "quantity", "unit_price", "accepted_quantity", "refunded_amount")),
    "Order": obj({
        "id": ID, "number": {"type": "string"}, "status": enum(ORDER_STATUSES),
        "purpose": enum(PURPOSES), "buyer_organization_id": ID, "budget_unit_id": NULLABLE_ID,
        "supplier_id": ID, "total": MONEY_OUT, "created_at": TIME, "accepted_at": TIME,
        "payment_status": enum(PAYMENT_STATUSES),
        "paid_amount": MONEY_OUT, "lines": {"type": "array", "items": ref("OrderLine")},
        "payment_terms": enum(PAYMENT_TERMS),
        "amount_due": {**MONEY_OUT, "description": "What the buyer still owes for what it "
                                                   "accepted (or ordered, before acceptance), "
                                                   "never below zero."},
        "refund_due": {**MONEY_OUT, "description": "What was paid beyond the accepted value "
                                                   "and not yet refunded."},
        "accepted_total": {"oneOf": [MONEY_OUT, {"type": "null"}],
                           "description": "The accepted value (null before acceptance); "
                                          "`total` keeps what was ordered."},
        "checkout_id": {"type": ["string", "null"],
                        "description": "Shared by the orders one checkout made: they wait for "
                                       "approval, and are approved or rejected, together."}},
        ("id", "number", "status", "purpose", "buyer_organization_id", "budget_unit_id",
         "supplier_id", "total", "created_at", "accepted_at", "payment_status", "paid_amount",
         "lines", "payment_terms", "amount_due", "refund_due")),
    "OrderInput": obj({
        "lines": {"type": "array", "minItems": 1, "maxItems": 100,
                  "items": obj({"product_id": ID, "quantity": QUANTITY,
                                "unit_price": {**MONEY, "description": (
                                    "Optional: the price the buyer saw; when the product's "
                                    "price is no longer this → 409 price_changed.")}},
                               ("product_id", "quantity"))},
        "purpose": enum(PURPOSES),
        "delivery_address": {"oneOf": [
            {"type": "string", "minLength": 1, "maxLength": 300},
            {**ID, "description": "The id of one of your saved delivery addresses."}]},
        "payment_method": enum(PAYMENT_METHODS), "payment_terms": enum(PAYMENT_TERMS),
        "wished_delivery_date": {"type": "string", "format": "date"},
        "invoice_title": {"type": "string", "maxLength": 200},
        "invoice_tax_id": {"type": "string", "maxLength": 40},
        "invoice_kind": {**enum(INVOICE_KINDS), "description": (
            "Optional: ask for each order's invoice now (with invoice_title, invoice_email "
            "and, for special, invoice_tax_id); the supplier issues it after acceptance.")},
        "invoice_email": {"type": "string", "format": "email", "maxLength": 254},
        "checkout_key": {"type": "string", "maxLength": 100,
                         "description": "Optional: the same key never places twice."}},
        ("lines", "purpose", "delivery_address", "payment_method", "payment_terms"),
        example={"lines": [{"product_id": 1, "quantity": 20}], "purpose": "canteen",
                 "delivery_address": "林芝市巴宜区 第一中学食堂",
                 "payment_method": "bank_transfer", "payment_terms": "goods_first"}),
    "ApproveInput": obj({"note": REASON}, description="Optional.",
                        example={"note": "同意采购"}),
    "RejectInput": obj({"reason": {**REASON, "minLength": 1}}, ("reason",),
                       example={"reason": "超出本月预算"}),
    "CancelInput": obj({"reason": REASON}, description="Optional.",
                       example={"reason": "食堂临时停伙"}),
    "OrdersCreated": obj({"orders": {"type": "array", "items": ref("Order")}}, ("orders",),
                         description="One order per supplier."),
    "ShipInput": obj({"carrier": {"type": "string", "minLength": 1, "maxLength": 100},
                      "tracking_number": {"type": "string", "minLength": 1, "maxLength": 100}},
                     ("carrier", "tracking_number"),
                     example={"carrier": "邮政EMS", "tracking_number": "EA123456789CN"}),
    "AcceptInput": obj({"lines": {"type": "array", "maxItems": 100, "items": obj(
        {"line_id": ID, "accepted_quantity": {"type": "integer", "minimum": 0,
                                              "maximum": 1000000}},
        ("line_id", "accepted_quantity"))}, "note": REASON},
        description="Optional: lines left out are accepted in full.",
        example={"lines": [{"line_id": 1, "accepted_quantity": 19}]}),
    "OrderPage": page_of(ref("Order")),
    "BuyAgain": obj({
        "added": {"type": "array", "items": obj({
            "product_name": {"type": "string"}, "quantity": {"type": "integer"},
            "ordered_price": {**MONEY_OUT, "description": "The unit price on the past order."},
            "price": {**MONEY_OUT, "description": "Today's unit price: what the cart charges."},
            "repriced": {"type": "boolean"}},
            ("product_name", "quantity", "ordered_price", "price", "repriced"))},
        "skipped": {"type": "array", "items": obj({
            "product_name": {"type": "string"}, "reason": {"type": "string"}},
            ("product_name", "reason"))}}, ("added", "skipped")),
    "FrequentProduct": obj({
        "product_id": ID, "name": {"type": "string"}, "unit": {"type": "string"},
        "spec": {"type": ["string", "null"]},
        "price": {**MONEY_OUT, "description": "Today's unit price."},
        "stock": {"type": "integer"}, "min_order_qty": {"type": "integer"},
        "supplier_name": {"type": "string"},
        "orders": {"type": "integer", "description": "Orders of the organisation that held "
                                                     "it in the last 12 months."},
        "last_ordered_at": TIME},
        ("product_id", "name", "price", "orders", "last_ordered_at")),
    "FrequentlyBought": list_of(ref("FrequentProduct"),
                                description="Most ordered first, ties by the latest order."),
}

ORDER = [path_param("order_id")]
# action: (summary, roles, body, whether the body may be left out, description)
ACTIONS = {
    "approve": ("Approve a large order", ("unit_manager",), "ApproveInput", True,
                "A unit manager of the buyer unit (or, when it has none, of the nearest unit "
                "above it that has one), for `pending_approval`; approves every "
                "order of the same checkout still waiting."),
    "reject": ("Reject a large order", ("unit_manager",), "RejectInput", False,
               "A unit manager of the buyer unit (or of the nearest unit above it with one), "
               "for `pending_approval`; rejects every "
               "order of the same checkout still waiting, and gives the stock back."),
    "confirm": ("Confirm an order", ("supplier_staff",), None, False, "Its supplier."),
    "ship": ("Ship an order", ("supplier_staff",), "ShipInput", False,
             "Its supplier. A `pay_first` order not yet paid → 409 `payment_required`."),
    "accept": ("Accept the delivery (验收)", ("purchaser", "unit_manager"), "AcceptInput", True,
               "Its buyer. Without `lines`, everything shipped is accepted."),
    "restock": ("Put refused quantities back in stock", ("supplier_staff",), None, False,
                "Its supplier, once, after an acceptance that refused some quantities; the "
                "timeline keeps who did it and how many. Nothing refused, or already done → "
                "409."),
    "cancel": ("Cancel an order before shipping",
               ("purchaser", "unit_manager", "supplier_staff", "admin"), "CancelInput", True,
               "Its buyer (or its supplier, or an admin), before shipping; gives the stock "
               "back."),
}

OPERATIONS = [
    ("/orders", "post", operation(
        "orders", "Place orders (one per supplier)", module="orders", roles=("purchaser",),
        body=ref("OrderInput"), ok=201, answer=ref("OrdersCreated"), errors=(404, 409),
        description="Bound to the purchaser's organisation (a union's to its budget unit too). "
                    "Not enough stock → 409 and nothing is created; a line's `unit_price` that "
                    "is no longer the product's price → 409 `price_changed`, with the current "
                    "prices in `error.prices`, and nothing is created; a product not on sale "
                    "(its supplier or certification suspended, paused, taken down) → 409 "
                    "`product_unavailable`, nothing created; an unknown saved delivery "
                    "address → 404. Over the unit's approval threshold (the checkout's total, "
                    "across its orders) every order waits for approval.")),
    ("/orders", "get", operation(
        "orders", "List the orders you may see", module="orders",
        params=[query_param("status", enum(ORDER_STATUSES)), *PAGE_PARAMS],
        answer=ref("OrderPage"))),
    ("/orders/{order_id}", "get", operation(
        "order", "Read an order", module="orders", params=ORDER, answer=ref("Order"),
        description="Its buyer, its supplier, admins and auditors in scope.")),
    *((f"/orders/{{order_id}}/{action}", "post", operation(
        f"order_{action}", summary, module="orders", roles=roles, params=ORDER,
        body=ref(body) if body else None, optional_body=optional, answer=ref("Order"),
        errors=(409,), description=text))
      for action, (summary, roles, body, optional, text) in ACTIONS.items()),
    ("/orders/{order_id}/buy-again", "post", operation(
        "order_buy_again", "Buy a past order again", module="reorder", roles=("purchaser",),
        params=ORDER, answer=ref("BuyAgain"),
        description="A purchaser of the order's organisation. Each line still on sale goes "
                    "into the cart in the quantity ordered (at most the stock left) at "
                    "today's price; the others are listed with why.")),
    ("/frequently-bought", "get", operation(
        "frequently_bought", "The organisation's frequently bought products", module="reorder",
        roles=("purchaser",), answer=ref("FrequentlyBought"),
        description="The products the purchaser's organisation ordered most often in the last "
                    "12 months (cancelled and rejected orders left out), still on sale, at "
                    "today's price; at most 8.")),
]
