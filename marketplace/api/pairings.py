"""万企兴万村 API: pairings (the admin creates, approves, rejects and ends; an enterprise asks),
their progress and the order lines behind it, and the rural-revitalisation view with its
exports. The village board is in board.py."""
from flask import jsonify, request

from marketplace.api import bp
from marketplace.api.core import api_user, field, json_body, page_args, require_auth
from marketplace.errors import ValidationError
from marketplace.pairings import services
from marketplace.pairings.models import PAIRING_STATUSES, Pairing, Village
from marketplace.pairings.schemas import line_json, overview_json, pairing_json, progress_json
from marketplace.reports import pairings as pairing_exports


def _pairing_body(pairing):
    state = services.progress_map([pairing])[pairing.id]
    return pairing_json(pairing, state)


@bp.post("/pairings")
@require_auth("admin")
def create_pairing():
    data = json_body()
    pairing = services.create_pairing(
        api_user(), field(data, "enterprise_id", "int"), field(data, "village", "str"),
        field(data, "county_code", "str"), field(data, "supplier_ids", "list"),
        field(data, "year", "int"), field(data, "target_amount", "money"),
        field(data, "projects", "list", required=False))
    return jsonify(_pairing_body(pairing)), 201


@bp.post("/pairings/requests")
@require_auth("purchaser")
def request_pairing():
    data = json_body()
    village = services.get_village(field(data, "village_id", "int"))
    pairing = services.request_pairing(
        api_user(), village, field(data, "supplier_ids", "list"), field(data, "year", "int"),
        field(data, "target_amount", "money"), field(data, "projects", "list", required=False),
        field(data, "note", "str", required=False))
    return jsonify(_pairing_body(pairing)), 201


def _int_arg(name):
    value = request.args.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError(f"'{name}' must be an integer.", fields={name: "integer"}) from None


@bp.get("/pairings")
@require_auth(*services.READER_ROLES)
def list_pairings():
    user = api_user()
    query = services.visible_pairings(user)
    year = _int_arg("year")
    if year is not None:
        query = query.filter(Pairing.year == services.check_year(year))
    prefix = services.region_scope(user, request.args.get("county"))
    if prefix:
        query = query.filter(Village.county_code.like(f"{prefix}%"))
    enterprise_id = _int_arg("enterprise_id")
    if enterprise_id is not None:
        query = query.filter(Pairing.enterprise_id == enterprise_id)
    status = request.args.get("status")
    if status:
        if status not in PAIRING_STATUSES:
            raise ValidationError("Unknown status.", fields={"status": "invalid"})
        query = query.filter(Pairing.status == status)
    page, per_page = page_args()
    total = query.order_by(None).count()
    items = query.order_by(Pairing.year.desc(), Pairing.id).limit(per_page) \
        .offset((page - 1) * per_page).all()
    progress = services.progress_map(items)
    return jsonify({"items": [pairing_json(p, progress[p.id]) for p in items],
                    "page": page, "per_page": per_page, "total": total})


@bp.get("/pairings/<int:pairing_id>")
@require_auth(*services.READER_ROLES)
def get_pairing(pairing_id):
    return jsonify(_pairing_body(services.get_pairing(pairing_id, api_user())))


@bp.get("/pairings/<int:pairing_id>/lines")
@require_auth(*services.READER_ROLES)
def pairing_lines(pairing_id):
    """The order lines behind the pairing's purchased amount (their `counted` sum to it)."""
    pairing = services.get_pairing(pairing_id, api_user())
    lines = services.pairing_lines(pairing)
    page, per_page = page_args()
    start = (page - 1) * per_page
    state = services.progress_map([pairing])[pairing.id]
    return jsonify({"items": [line_json(line)
                              for line in lines[start:start + per_page]],
                    "page": page, "per_page": per_page, "total": len(lines),
                    "purchased": progress_json(state)["purchased"]})


def _reason():
    return field(json_body(), "reason", "str")


@bp.post("/pairings/<int:pairing_id>/approve")
@require_auth("admin")
def approve_pairing(pairing_id):
    pairing = services.get_pairing(pairing_id, api_user())
    return jsonify(_pairing_body(services.approve_pairing(api_user(), pairing)))


@bp.post("/pairings/<int:pairing_id>/reject")
@require_auth("admin")
def reject_pairing(pairing_id):
    pairing = services.get_pairing(pairing_id, api_user())
    return jsonify(_pairing_body(services.reject_pairing(api_user(), pairing, _reason())))


@bp.post("/pairings/<int:pairing_id>/end")
@require_auth("admin")
def end_pairing(pairing_id):
    pairing = services.get_pairing(pairing_id, api_user())
    return jsonify(_pairing_body(services.end_pairing(api_user(), pairing, _reason())))


@bp.get("/revitalisation/<int:year>")
@require_auth(*services.OVERVIEW_ROLES)
def revitalisation(year):
    """Every pairing of the year in scope by county and village, target against purchased,
    the enterprises behind their pace, the villages without a partner."""
    view = services.overview(api_user(), year, request.args.get("county"))
    return jsonify(overview_json(view))


@bp.get("/revitalisation/<int:year>/report.<fmt>")
@require_auth(*services.OVERVIEW_ROLES)
def revitalisation_report(year, fmt):
    """The revitalisation rows as csv or xlsx, with Chinese headers (or `?header=keys`)."""
    return pairing_exports.pairing_export(api_user(), year, fmt, request.args)
