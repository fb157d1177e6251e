"""JSON API: after-sales cases (售后) on the payments services."""
from flask import jsonify, send_file

from marketplace.api import bp
from marketplace.api.core import api_user, field, json_body, require_auth, uploaded_file
from marketplace.ordering.services import get_order
from marketplace.payments.schemas import aftersale_json
from marketplace.payments.services import aftersales

BUYERS = ("purchaser", "unit_manager")


@bp.post("/orders/<int:order_id>/after-sales")
@require_auth(*BUYERS)
def api_open_after_sale(order_id):
    user, data = api_user(), json_body()
    photos = [uploaded_file(item, "photos", "photo")
              for item in field(data, "photos", "list", required=False, default=[])]
    case = aftersales.open_case(get_order(order_id, user), user, field(data, "line_id", "int"),
                                field(data, "kind", "str"), field(data, "quantity", "int"),
                                field(data, "reason", "str"), photos)
    return jsonify(aftersale_json(case)), 201


@bp.get("/after-sales/<int:case_id>")
@require_auth()
def api_after_sale(case_id):
    return jsonify(aftersale_json(aftersales.get_case(case_id, api_user())))


@bp.get("/after-sales/<int:case_id>/photos/<int:photo_id>")
@require_auth()
def api_after_sale_photo(case_id, photo_id):
    case = aftersales.get_case(case_id, api_user())
    return send_file(aftersales.case_photo(case, photo_id), max_age=0)


@bp.post("/after-sales/<int:case_id>/agree")
@require_auth("supplier_staff")
def api_agree_after_sale(case_id):
    user = api_user()
    data = json_body(optional=True)
    case = aftersales.agree(aftersales.get_case(case_id, user), user, field(
        data, "transfer_reference", "str", required=False))
    return jsonify(aftersale_json(case))


@bp.post("/after-sales/<int:case_id>/answer")
@require_auth("supplier_staff")
def api_answer_after_sale(case_id):
    user, data = api_user(), json_body()
    case = aftersales.answer(aftersales.get_case(case_id, user), user, field(data, "answer", "str"))
    return jsonify(aftersale_json(case))


@bp.post("/after-sales/<int:case_id>/escalate")
@require_auth(*BUYERS)
def api_escalate_after_sale(case_id):
    user = api_user()
    return jsonify(aftersale_json(aftersales.escalate(aftersales.get_case(case_id, user), user)))


@bp.post("/after-sales/<int:case_id>/arbitrate")
@require_auth("admin")
def api_arbitrate_after_sale(case_id):
    user, data = api_user(), json_body()
    case = aftersales.arbitrate(aftersales.get_case(case_id, user), user,
                                field(data, "for_buyer", "bool"), field(data, "note", "str"))
    return jsonify(aftersale_json(case))
