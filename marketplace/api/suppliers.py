"""A supplier's own certifications over the JSON API: apply for origin counties with documents
(as the supplier's certification page does), and follow each application's status."""

from flask import jsonify

from marketplace.accounts.models import Organization
from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, require_auth, uploaded_file
from marketplace.catalog import services
from marketplace.catalog.schemas import certification_json
from marketplace.errors import NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db


def _supplier(organization_id, user):
    """The supplier of the path, for its own staff or an admin.

    :raises NotFound: no such supplier. :raises PermissionDenied: another supplier's staff.
    """
    supplier = db.session.get(Organization, organization_id)
    if supplier is None or supplier.kind != "supplier":
        raise NotFound("No such supplier.")
    if user.role != "admin" and user.organization_id != supplier.id:
        raise PermissionDenied("Only this supplier's staff (or an admin) may do this.",
                               code="forbidden")
    return supplier


def _documents(body):
    """The documents of an application, decoded into uploads the catalog services check.

    :raises ValidationError: not a list of {"filename", "content"} with base64 content.
    """
    uploads = []
    for index, document in enumerate(body["documents"]):
        uploads.append(uploaded_file(document, f"documents[{index}]", "document",
                                     field_name="documents"))
    return uploads


@bp.get("/suppliers/<int:organization_id>/certifications")
@require_auth("supplier_staff", "admin")
def list_certifications_endpoint(organization_id):
    supplier = _supplier(organization_id, api_user())
    items = [certification_json(cert) for cert in services.certifications_of(supplier)]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/suppliers/<int:organization_id>/certification-applications")
@require_auth("supplier_staff")
def apply_for_certification_endpoint(organization_id):
    """The supplier applies for origin counties; each waits (pending) for the admin."""
    user = api_user()
    _supplier(organization_id, user)
    body = read_body()
    codes = body["region_codes"]
    if not all(isinstance(code, str) for code in codes):
        raise ValidationError("'region_codes' must be a list of region codes.",
                              fields={"region_codes": "expected list of str"})
    certifications = services.apply_for_certification(user, codes, _documents(body))
    items = [certification_json(cert) for cert in certifications]
    return jsonify({"items": items, "total": len(items)}), 201
