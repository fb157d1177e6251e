"""Payments (payments.py): paying an order by Stripe or bank transfer, the supplier confirming a
transfer, refunds on an order line."""
from marketplace.api.contract.shapes import (ID, MONEY, MONEY_OUT, TIME, TIME_IN, enum, obj,
                                             operation, path_param, ref)
from marketplace.ordering.models import PAYMENT_METHODS

SCHEMAS = {
    "RefundInput": obj({"line_id": ID, "amount": MONEY,
                        "reason": {"type": "string", "minLength": 1, "maxLength": 500},
                        "transfer_reference": {"type": "string", "maxLength": 100,
                                               "description": "For an order paid by bank "
                                                              "transfer: the refund's "
                                                              "transfer reference."}},
                       ("line_id", "amount", "reason"),
                       example={"line_id": 1, "amount": "128.00", "reason": "一斤品相不佳"}),
    "Refund": obj({"id": ID, "order_id": ID, "line_id": ID, "amount": MONEY_OUT,
                   "reason": {"type": ["string", "null"]}, "status": {"type": "string"},
                   "created_at": TIME}, ("id", "amount")),
    "PaymentInput": {"oneOf": [
        obj({"method": enum(["stripe"])}, ("method",),
            description="A Stripe PaymentIntent for what is due."),
        obj({"method": enum(["bank_transfer"]), "amount": MONEY, "transferred_at": TIME_IN,
             "payer_account": {"type": "string", "minLength": 1, "maxLength": 60},
             "reference": {"type": "string", "minLength": 1, "maxLength": 100}},
            ("method", "amount", "transferred_at", "payer_account"),
            description="A bank transfer (对公转账), pending until the supplier confirms it."),
    ], "discriminator": {"propertyName": "method"},
        "example": {"method": "bank_transfer", "amount": "2432.00",
                    "transferred_at": "2026-03-05T10:00:00+08:00",
                    "payer_account": "6222020200112233445", "reference": "林芝一中-松茸"}},
    "Payment": obj({
        "id": ID, "method": enum(PAYMENT_METHODS), "amount": MONEY_OUT,
        "status": {"type": "string"}, "payment_intent_id": {"type": ["string", "null"]},
        "client_secret": {"type": ["string", "null"]}}, ("id", "method", "amount", "status")),
    "OrderPayments": obj({
        "order_id": ID, "payment_status": {"type": "string"},
        "payment_reference": {"type": ["string", "null"]},
        "due_date": {"type": ["string", "null"], "format": "date"},
        "amount_due": MONEY_OUT, "refund_due": MONEY_OUT, "paid_amount": MONEY_OUT,
        "refunded_amount": MONEY_OUT, "items": {"type": "array", "items": ref("Payment")},
        "refunds": {"type": "array", "items": ref("Refund")}},
        ("order_id", "payment_status", "amount_due", "paid_amount", "items")),
    "ConfirmTransferInput": obj({"acknowledge_mismatch": {
        "type": "boolean", "description": "Required (true) when the transfer's amount differs "
                                          "from what was due: the supplier checked that this "
                                          "amount really arrived."}},
        description="Optional when the amount matches what was due.",
        example={"acknowledge_mismatch": True}),
}

ORDER = [path_param("order_id")]

OPERATIONS = [
    ("/orders/{order_id}/refunds", "post", operation(
        "order_refunds", "Refund on an order line", module="payments",
        roles=("supplier_staff", "admin"), params=ORDER, body=ref("RefundInput"), ok=201,
        answer=ref("Refund"), errors=(409, 502),
        description="Up to the line's value: what was paid for it, or, before payment, its "
                    "accepted value (then it lowers what is due); more → 422.")),
    ("/orders/{order_id}/payments", "post", operation(
        "order_payments", "Pay an order (Stripe or bank transfer)", module="payments",
        roles=("purchaser", "unit_manager"), params=ORDER, body=ref("PaymentInput"), ok=201,
        answer=ref("Payment"), errors=(409, 502),
        description="Stripe: a PaymentIntent for what is due; the order is paid when Stripe's "
                    "`payment_intent.succeeded` arrives at /webhooks/stripe. Bank transfer: "
                    "`pending` until the supplier confirms it.")),
    ("/orders/{order_id}/payments", "get", operation(
        "order_payments", "An order's payments, refunds and what is due", module="payments",
        params=ORDER, answer=ref("OrderPayments"),
        description="Anyone who may see the order.")),
    ("/orders/{order_id}/payments/{payment_id}/confirm", "post", operation(
        "payment_confirm", "Confirm a bank transfer (supplier)", module="payments",
        roles=("supplier_staff",), params=[*ORDER, path_param("payment_id")],
        body=ref("ConfirmTransferInput"), optional_body=True, answer=ref("Payment"),
        errors=(409,),
        description="The order is paid when confirmed transfers cover what is due. A transfer "
                    "whose amount differs from what was due → 422 unless the body says "
                    "`\"acknowledge_mismatch\": true`, as the page asks for a tick.")),
]
