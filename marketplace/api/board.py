"""The village board API: villages, needs published by cooperatives and the admin, enterprises'
answers and the conversations they open (readable by their two sides and the admin)."""
from flask import jsonify, request

from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, paginate, require_auth
from marketplace.errors import ValidationError
from marketplace.pairings import services
from marketplace.pairings.models import NEED_KINDS, NEED_STATUSES, Pairing, VillageNeed
from marketplace.pairings.schemas import conversation_json, need_json, village_json
from marketplace.timeutil import to_cst, utcnow

TALKING_ROLES = ("purchaser", "supplier_staff", "admin")


def _region():
    """?county=: a region code or prefix (a malformed one is 422)."""
    value = (request.args.get("county") or "").strip()
    if value and (not value.isdigit() or not 2 <= len(value) <= 6):
        raise ValidationError("county must be a region code or prefix.",
                              fields={"county": "invalid"})
    return value or None


@bp.get("/villages")
@require_auth()
def list_villages():
    """Villages by county and name, each with how many enterprises pair with it this year."""
    query = services.villages_query(_region(), (request.args.get("q") or "").strip() or None)
    year = to_cst(utcnow()).year

    def serialize(village):
        partners = Pairing.query.filter_by(village_id=village.id, year=year,
                                           status="active").count()
        return village_json(village, partners)

    return jsonify(paginate(query, serialize))


@bp.post("/villages")
@require_auth("admin")
def create_village():
    village = services.add_village(api_user(), **read_body())
    return jsonify(village_json(village, 0)), 201


@bp.get("/village-needs")
@require_auth()
def list_needs():
    kind = request.args.get("kind") or None
    if kind is not None and kind not in NEED_KINDS:
        raise ValidationError("kind must be product or project.", fields={"kind": "invalid"})
    status = request.args.get("status") or "open"
    if status not in NEED_STATUSES:
        raise ValidationError("status must be open or closed.", fields={"status": "invalid"})
    village_id = request.args.get("village_id")
    if village_id is not None and not village_id.isdigit():
        raise ValidationError("village_id must be an integer.", fields={"village_id": "integer"})
    query = services.needs_query(region=_region(), kind=kind,
                                 village_id=int(village_id) if village_id else None,
                                 include_closed=True).filter(VillageNeed.status == status)
    return jsonify(paginate(query, need_json))


@bp.post("/village-needs")
@require_auth("supplier_staff", "admin")
def publish_need():
    body = read_body()
    need = services.publish_need(api_user(), body.pop("village"), **body)
    return jsonify(need_json(need)), 201


@bp.get("/village-needs/<int:need_id>")
@require_auth()
def get_need(need_id):
    return jsonify(need_json(services.get_need(need_id)))


@bp.post("/village-needs/<int:need_id>/close")
@require_auth("supplier_staff", "admin")
def close_need(need_id):
    need = services.close_need(api_user(), services.get_need(need_id))
    return jsonify(need_json(need))


@bp.post("/village-needs/<int:need_id>/answers")
@require_auth("purchaser")
def answer_need(need_id):
    """An enterprise answers: the conversation with the publisher opens (201)."""
    need = services.get_need(need_id)
    conversation = services.answer_need(api_user(), need, read_body()["body"])
    return jsonify(conversation_json(conversation)), 201


@bp.get("/conversations")
@require_auth(*TALKING_ROLES)
def list_conversations():
    return jsonify(paginate(services.conversations_of(api_user()),
                            conversation_json))


@bp.get("/conversations/<int:conversation_id>")
@require_auth(*TALKING_ROLES)
def get_conversation(conversation_id):
    conversation = services.get_conversation(conversation_id, api_user())
    return jsonify(conversation_json(conversation))


@bp.post("/conversations/<int:conversation_id>/messages")
@require_auth(*TALKING_ROLES)
def post_message(conversation_id):
    conversation = services.get_conversation(conversation_id, api_user())
    services.post_message(api_user(), conversation, read_body()["body"])
    return jsonify(conversation_json(conversation)), 201
