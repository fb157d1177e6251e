"""After-sales (aftersales.py, 售后): returns and complaints on accepted order lines."""
from marketplace.api.contract.shapes import (ID, QUANTITY, TEXT, TIME, enum, files, obj,
                                             operation, path_param, ref)
from marketplace.payments.models import AFTER_SALE_KINDS, AFTER_SALE_STATUSES
from marketplace.payments.services.aftersales import MAX_PHOTOS

BUYERS = ("purchaser", "unit_manager")
REASON = {"type": "string", "minLength": 1, "maxLength": 500}
PHOTO = obj({"filename": {"type": "string"},
             "content": {"type": "string", "contentEncoding": "base64",
                         "description": "A JPEG, PNG or WebP image (re-encoded when stored)."}},
            ("filename", "content"), extra=False)

SCHEMAS = {
    "AfterSaleCase": obj({
        "id": {"type": "integer"}, "order_id": {"type": "integer"},
        "line_id": {"type": "integer"}, "kind": enum(AFTER_SALE_KINDS),
        "quantity": {"type": "integer"}, "reason": {"type": "string"},
        "status": enum(AFTER_SALE_STATUSES), "answer": {"type": ["string", "null"]},
        "decision_note": {"type": ["string", "null"]}, "opened_at": TIME, "closed_at": TIME,
        "photos": {"type": "array", "items": {"type": "string"},
                   "description": "Where each photo is downloaded (GET, same token)."}},
        ("id", "order_id", "line_id", "kind", "quantity", "status", "photos")),
    "AfterSaleOpen": obj({"line_id": ID, "kind": enum(AFTER_SALE_KINDS),
                          "quantity": QUANTITY, "reason": REASON,
                          "photos": {"type": "array", "items": PHOTO, "maxItems": MAX_PHOTOS}},
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
    ("/after-sales/{case_id}/photos/{photo_id}", "get", operation(
        "afterSalePhoto", "One photo of an after-sales case", module="aftersales",
        params=CASE + [path_param("photo_id")], media=files("image/jpeg", "image/png"),
        errors=(403, 404))),
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
