"""After-sales (aftersales.py, 售后): returns and complaints on accepted order lines."""
from marketplace.api.contract.shapes import (ID, QUANTITY, TEXT, TIME, enum, obj, operation,
                                             path_param, ref)

BUYERS = ("purchaser", "unit_manager")
REASON = {"type": "string", "minLength": 1, "maxLength": 500}
STATUSES = ("open", "answered", "escalated", "agreed", "closed")

SCHEMAS = {
    "AfterSaleCase": obj({
        "id": {"type": "integer"}, "order_id": {"type": "integer"},
        "line_id": {"type": "integer"}, "kind": enum(("return", "complaint")),
        "quantity": {"type": "integer"}, "reason": {"type": "string"},
        "status": enum(STATUSES), "answer": {"type": ["string", "null"]},
        "decision_note": {"type": ["string", "null"]}, "opened_at": TIME, "closed_at": TIME},
        ("id", "order_id", "line_id", "kind", "quantity", "status")),
    "AfterSaleOpen": obj({"line_id": ID, "kind": enum(("return", "complaint")),
                          "quantity": QUANTITY, "reason": REASON},
                         ("line_id", "kind", "quantity", "reason"), extra=False,
                         example={"line_id": 12, "kind": "return", "quantity": 1,
                                  "reason": "到货后发现变质"}),
    "AfterSaleAgree": obj({"transfer_reference": TEXT}, extra=False,
                          example={"transfer_reference": "TR20261205001"}),
    "AfterSaleAnswer": obj({"answer": REASON}, ("answer",), extra=False,
                           example={"answer": "称重单据齐全，数量无误"}),
    "AfterSaleArbitrate": obj({"for_buyer": {"type": "boolean"}, "note": REASON},
                              ("for_buyer", "note"), extra=False,
                              example={"for_buyer": True, "note": "照片显示商品变质"}),
}

CASE = [path_param("case_id")]

OPERATIONS = [
    ("/orders/{order_id}/after-sales", "post", operation(
        "openAfterSale", "Open a return or complaint on an accepted line", module="aftersales",
        roles=BUYERS, params=[path_param("order_id")], body=ref("AfterSaleOpen"), ok=201,
        answer=ref("AfterSaleCase"), errors=(404, 409),
        description="Within AFTER_SALES_DAYS of acceptance; the quantity at most the accepted "
                    "quantity less earlier returns.")),
    ("/after-sales/{case_id}", "get", operation(
        "afterSale", "One after-sales case", module="aftersales", params=CASE,
        answer=ref("AfterSaleCase"), errors=(403, 404))),
    ("/after-sales/{case_id}/agree", "post", operation(
        "agreeAfterSale", "The supplier agrees", module="aftersales", roles=("supplier_staff",),
        params=CASE, body=ref("AfterSaleAgree"), optional_body=True,
        answer=ref("AfterSaleCase"), errors=(404, 409),
        description="A return is refunded through the refund rules and its goods go back "
                    "to stock.")),
    ("/after-sales/{case_id}/answer", "post", operation(
        "answerAfterSale", "The supplier disagrees, with a reason", module="aftersales",
        roles=("supplier_staff",), params=CASE, body=ref("AfterSaleAnswer"),
        answer=ref("AfterSaleCase"), errors=(404, 409))),
    ("/after-sales/{case_id}/escalate", "post", operation(
        "escalateAfterSale", "The buyer asks for arbitration", module="aftersales",
        roles=BUYERS, params=CASE, answer=ref("AfterSaleCase"), errors=(404, 409))),
    ("/after-sales/{case_id}/arbitrate", "post", operation(
        "arbitrateAfterSale", "The admin decides", module="aftersales", roles=("admin",),
        params=CASE, body=ref("AfterSaleArbitrate"), answer=ref("AfterSaleCase"),
        errors=(404, 409))),
]
