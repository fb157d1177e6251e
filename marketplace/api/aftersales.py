"""JSON API: after-sales cases (售后) on the payments services."""
from flask import jsonify, send_file

from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, require_auth, uploaded_file
from marketplace.api.steps import steps_of
from marketplace.ordering.services import get_order
from marketplace.payments.schemas import aftersale_json
from marketplace.payments.services import aftersales

BUYERS = ("purchaser", "unit_manager")
# POST /after-sales/<id>/<step>: done to a case the user may see, answered with the case.
case_step = steps_of(__name__, "/after-sales/<int:case_id>", aftersales.get_case,
                     aftersale_json)


@bp.post("/orders/<int:order_id>/after-sales")
@require_auth(*BUYERS)
def api_open_after_sale(order_id):
    user, body = api_user(), read_body()
    photos = [uploaded_file(item, "photos", "photo") for item in body.pop("photos", [])]
    case = aftersales.open_case(get_order(order_id, user), user, photos=photos, **body)
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


@case_step("agree", "supplier_staff")
def api_agree_after_sale(case, user):
    aftersales.agree(case, user, **read_body())


@case_step("answer", "supplier_staff")
def api_answer_after_sale(case, user):
    aftersales.answer(case, user, read_body()["answer"])


case_step("escalate", *BUYERS)(aftersales.escalate)


@case_step("arbitrate", "admin")
def api_arbitrate_after_sale(case, user):
    aftersales.arbitrate(case, user, **read_body())
