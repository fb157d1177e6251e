"""Admin endpoints: the region registry, organisations and users."""
from flask import jsonify, request

from marketplace.accounts.models import Organization
from marketplace.accounts.schemas import organization_json, user_json
from marketplace.accounts.services import (admin_create_organization, change_organization_status,
                                           create_user)
from marketplace.api import bp
from marketplace.api.core import api_user, field, json_body, paginate, require_auth
from marketplace.errors import Conflict, NotFound, ValidationError
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.regions.schemas import region_json
from marketplace.regions.services import get_region, save_region

# The contact fields an organisation may be created with (their sizes are the accounts rules').
OPTIONAL_ORG_TEXT = ("credit_code", "contact_name", "contact_phone", "address")


def _region_fields(data, *, code_required=True):
    code = field(data, "code", "str", required=code_required)
    name = _text(data, "name", 80)
    parent_code = field(data, "parent_code", "str", required=False)
    aided = field(data, "aided", "bool", required=False, default=False)
    name_en = _text(data, "name_en", 120, required=False)
    return code, name, parent_code, aided, name_en


@bp.post("/regions")
@require_auth("admin")
def create_region():
    data = json_body()
    code, name, parent_code, aided, name_en = _region_fields(data)
    if db.session.get(Region, code.strip()) is not None:
        raise Conflict("A region with this code exists; PUT /regions/{code} edits it.",
                       code="duplicate", fields={"code": "taken"})
    region = save_region(api_user(), code, name, parent_code=parent_code or None, aided=aided,
                         name_en=name_en)
    return jsonify(region_json(region)), 201


@bp.put("/regions/<code>")
@require_auth("admin")
def update_region(code):
    region = get_region(code)
    data = json_body()
    _, name, parent_code, aided, name_en = _region_fields(data, code_required=False)
    region = save_region(api_user(), region.code, name, parent_code=parent_code or None,
                         aided=aided, name_en=name_en)
    return jsonify(region_json(region)), 200


@bp.get("/regions")
@require_auth()
def list_regions():
    parent_code = request.args.get("parent_code", "").strip()
    query = Region.query
    if parent_code:
        get_region(parent_code)
        query = query.filter(Region.parent_code == parent_code)
    else:
        query = query.filter(Region.parent_code.is_(None))
    return jsonify(paginate(query.order_by(Region.code), region_json))


def _text(data, name, max_length, *, required=True):
    """A string field of at most `max_length` characters. :raises ValidationError: too long."""
    value = field(data, name, "str", required=required)
    if value is not None and len(value) > max_length:
        raise ValidationError(f"'{name}' is too long (at most {max_length} characters).",
                              fields={name: "too_long"})
    return value


@bp.post("/organizations")
@require_auth("admin")
def create_organization_endpoint():
    data = json_body()
    texts = {name: field(data, name, "str", required=False) for name in OPTIONAL_ORG_TEXT}
    org = admin_create_organization(
        api_user(), field(data, "name", "str"), field(data, "kind", "str"),
        field(data, "region_code", "str"),
        parent=field(data, "parent_id", "int", required=False),
        budget_unit=field(data, "budget_unit_id", "int", required=False),
        approval_threshold=field(data, "approval_threshold", "money", required=False),
        **{name: value for name, value in texts.items() if value is not None})
    return jsonify(organization_json(org)), 201


@bp.post("/users")
@require_auth("admin")
def create_user_endpoint():
    data = json_body()
    organization = db.session.get(Organization, field(data, "organization_id", "int"))
    if organization is None:
        raise ValidationError("'organization_id' names no organisation.",
                              fields={"organization_id": "unknown"})
    user = create_user(_text(data, "email", 254), _text(data, "password", 1024),
                       field(data, "name", "str"), organization, field(data, "role", "str"),
                       actor=api_user())
    return jsonify(user_json(user)), 201


def _organization(org_id):
    org = db.session.get(Organization, org_id)
    if org is None:
        raise NotFound("No such organisation.")
    return org


@bp.get("/organizations/<int:org_id>")
@require_auth("admin")
def get_organization_endpoint(org_id):
    return jsonify(organization_json(_organization(org_id)))


@bp.patch("/organizations/<int:org_id>")
@require_auth("admin")
def update_organization_status_endpoint(org_id):
    """Suspend or reactivate an organisation (or decide a registration), as the console does."""
    org = _organization(org_id)
    data = json_body()
    status = field(data, "status", "str")
    reason = _text(data, "reason", 500, required=False)
    org = change_organization_status(api_user(), org, status, reason)
    return jsonify(organization_json(org))
