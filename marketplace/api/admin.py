"""Admin endpoints: the region registry, organisations and users."""
from flask import jsonify, request

from marketplace.accounts.models import Organization
from marketplace.accounts.schemas import organization_json, user_json
from marketplace.accounts.services import (admin_create_organization, change_organization_status,
                                           create_user)
from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, paginate, require_auth
from marketplace.errors import Conflict, NotFound, ValidationError
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.regions.schemas import region_json
from marketplace.regions.services import get_region, save_region


def _save_region(code, body):
    """The region `code` saved as the body describes it."""
    _limited(body, "name", 80)
    _limited(body, "name_en", 120)
    return save_region(api_user(), code, body["name"], parent_code=body.get("parent_code") or None,
                       aided=body.get("aided", False), name_en=body.get("name_en"))


@bp.post("/regions")
@require_auth("admin")
def create_region():
    body = read_body()
    if db.session.get(Region, body["code"].strip()) is not None:
        raise Conflict("A region with this code exists; PUT /regions/{code} edits it.",
                       code="duplicate", fields={"code": "taken"})
    region = _save_region(body["code"], body)
    return jsonify(region_json(region)), 201


@bp.put("/regions/<code>")
@require_auth("admin")
def update_region(code):
    region = _save_region(get_region(code).code, read_body())
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


def _limited(body, name, max_length):
    """The body's `name`, if sent, of at most `max_length` characters.

    :raises ValidationError: too long.
    """
    value = body.get(name)
    if value is not None and len(value) > max_length:
        raise ValidationError(f"'{name}' is too long (at most {max_length} characters).",
                              fields={name: "too_long"})
    return value


@bp.post("/organizations")
@require_auth("admin")
def create_organization_endpoint():
    body = read_body()
    org = admin_create_organization(
        api_user(), body.pop("name"), body.pop("kind"), body.pop("region_code"),
        parent=body.pop("parent_id", None), budget_unit=body.pop("budget_unit_id", None), **body)
    return jsonify(organization_json(org)), 201


@bp.post("/users")
@require_auth("admin")
def create_user_endpoint():
    body = read_body()
    organization = db.session.get(Organization, body["organization_id"])
    if organization is None:
        raise ValidationError("'organization_id' names no organisation.",
                              fields={"organization_id": "unknown"})
    user = create_user(_limited(body, "email", 254), _limited(body, "password", 1024),
                       body["name"], organization, body["role"], actor=api_user())
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
    body = read_body()
    org = change_organization_status(api_user(), org, body["status"],
                                     _limited(body, "reason", 500))
    return jsonify(organization_json(org))
