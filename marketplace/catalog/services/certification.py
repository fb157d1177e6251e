"""Supplier certification: a supplier applies, with documents, to sell from origin counties;
the admin approves, rejects or suspends (suspending pauses the county's listings)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from marketplace.audit.services import record
from marketplace.catalog import uploads
from marketplace.catalog.models import (
    CertificationEvent, Product, SupplierCertification, SupplierDocument)
from marketplace.catalog.services.common import (
    require_admin, platform_admins, require_county, require_supplier_staff, supplier_users)
from marketplace.errors import FieldErrors, NotFound, StateError, ValidationError, required_reason
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify
from marketplace.regions.models import Region
from marketplace.timeutil import utcnow

MAX_DOCUMENTS = 5


def _transition(cert, to_status, actor, note=None):
    event = CertificationEvent(certification_id=cert.id, actor_id=getattr(actor, "id", None),
                               from_status=cert.status if cert.id else None,
                               to_status=to_status, note=note)
    cert.events.append(event)
    cert.status = to_status


def _decide(cert, to_status, admin, note, reason=None):
    """The admin's decision: the transition, when it was made, and the reason the supplier
    sees (none once approved)."""
    _transition(cert, to_status, admin, note)
    cert.decided_at = utcnow()
    cert.reason = reason


def apply_for_certification(user, region_codes, documents=()):
    """A supplier applies to be certified for one or more origin counties.

    :param documents: uploaded files (werkzeug FileStorage): PDF or images, at least one.
    :returns: the list of pending SupplierCertification.
    :raises PermissionDenied: the user is not supplier staff.
    :raises ValidationError: no county, an unknown county, no document, a bad document.
    :raises StateError: already certified or pending for one of the counties.
    """
    supplier = require_supplier_staff(user)
    errors = FieldErrors()  # no county and no document are told together
    codes = sorted({str(code).strip() for code in region_codes or () if str(code).strip()})
    if not codes:
        errors.add(_("请至少选择一个产地县（区）。"), "region_codes", "required")
    regions = [region for region in (errors.check(require_county, code, "region_codes")
                                     for code in codes) if region is not None]
    documents = [doc for doc in documents or () if doc and getattr(doc, "filename", "")]
    if not documents:
        errors.add(_("请上传营业执照等证明材料。"), "documents", "required")
    elif len(documents) > MAX_DOCUMENTS:
        errors.add(_("最多上传 %(n)s 个文件。", n=MAX_DOCUMENTS), "documents", "too_many")
    errors.raise_any()
    existing = {cert.region_code: cert for cert in SupplierCertification.query.filter(
        SupplierCertification.supplier_id == supplier.id,
        SupplierCertification.region_code.in_(codes))}
    for region in regions:
        cert = existing.get(region.code)
        if cert is not None and cert.status in ("pending", "approved"):
            raise StateError(_("%(county)s 的认证已在审核中或已通过。", county=region.name))
    stored = []
    try:
        for upload in documents:
            stored.append(uploads.save_document(upload))
    except ValidationError:
        uploads.remove(*(item["stored_name"] for item in stored))
        raise
    for item in stored:
        document = SupplierDocument(supplier_id=supplier.id, uploaded_by_id=user.id, **item)
        db.session.add(document)
        db.session.flush()
        record("supplier_document.upload", document, actor=user,
               detail={"name": item["original_name"], "size": item["size"]})
    certifications = []
    for region in regions:
        cert = existing.get(region.code)
        if cert is None:
            cert = SupplierCertification(supplier_id=supplier.id, region_code=region.code,
                                         status="pending")
            db.session.add(cert)
            db.session.flush()
            cert.events.append(CertificationEvent(actor_id=user.id, from_status=None,
                                                  to_status="pending", note=_("提交申请")))
        else:
            _transition(cert, "pending", user, _("重新提交申请"))
            cert.applied_at = utcnow()
            cert.decided_at = None
        certifications.append(cert)
        db.session.flush()
        record("certification.apply", cert, actor=user, detail={"region_code": region.code})
    notify(platform_admins(), "certification.applied",
           _l("%(supplier)s 申请产地认证，等待审核。", supplier=supplier.name),
           link="/admin/catalog/certifications", email=False)
    return certifications


def get_certification(cert_id):
    """:raises NotFound: no such certification."""
    cert = db.session.get(SupplierCertification, cert_id)
    if cert is None:
        raise NotFound(_("认证申请不存在。"))
    return cert


def approve_certification(admin, cert, note=None):
    """The admin approves a pending (or reinstates a suspended) certification.

    :raises PermissionDenied: not an admin. :raises StateError: it is not pending or suspended.
    """
    require_admin(admin)
    if cert.status not in ("pending", "suspended"):
        raise StateError(_("只能批准待审核或已暂停的认证。"))
    _decide(cert, "approved", admin, note or _("审核通过"))
    db.session.flush()
    record("certification.approve", cert, actor=admin, detail={"region_code": cert.region_code})
    notify(supplier_users(cert.supplier), "certification.approved",
           _l("您在 %(county)s 的产地认证已通过。", county=cert.region.name),
           link="/supplier/certifications")
    return cert


def _reasoned(admin, cert, reason, missing, expected, refusal):
    """The checks of an admin's decision that needs a reason; returns the cleaned reason.

    :raises ValidationError: no reason (`missing`). :raises StateError: the certification is
        not `expected` (`refusal`).
    """
    require_admin(admin)
    reason = required_reason(reason, missing)
    if cert.status != expected:
        raise StateError(refusal)
    return reason


def reject_certification(admin, cert, reason):
    """The admin rejects a pending application with a reason the supplier sees.

    :raises ValidationError: no reason. :raises StateError: it is not pending.
    """
    reason = _reasoned(admin, cert, reason, _("请填写驳回原因。"), "pending",
                       _("只能驳回待审核的认证。"))
    _decide(cert, "rejected", admin, reason, reason)
    db.session.flush()
    record("certification.reject", cert, actor=admin, detail={"reason": reason})
    notify(supplier_users(cert.supplier), "certification.rejected",
           _l("您在 %(county)s 的产地认证被驳回：%(reason)s", county=cert.region.name, reason=reason),
           link="/supplier/certifications")
    return cert


def suspend_certification(admin, cert, reason):
    """The admin suspends an approved certification: the county's listings leave sale at once
    (availability.on_sale reads the certification) and come back when it is approved again.

    :raises ValidationError: no reason. :raises StateError: it is not approved.
    """
    reason = _reasoned(admin, cert, reason, _("请填写暂停原因。"), "approved",
                       _("只能暂停已通过的认证。"))
    _decide(cert, "suspended", admin, reason, reason)
    db.session.flush()
    affected = [product_id for (product_id,) in db.session.query(Product.id).filter_by(
        supplier_id=cert.supplier_id, origin_region_code=cert.region_code, status="active")]
    record("certification.suspend", cert, actor=admin,
           detail={"reason": reason, "off_sale_products": affected})
    notify(supplier_users(cert.supplier), "certification.suspended",
           _l("您在 %(county)s 的产地认证已被暂停：%(reason)s", county=cert.region.name, reason=reason),
           link="/supplier/certifications")
    return cert


def certify_supplier(admin, supplier, region_code):
    """The admin certifies a supplier for a county at once (the API's certification endpoint).

    :raises NotFound: `supplier` is not a supplier organisation.
    :raises ValidationError: not a county.
    """
    require_admin(admin)
    if supplier is None or supplier.kind != "supplier":
        raise NotFound(_("供应商不存在。"))
    region = require_county(region_code, "origin_region_code")
    cert = SupplierCertification.query.filter_by(supplier_id=supplier.id,
                                                 region_code=region.code).first()
    if cert is not None and cert.status == "approved":
        return cert
    if cert is None:
        cert = SupplierCertification(supplier_id=supplier.id, region_code=region.code,
                                     status="approved")
        db.session.add(cert)
        db.session.flush()
        cert.events.append(CertificationEvent(actor_id=admin.id, to_status="approved",
                                              note=_("管理员直接认证")))
    else:
        _transition(cert, "approved", admin, _("管理员直接认证"))
    cert.decided_at = utcnow()
    cert.reason = None
    db.session.flush()
    record("certification.approve", cert, actor=admin,
           detail={"region_code": region.code, "direct": True})
    return cert


def is_certified(supplier, region_code):
    """Whether `supplier` holds an approved certification for the origin county `region_code`."""
    if supplier is None or not region_code:
        return False
    supplier_id = supplier if isinstance(supplier, int) else supplier.id
    return db.session.query(SupplierCertification.query.filter_by(
        supplier_id=supplier_id, region_code=str(region_code), status="approved").exists()).scalar()


def certified_counties(supplier):
    """The Regions `supplier` is certified for, by code."""
    joined = SupplierCertification.region_code == Region.code
    return (Region.query.join(SupplierCertification, joined)
            .filter(SupplierCertification.supplier_id == supplier.id,
                    SupplierCertification.status == "approved")
            .order_by(Region.code).all())


def certifications_of(supplier):
    """Every certification of a supplier with its history (newest application first)."""
    return (SupplierCertification.query.filter_by(supplier_id=supplier.id)
            .options(selectinload(SupplierCertification.events),
                     joinedload(SupplierCertification.region))
            .order_by(SupplierCertification.applied_at.desc()).all())


def documents_of(supplier):
    """The documents a supplier uploaded, newest first."""
    return (SupplierDocument.query.filter_by(supplier_id=supplier.id)
            .order_by(SupplierDocument.id.desc()).all())


def certification_queue(status="pending"):
    """Certifications in `status` for the admin's review queue, oldest first."""
    query = SupplierCertification.query.options(joinedload(SupplierCertification.supplier),
                                                joinedload(SupplierCertification.region))
    if status:
        query = query.filter(SupplierCertification.status == status)
    return query.order_by(SupplierCertification.applied_at).all()


def document_for(user, stored_name):
    """The SupplierDocument `user` may open: its own supplier's, or any for the admin.

    :raises NotFound: unknown, or not the user's to see.
    """
    document = SupplierDocument.query.filter_by(stored_name=stored_name).first()
    if document is None or user is None or not user.is_authenticated or not (
            user.role == "admin" or user.organization_id == document.supplier_id):
        raise NotFound(_("文件不存在。"))
    return document
