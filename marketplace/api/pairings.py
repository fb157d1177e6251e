"""万企兴万村 API: pairings (the admin creates, approves, rejects and ends; an enterprise asks),
their progress and the order lines behind it, and the rural-revitalisation view with its
exports. The village board is in board.py."""
from flask import jsonify, request

from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, page_args, require_auth
from marketplace.api.steps import steps_of
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
    pairing = services.create_pairing(api_user(), **read_body())
    return jsonify(_pairing_body(pairing)), 201


@bp.post("/pairings/requests")
@require_auth("purchaser")
def request_pairing():
    body = read_body()
    village = services.get_village(body.pop("village_id"))
    pairing = services.request_pairing(api_user(), village, **body)
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


# POST /pairings/<id>/<step>: the admin's decision on a pairing, answered with the pairing.
pairing_step = steps_of(__name__, "/pairings/<int:pairing_id>", services.get_pairing,
                        _pairing_body)


@pairing_step("approve", "admin")
def approve_pairing(pairing, user):
    services.approve_pairing(user, pairing)


@pairing_step("reject", "admin")
def reject_pairing(pairing, user):
    services.reject_pairing(user, pairing, read_body()["reason"])


@pairing_step("end", "admin")
def end_pairing(pairing, user):
    services.end_pairing(user, pairing, read_body()["reason"])


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
