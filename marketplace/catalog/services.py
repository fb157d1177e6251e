"""Catalog rules: supplier certification, listings, fair prices, reviews, browsing and search.

Plain functions; they flush and never commit (the request commits once). Every change is
written to the audit trail.
"""
import math
import re
from dataclasses import dataclass, field

from marketplace.catalog.text import _
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts.models import Organization, User
from marketplace.audit.services import record
from marketplace.catalog import search, uploads
from marketplace.catalog.models import (
    LABELS, CertificationEvent, Category, Product, ProductPhoto, ProductSearchTerm,
    ReferencePrice, Review, SupplierCertification, SupplierDocument)
from marketplace.errors import NotFound, PermissionDenied, StateError, ValidationError
from marketplace.extensions import db
from marketplace.money import yuan_to_fen
from marketplace.notifications.services import notify
from marketplace.regions.models import Region, region_prefix
from marketplace.timeutil import utcnow

MAX_PRICE_FEN = 100_000_000      # ¥1,000,000 for one unit of sale is surely a typo
MAX_STOCK = 10_000_000
MAX_MIN_ORDER_QTY = 100_000
MAX_PHOTOS = 8
MAX_DOCUMENTS = 5
FLAG_RATIO_TENTHS = 13           # flagged when price > reference × 1.3
REVIEWABLE_ORDER_STATUSES = ("accepted", "completed")
SORTS = ("relevance", "price_asc", "price_desc", "newest", "best_selling")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --------------------------------------------------------------------------- certification

def _supplier_staff(user, supplier=None):
    """:raises PermissionDenied: `user` is not staff of a supplier (of `supplier` when given)."""
    org = user.organization
    if user.role != "supplier_staff" or org is None or org.kind != "supplier" \
            or (supplier is not None and org.id != supplier.id):
        raise PermissionDenied(_("只有供应商的工作人员可以这样做。"))
    return org


def _admin(user):
    if user is None or user.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以这样做。"))


def _county(code, field_name="region_code"):
    """A county of the registry. :raises ValidationError: unknown, or not a county."""
    region = db.session.get(Region, str(code or "").strip()) if code else None
    if region is None or region.level != 3:
        raise ValidationError(_("请选择一个县（区）。"), fields={field_name: "unknown_county"})
    return region


def _transition(cert, to_status, actor, note=None):
    event = CertificationEvent(certification_id=cert.id, actor_id=getattr(actor, "id", None),
                               from_status=cert.status if cert.id else None,
                               to_status=to_status, note=note)
    cert.events.append(event)
    cert.status = to_status


def _supplier_users(supplier):
    return User.query.filter_by(organization_id=supplier.id, active=True).all()


def _admins():
    return (User.query.join(Organization, User.organization_id == Organization.id)
            .filter(User.role == "admin", User.active.is_(True)).all())


def apply_for_certification(user, region_codes, documents=()):
    """A supplier applies to be certified for one or more origin counties.

    :param documents: uploaded files (werkzeug FileStorage): PDF or images, at least one.
    :returns: the list of pending SupplierCertification.
    :raises PermissionDenied: the user is not supplier staff.
    :raises ValidationError: no county, an unknown county, no document, a bad document.
    :raises StateError: already certified or pending for one of the counties.
    """
    supplier = _supplier_staff(user)
    codes = sorted({str(code).strip() for code in region_codes or () if str(code).strip()})
    if not codes:
        raise ValidationError(_("请至少选择一个产地县（区）。"), fields={"region_codes": "required"})
    regions = [_county(code, "region_codes") for code in codes]
    documents = [doc for doc in documents or () if doc and getattr(doc, "filename", "")]
    if not documents:
        raise ValidationError(_("请上传营业执照等证明材料。"), fields={"documents": "required"})
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationError(_("最多上传 %(n)s 个文件。", n=MAX_DOCUMENTS),
                              fields={"documents": "too_many"})
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
    notify(_admins(), "certification.applied",
           _("%(supplier)s 申请产地认证，等待审核。", supplier=supplier.name),
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
    _admin(admin)
    if cert.status not in ("pending", "suspended"):
        raise StateError(_("只能批准待审核或已暂停的认证。"))
    _transition(cert, "approved", admin, note or _("审核通过"))
    cert.decided_at = utcnow()
    cert.reason = None
    db.session.flush()
    record("certification.approve", cert, actor=admin, detail={"region_code": cert.region_code})
    notify(_supplier_users(cert.supplier), "certification.approved",
           _("您在 %(county)s 的产地认证已通过。", county=cert.region.name),
           link="/supplier/certifications")
    return cert


def reject_certification(admin, cert, reason):
    """The admin rejects a pending application with a reason the supplier sees.

    :raises ValidationError: no reason. :raises StateError: it is not pending.
    """
    _admin(admin)
    reason = _clean_text(reason, 500)
    if not reason:
        raise ValidationError(_("请填写驳回原因。"), fields={"reason": "required"})
    if cert.status != "pending":
        raise StateError(_("只能驳回待审核的认证。"))
    _transition(cert, "rejected", admin, reason)
    cert.decided_at = utcnow()
    cert.reason = reason
    db.session.flush()
    record("certification.reject", cert, actor=admin, detail={"reason": reason})
    notify(_supplier_users(cert.supplier), "certification.rejected",
           _("您在 %(county)s 的产地认证被驳回：%(reason)s", county=cert.region.name, reason=reason),
           link="/supplier/certifications")
    return cert


def suspend_certification(admin, cert, reason):
    """The admin suspends an approved certification; the county's active listings are paused.

    :raises ValidationError: no reason. :raises StateError: it is not approved.
    """
    _admin(admin)
    reason = _clean_text(reason, 500)
    if not reason:
        raise ValidationError(_("请填写暂停原因。"), fields={"reason": "required"})
    if cert.status != "approved":
        raise StateError(_("只能暂停已通过的认证。"))
    _transition(cert, "suspended", admin, reason)
    cert.decided_at = utcnow()
    cert.reason = reason
    paused = Product.query.filter_by(supplier_id=cert.supplier_id, status="active",
                                     origin_region_code=cert.region_code).all()
    for product in paused:
        product.status = "paused"
        record("product.pause", product, actor=admin, detail={"reason": "certification suspended"})
    db.session.flush()
    record("certification.suspend", cert, actor=admin,
           detail={"reason": reason, "paused_products": [p.id for p in paused]})
    notify(_supplier_users(cert.supplier), "certification.suspended",
           _("您在 %(county)s 的产地认证已被暂停：%(reason)s", county=cert.region.name, reason=reason),
           link="/supplier/certifications")
    return cert


def certify_supplier(admin, supplier, region_code):
    """The admin certifies a supplier for a county at once (the API's certification endpoint).

    :raises NotFound: `supplier` is not a supplier organisation.
    :raises ValidationError: not a county.
    """
    _admin(admin)
    if supplier is None or supplier.kind != "supplier":
        raise NotFound(_("供应商不存在。"))
    region = _county(region_code, "origin_region_code")
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


# --------------------------------------------------------------------------- listings

def _clean_text(value, max_length, *, field_name=None, required=False, label=None):
    """Stripped text without control characters. :raises ValidationError: missing or too long."""
    text = _CONTROL.sub("", str(value if value is not None else "")).strip()
    if field_name:
        if required and not text:
            raise ValidationError(_("请填写%(label)s。", label=label or field_name),
                                  fields={field_name: "required"})
        if len(text) > max_length:
            raise ValidationError(_("%(label)s 不能超过 %(n)s 个字符。", label=label or field_name,
                                    n=max_length), fields={field_name: "too_long"})
    return text[:max_length]


def _integer(value, field_name, label, minimum, maximum):
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise ValidationError(_("%(label)s 必须是整数。", label=label),
                              fields={field_name: "integer"}) from None
    if number < minimum or number > maximum:
        raise ValidationError(_("%(label)s 须在 %(min)s 到 %(max)s 之间。", label=label,
                                min=minimum, max=maximum), fields={field_name: "out_of_range"})
    return number


def parse_price(value, field_name="price", label=None):
    """A price in yuan ("12.50") as integer fen. :raises ValidationError: not > 0 or absurd."""
    label = label or _("价格")
    try:
        fen = yuan_to_fen(value)
    except ValueError:
        raise ValidationError(_("%(label)s 必须是金额，例如 12.50。", label=label),
                              fields={field_name: "amount"}) from None
    if fen <= 0 or fen > MAX_PRICE_FEN:
        raise ValidationError(_("%(label)s 须大于 0 且不超过 ¥1,000,000。", label=label),
                              fields={field_name: "out_of_range"})
    return fen


def find_category(value):
    """A leaf category by id or by name. :raises ValidationError: none, or not a leaf."""
    category = None
    if isinstance(value, Category):
        category = value
    elif isinstance(value, int) and not isinstance(value, bool) or \
            (isinstance(value, str) and value.strip().isdigit()):
        category = db.session.get(Category, int(value))
    elif isinstance(value, str) and value.strip():
        matches = Category.query.filter_by(name=value.strip()).order_by(
            Category.parent_id.is_(None), Category.id).all()
        category = matches[0] if matches else None
    if category is None or category.parent_id is None:
        raise ValidationError(_("请选择一个二级品类。"), fields={"category": "unknown"})
    return category


def _labels(value):
    if value is None:
        return ""
    items = value.split(",") if isinstance(value, str) else list(value)
    items = [str(item).strip() for item in items if str(item).strip()]
    unknown = [item for item in items if item not in LABELS]
    if unknown:
        raise ValidationError(_("未知的标签。"), fields={"labels": "unknown"})
    return ",".join(label for label in LABELS if label in items)


PRODUCT_FIELDS = ("name", "category", "spec", "unit", "price", "stock", "min_order_qty",
                  "origin_region_code", "shelf_life", "storage", "description", "labels")


def _apply_fields(product, data, supplier, creating):
    """Validate `data` and copy it onto `product`; returns {field: (old, new)} of changes."""
    values = {}
    if creating or "name" in data:
        values["name"] = _clean_text(data.get("name"), 120, field_name="name", required=True,
                                     label=_("品名"))
    if creating or "category" in data:
        values["category"] = find_category(data.get("category"))
    if creating or "unit" in data:
        values["unit"] = _clean_text(data.get("unit"), 20, field_name="unit", required=True,
                                     label=_("单位"))
    if creating or "price" in data:
        values["price_fen"] = parse_price(data.get("price"))
    if creating or "stock" in data:
        values["stock"] = _integer(data.get("stock", 0), "stock", _("库存"), 0, MAX_STOCK)
    if "min_order_qty" in data or creating:
        raw = data.get("min_order_qty")
        values["min_order_qty"] = 1 if raw in (None, "") else _integer(
            raw, "min_order_qty", _("起订量"), 1, MAX_MIN_ORDER_QTY)
    if creating or "origin_region_code" in data:
        region = _county(data.get("origin_region_code"), "origin_region_code")
        unchanged = not creating and region.code == product.origin_region_code
        if not unchanged and not is_certified(supplier, region.code):
            raise ValidationError(_("您的机构尚未获得 %(county)s 的产地认证，不能发布该产地的商品。",
                                    county=region.name),
                                  fields={"origin_region_code": "not_certified"})
        values["origin_region_code"] = region.code
    for name, length, label in (("spec", 60, _("规格")), ("shelf_life", 60, _("保质期")),
                                ("storage", 120, _("储存方式")), ("description", 5000, _("描述"))):
        if name in data:
            values[name] = _clean_text(data.get(name), length, field_name=name, label=label) or None
    if "labels" in data:
        values["labels"] = _labels(data.get("labels"))
    changes = {}
    for key, value in values.items():
        old = getattr(product, key, None)
        if old != value:
            changes[key] = (old.name if isinstance(old, Category) else old,
                            value.name if isinstance(value, Category) else value)
            setattr(product, key, value)
    return changes


def prepare_product(supplier, data):
    """An unsaved, validated active Product of `supplier` (for seeding and imports; not indexed).

    :raises ValidationError: as for create_product.
    """
    product = Product(supplier=supplier, status="active", sales_count=0, labels="")
    _apply_fields(product, data, supplier, creating=True)
    return product


def _require_listing_supplier(user, product=None):
    supplier = _supplier_staff(user, product.supplier if product is not None else None)
    if not supplier.is_active:
        raise PermissionDenied(_("您的机构尚未启用，不能发布商品。"))
    return supplier


def create_product(user, data, photos=()):
    """A certified, active supplier lists a product.

    :param data: name, category (id or name of a leaf), unit, price (yuan), stock,
        origin_region_code, and optionally spec, min_order_qty, shelf_life, storage,
        description, labels (list or comma-separated keys of LABELS).
    :param photos: uploaded image files.
    :raises PermissionDenied: not supplier staff, or the supplier is not active.
    :raises ValidationError: a bad field, an origin the supplier is not certified for, a bad photo.
    """
    supplier = _require_listing_supplier(user)
    product = prepare_product(supplier, data)
    photo_rows = _store_photos(photos, existing=0)
    db.session.add(product)
    db.session.flush()
    for row in photo_rows:
        row.product_id = product.id
        db.session.add(row)
    refresh_price_flag(product)
    search.index_product(product)
    db.session.flush()
    record("product.create", product, actor=user,
           detail={"name": product.name, "price_fen": product.price_fen, "stock": product.stock,
                   "origin_region_code": product.origin_region_code,
                   "photos": len(photo_rows)})
    return product


def _store_photos(photos, existing):
    photos = [photo for photo in photos or () if photo and getattr(photo, "filename", "")]
    if existing + len(photos) > MAX_PHOTOS:
        raise ValidationError(_("每个商品最多 %(n)s 张照片。", n=MAX_PHOTOS),
                              fields={"photos": "too_many"})
    rows = []
    try:
        for position, upload in enumerate(photos, start=existing):
            rows.append(ProductPhoto(position=position, **uploads.save_photo(upload)))
    except ValidationError:
        uploads.remove(*[name for row in rows for name in (row.stored_name, row.thumb_name)])
        raise
    return rows


def get_product(product_id):
    """:raises NotFound: no product with this id."""
    try:
        product = db.session.get(Product, int(product_id))
    except (TypeError, ValueError):
        product = None
    if product is None:
        raise NotFound(_("商品不存在。"))
    return product


def can_view(user, product):
    """Buyers see active listings; the supplier and the admin see every state."""
    if product.status == "active" and product.supplier.is_active:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role == "admin" or user.organization_id == product.supplier_id


def visible_product(user, product_id):
    """The product if `user` may see it. :raises NotFound: otherwise."""
    product = get_product(product_id)
    if not can_view(user, product):
        raise NotFound(_("商品不存在。"))
    return product


def update_product(user, product, data, photos=(), remove_photo_ids=()):
    """The supplier edits its listing (any of the create fields).

    :raises PermissionDenied: not this product's supplier. :raises StateError: archived or
        taken down. :raises ValidationError: as for create_product.
    """
    supplier = _require_listing_supplier(user, product)
    if product.status in ("archived", "taken_down"):
        raise StateError(_("已归档或已下架的商品不能编辑。"))
    changes = _apply_fields(product, data, supplier, creating=False)
    doomed = {str(photo_id) for photo_id in remove_photo_ids}
    removed = [photo for photo in product.photos if str(photo.id) in doomed]
    for photo in removed:
        product.photos.remove(photo)
    new_rows = _store_photos(photos, existing=len(product.photos))
    for row in new_rows:
        product.photos.append(row)
    for position, photo in enumerate(product.photos):
        photo.position = position
    if removed or new_rows:
        before = len(product.photos) - len(new_rows) + len(removed)
        changes["photos"] = (before, len(product.photos))
    product.updated_at = utcnow()
    refresh_price_flag(product)
    search.index_product(product)
    db.session.flush()
    uploads.remove(*[name for photo in removed for name in (photo.stored_name, photo.thumb_name)])
    record("product.update", product, actor=user,
           detail={key: [_text_or_none(old), _text_or_none(new)]
                   for key, (old, new) in changes.items()})
    return product


def _text_or_none(value):
    return None if value is None else str(value)


def _set_status(user, product, allowed_from, to_status, action):
    _require_listing_supplier(user, product)
    if product.status not in allowed_from:
        raise StateError(_("商品当前状态不允许此操作。"))
    old = product.status
    product.status = to_status
    product.updated_at = utcnow()
    db.session.flush()
    record(action, product, actor=user, detail={"from": old, "to": to_status})
    return product


def pause_product(user, product):
    """The supplier takes an active listing off sale for a while. :raises StateError: not active."""
    return _set_status(user, product, ("active",), "paused", "product.pause")


def resume_product(user, product):
    """The supplier puts a paused listing back on sale.

    :raises StateError: not paused. :raises ValidationError: no longer certified for its origin.
    """
    if product.status == "paused" and \
            not is_certified(product.supplier, product.origin_region_code):
        raise ValidationError(_("该产地的认证已失效，不能重新上架。"),
                              fields={"origin_region_code": "not_certified"})
    return _set_status(user, product, ("paused",), "active", "product.resume")


def archive_product(user, product):
    """The supplier retires a listing for good (kept for the orders that name it)."""
    return _set_status(user, product, ("active", "paused"), "archived", "product.archive")


def set_product_active(user, product, active):
    """Pause (False) or resume (True) a listing: the API's `"active"` field."""
    if active and product.status != "active":
        return resume_product(user, product)
    if not active and product.status == "active":
        return pause_product(user, product)
    return product


def take_down_product(admin, product, reason):
    """The admin takes a listing down with a reason its supplier sees.

    :raises ValidationError: no reason. :raises StateError: already down or archived.
    """
    _admin(admin)
    reason = _clean_text(reason, 500)
    if not reason:
        raise ValidationError(_("请填写下架原因。"), fields={"reason": "required"})
    if product.status in ("taken_down", "archived"):
        raise StateError(_("该商品已下架或已归档。"))
    old = product.status
    product.status = "taken_down"
    product.takedown_reason = reason
    db.session.flush()
    record("product.take_down", product, actor=admin, detail={"from": old, "reason": reason})
    notify(_supplier_users(product.supplier), "product.taken_down",
           _("您的商品「%(name)s」已被平台下架：%(reason)s", name=product.name, reason=reason),
           link=f"/supplier/products/{product.id}/edit")
    return product


def restore_product(admin, product):
    """The admin lifts a take-down; the listing comes back paused for the supplier to resume."""
    _admin(admin)
    if product.status != "taken_down":
        raise StateError(_("该商品未被下架。"))
    product.status = "paused"
    db.session.flush()
    record("product.restore", product, actor=admin, detail={"reason": product.takedown_reason})
    product.takedown_reason = None
    return product


def products_of_supplier(supplier, include_archived=False):
    """A supplier's own listings (every state but archived unless asked), newest first."""
    query = Product.query.filter_by(supplier_id=supplier.id).options(
        joinedload(Product.category), joinedload(Product.origin), selectinload(Product.photos))
    if not include_archived:
        query = query.filter(Product.status != "archived")
    return query.order_by(Product.id.desc()).all()


def reindex_products(products=None):
    """Rebuild search terms (all products when None) after renaming a category, supplier, region."""
    products = Product.query.all() if products is None else products
    search.index_products(products)
    db.session.flush()
    return len(products)


def reindex_supplier(supplier):
    """Rebuild the search terms of a supplier's products (call after renaming the supplier)."""
    return reindex_products(Product.query.filter_by(supplier_id=supplier.id).all())


def reindex_region(code):
    """Rebuild the search terms of the products from within a region (after renaming it)."""
    low, high = _region_range(code)
    return reindex_products(Product.query.filter(Product.origin_region_code >= low,
                                                 Product.origin_region_code < high).all())


# --------------------------------------------------------------------------- categories

def category_tree():
    """[(top, [children...])] of the two-level category tree, in display order."""
    categories = Category.query.order_by(Category.sort_order, Category.id).all()
    tops = [category for category in categories if category.parent_id is None]
    return [(top, [c for c in categories if c.parent_id == top.id]) for top in tops]


def save_category(admin, name, parent_id=None, name_en=None, sort_order=0, category=None):
    """Create (or rename) a category; at most two levels.

    :raises ValidationError: no name, or a parent that is itself a child.
    """
    _admin(admin)
    name = _clean_text(name, 60, field_name="name", required=True, label=_("名称"))
    parent = None
    if parent_id not in (None, "", 0, "0"):
        parent = db.session.get(Category, int(parent_id)) if str(parent_id).isdigit() else None
        if parent is None or parent.parent_id is not None:
            raise ValidationError(_("上级品类必须是一级品类。"), fields={"parent_id": "invalid"})
        if category is not None and (parent.id == category.id or category.children):
            raise ValidationError(_("上级品类必须是一级品类。"), fields={"parent_id": "invalid"})
    creating = category is None
    if creating:
        category = Category()
        db.session.add(category)
    category.name = name
    category.name_en = _clean_text(name_en, 80) or None
    category.parent = parent
    category.sort_order = _integer(sort_order or 0, "sort_order", _("排序"), -1000, 1000)
    db.session.flush()
    record("category.create" if creating else "category.update", category, actor=admin,
           detail={"name": name, "parent_id": parent.id if parent else None})
    if not creating:
        reindex_products(Product.query.filter(Product.category_id.in_(
            [category.id] + [child.id for child in category.children])).all())
    return category


# --------------------------------------------------------------------------- fair price

def reference_price_of(product):
    """The product's market reference in fen: its own, else its category and unit's, else None."""
    if product.reference_price_fen:
        return product.reference_price_fen
    ref = ReferencePrice.query.filter_by(category_id=product.category_id, unit=product.unit).first()
    return ref.price_fen if ref else None


def reference_prices_for(products):
    """{product_id: reference fen or None} for many products in one query."""
    pairs = {(p.category_id, p.unit) for p in products if not p.reference_price_fen}
    table = {}
    if pairs:
        category_ids = {category_id for category_id, _unit in pairs}
        for ref in ReferencePrice.query.filter(ReferencePrice.category_id.in_(category_ids)):
            table[(ref.category_id, ref.unit)] = ref.price_fen
    return {p.id: p.reference_price_fen or table.get((p.category_id, p.unit)) for p in products}


def is_overpriced(price_fen, reference_fen):
    """Whether a price is more than 30% above its reference (exact integer arithmetic)."""
    return bool(reference_fen) and price_fen * 10 > reference_fen * FLAG_RATIO_TENTHS


def refresh_price_flag(product, reference_fen=...):
    """Recompute the product's flag; tell the admins when it becomes flagged."""
    if reference_fen is ...:
        reference_fen = reference_price_of(product)
    flagged = is_overpriced(product.price_fen, reference_fen)
    was = product.price_flagged
    product.price_flagged = flagged
    if flagged and not was:
        notify(_admins(), "product.price_flagged",
               _("商品「%(name)s」价格高于参考价 30%% 以上。", name=product.name),
               link="/admin/catalog/flagged", email=False)
    return flagged


def set_reference_price(admin, category, unit, price, note=None):
    """Set (or change) the reference price of a category and unit; re-flags their products.

    :raises ValidationError: no unit, a bad price, not a leaf category.
    """
    _admin(admin)
    category = find_category(category)
    unit = _clean_text(unit, 20, field_name="unit", required=True, label=_("单位"))
    price_fen = parse_price(price)
    ref = ReferencePrice.query.filter_by(category_id=category.id, unit=unit).first()
    old = ref.price_fen if ref else None
    if ref is None:
        ref = ReferencePrice(category_id=category.id, unit=unit, price_fen=price_fen)
        db.session.add(ref)
    ref.price_fen = price_fen
    ref.note = _clean_text(note, 200) or None
    db.session.flush()
    record("reference_price.set", ref, actor=admin,
           detail={"category_id": category.id, "unit": unit, "from": old, "to": price_fen})
    for product in Product.query.filter_by(category_id=category.id, unit=unit):
        refresh_price_flag(product)
    db.session.flush()
    return ref


def delete_reference_price(admin, ref):
    """Remove a category reference price; its products are re-flagged without it."""
    _admin(admin)
    products = Product.query.filter_by(category_id=ref.category_id, unit=ref.unit).all()
    record("reference_price.delete", ref, actor=admin,
           detail={"category_id": ref.category_id, "unit": ref.unit, "price_fen": ref.price_fen})
    db.session.delete(ref)
    db.session.flush()
    for product in products:
        refresh_price_flag(product)
    db.session.flush()


def set_product_reference_price(admin, product, price):
    """Set (price given) or clear (empty) one product's own reference price."""
    _admin(admin)
    old = product.reference_price_fen
    product.reference_price_fen = parse_price(price, "reference_price") if price not in (None, "") \
        else None
    refresh_price_flag(product)
    db.session.flush()
    record("product.reference_price", product, actor=admin,
           detail={"from": old, "to": product.reference_price_fen})
    return product


def reference_prices():
    """Every category reference price, by category."""
    return (ReferencePrice.query.options(joinedload(ReferencePrice.category))
            .order_by(ReferencePrice.category_id, ReferencePrice.unit).all())


def flagged_products():
    """Listings priced more than 30% above their reference, for the admin."""
    products = (Product.query.filter(Product.price_flagged.is_(True),
                                     Product.status.in_(("active", "paused")))
                .options(joinedload(Product.supplier), joinedload(Product.category))
                .order_by(Product.id).all())
    return products, reference_prices_for(products)


# --------------------------------------------------------------------------- reviews

def can_review(user, product):
    """Whether `user`'s organisation accepted a delivery of `product` (and it has not reviewed)."""
    from marketplace.ordering.models import Order, OrderLine

    if user is None or not getattr(user, "is_authenticated", False) or \
            user.role not in ("purchaser", "unit_manager"):
        return False
    return db.session.query(
        db.select(OrderLine.id).join(Order, Order.id == OrderLine.order_id).where(
            OrderLine.product_id == product.id,
            Order.buyer_organization_id == user.organization_id,
            Order.status.in_(REVIEWABLE_ORDER_STATUSES)).exists()).scalar()


def add_review(user, product, stars, text=""):
    """A buyer rates a product its organisation accepted a delivery of.

    :raises PermissionDenied: no accepted delivery of it. :raises StateError: already reviewed.
    :raises ValidationError: stars not 1 to 5, text too long.
    """
    stars = _integer(stars, "stars", _("评分"), 1, 5)
    text = _clean_text(text, 1000, field_name="text", label=_("评价"))
    if not can_review(user, product):
        raise PermissionDenied(_("只有验收过该商品的采购单位可以评价。"))
    if Review.query.filter_by(product_id=product.id, user_id=user.id).first() is not None:
        raise StateError(_("您已评价过该商品。"))
    review = Review(product_id=product.id, supplier_id=product.supplier_id, user_id=user.id,
                    organization_id=user.organization_id, stars=stars, text=text)
    db.session.add(review)
    db.session.flush()
    record("review.create", review, actor=user, detail={"product_id": product.id, "stars": stars})
    return review


def reviews_of(product, limit=50):
    """A product's reviews, newest first."""
    return (Review.query.filter_by(product_id=product.id).options(joinedload(Review.organization))
            .order_by(Review.id.desc()).limit(limit).all())


def rating_of_product(product):
    """(average stars rounded to one place or None, number of reviews)."""
    return _rating(Review.product_id == product.id)


def supplier_rating(supplier):
    """(average stars over all its products, rounded to one place or None, number of reviews)."""
    return _rating(Review.supplier_id == supplier.id)


def _rating(condition):
    average, count = db.session.query(db.func.avg(Review.stars), db.func.count(Review.id)) \
        .filter(condition).one()
    return (round(float(average), 1) if count else None), count


# --------------------------------------------------------------------------- browsing & search

@dataclass
class ProductFilters:
    """What a product list asks for; every field optional."""

    q: str = ""
    category_id: int = None
    region: str = None          # a province, prefecture or county code
    supplier_id: int = None
    min_price_fen: int = None
    max_price_fen: int = None
    in_stock: bool = False
    labels: list = field(default_factory=list)
    sort: str = "relevance"


@dataclass
class ProductPage:
    """One page of a product list."""

    items: list
    total: int
    page: int
    per_page: int
    references: dict

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1


def _region_range(code):
    """The [low, high) code range of everything within a region: indexable on both databases."""
    prefix = region_prefix(code)
    return prefix.ljust(6, "0"), (str(int(prefix) + 1)).ljust(6, "0")


def product_query(filters, visible_only=True):
    """A query of the products matching `filters`, ordered by its sort.

    Search, category, region, label and price filters all use indexes (the search terms'
    primary key, ranges on codes and prices); nothing is loaded per product.
    """
    query = Product.query
    if visible_only:
        query = query.join(Organization, Organization.id == Product.supplier_id).filter(
            Product.status == "active", Organization.status == "active")
    score = None
    q = (filters.q or "").strip()
    if q:
        terms = search.query_terms(q)
        if not terms:
            return query.filter(db.false())
        match = search.matching_products(terms)
        query = query.join(match, match.c.product_id == Product.id)
        score = match.c.score
    if filters.category_id:
        ids = [filters.category_id] + [c.id for c in Category.query.filter_by(
            parent_id=filters.category_id).with_entities(Category.id)]
        query = query.filter(Product.category_id.in_(ids))
    if filters.region:
        low, high = _region_range(filters.region)
        query = query.filter(Product.origin_region_code >= low, Product.origin_region_code < high)
    if filters.supplier_id:
        query = query.filter(Product.supplier_id == filters.supplier_id)
    if filters.min_price_fen is not None:
        query = query.filter(Product.price_fen >= filters.min_price_fen)
    if filters.max_price_fen is not None:
        query = query.filter(Product.price_fen <= filters.max_price_fen)
    if filters.in_stock:
        query = query.filter(Product.stock > 0)
    for label in filters.labels or ():
        if label in LABELS:
            query = query.filter(Product.id.in_(db.select(ProductSearchTerm.product_id).where(
                ProductSearchTerm.term == f"label:{label}")))
    order = {
        "price_asc": [Product.price_fen.asc(), Product.id.desc()],
        "price_desc": [Product.price_fen.desc(), Product.id.desc()],
        "newest": [Product.created_at.desc(), Product.id.desc()],
        "best_selling": [Product.sales_count.desc(), Product.id.desc()],
    }.get(filters.sort)
    if order is None:
        order = ([score.desc()] if score is not None else []) + \
            [Product.sales_count.desc(), Product.id.desc()]
    return query.order_by(*order)


def list_products(filters, page=1, per_page=20, visible_only=True):
    """A ProductPage of the products matching `filters`, with their supplier, category, origin,
    photos and reference prices loaded in a fixed number of queries whatever the page size."""
    page = max(1, int(page or 1))
    per_page = max(1, min(int(per_page or 20), 200))
    query = product_query(filters, visible_only)
    total = query.order_by(None).count()
    items = (query.options(joinedload(Product.supplier), joinedload(Product.category),
                           joinedload(Product.origin), selectinload(Product.photos))
             .limit(per_page).offset((page - 1) * per_page).all())
    return ProductPage(items=items, total=total, page=page, per_page=per_page,
                       references=reference_prices_for(items))


def featured_regions(limit=8):
    """Prefectures with the most active listings: [(Region, count)]."""
    prefecture = db.func.substr(Product.origin_region_code, 1, 4)
    rows = (db.session.query(prefecture, db.func.count(Product.id))
            .filter(Product.status == "active").group_by(prefecture)
            .order_by(db.func.count(Product.id).desc()).limit(limit).all())
    regions = {region.code: region for region in Region.query.filter(
        Region.code.in_([f"{code}00" for code, _count in rows]))}
    return [(regions[f"{code}00"], count) for code, count in rows if f"{code}00" in regions]


def origin_choices():
    """Provinces and prefectures, and the counties with something on sale, in tree order."""
    counties = db.select(Product.origin_region_code).where(Product.status == "active").distinct()
    return (Region.query.filter(db.or_(Region.level < 3, Region.code.in_(counties)))
            .order_by(Region.code).all())


def county_counts(prefix):
    """{county code: active listings} within a region."""
    low, high = _region_range(prefix)
    rows = (db.session.query(Product.origin_region_code, db.func.count(Product.id))
            .filter(Product.status == "active", Product.origin_region_code >= low,
                    Product.origin_region_code < high)
            .group_by(Product.origin_region_code).all())
    return dict(rows)


def get_supplier(supplier_id):
    """An active supplier organisation. :raises NotFound: otherwise."""
    supplier = db.session.get(Organization, supplier_id)
    if supplier is None or supplier.kind != "supplier":
        raise NotFound(_("供应商不存在。"))
    return supplier
