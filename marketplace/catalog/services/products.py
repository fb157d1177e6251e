"""The listing life cycle: a certified supplier creates and edits listings, pauses, resumes and
archives them; the admin takes them down and restores them."""
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from marketplace.audit.services import record
from marketplace.catalog import search, uploads
from marketplace.catalog.models import LABELS, Category, Product, ProductPhoto
from marketplace.catalog.services.availability import unavailable_reason
from marketplace.catalog.services.certification import is_certified
from marketplace.catalog.services.common import (
    clean_text, find_category, parse_integer, parse_price, require_admin, require_county,
    require_supplier_staff, supplier_users)
from marketplace.catalog.services.prices import refresh_price_flag
from marketplace.catalog.signals import product_restored, product_taken_down
from marketplace.database import get_or_not_found
from marketplace.errors import (FieldErrors, NotFound, PermissionDenied, StateError,
                               ValidationError, required_reason)
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify
from marketplace.regions.models import Region
from marketplace.timeutil import utcnow

MAX_STOCK = 10_000_000
MAX_MIN_ORDER_QTY = 100_000
MAX_PHOTOS = 8


def _labels(value):
    if value is None:
        return ""
    items = value.split(",") if isinstance(value, str) else list(value)
    items = [str(item).strip() for item in items if str(item).strip()]
    unknown = [item for item in items if item not in LABELS]
    if unknown:
        raise ValidationError(_("未知的标签。"), fields={"labels": "unknown"})
    return ",".join(label for label in LABELS if label in items)
# A code names photo files too ("MX-001.jpg"): letters, digits, Chinese, "-", "_" and ".".
CODE_PATTERN = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff_.-]{1,40}$")


def _code(value, supplier, product):
    """The supplier's own product code, or None. :raises ValidationError: malformed or taken."""
    code = clean_text(value, 40, field_name="code", label=_("商品编码")) or None
    if code is None:
        return None
    if not CODE_PATTERN.match(code):
        raise ValidationError(_("商品编码只能含字母、数字、汉字和 - _ .，不能有空格。"),
                              fields={"code": "malformed"})
    taken = Product.query.filter(Product.supplier_id == supplier.id, Product.code == code)
    if product.id is not None:
        taken = taken.filter(Product.id != product.id)
    if db.session.query(taken.exists()).scalar():
        raise ValidationError(_("商品编码 %(code)s 已被您的另一个商品使用。", code=code),
                              fields={"code": "taken"})
    return code


PRODUCT_FIELDS = ("code", "name", "category", "spec", "unit", "price", "stock", "min_order_qty",
                  "origin_region_code", "shelf_life", "storage", "description", "labels")


def _apply_fields(product, data, supplier, creating):
    """Validate `data` and copy it onto `product`; returns {field: (old, new)} of changes."""
    values, errors = {}, FieldErrors()  # every bad field reported at once
    if "code" in data:
        values["code"] = errors.check(_code, data.get("code"), supplier, product)
    if creating or "name" in data:
        values["name"] = errors.check(clean_text, data.get("name"), 120, field_name="name",
                                      required=True, label=_("品名"))
    if creating or "category" in data:
        values["category"] = errors.check(find_category, data.get("category"))
    if creating or "unit" in data:
        values["unit"] = errors.check(clean_text, data.get("unit"), 20, field_name="unit",
                                      required=True, label=_("单位"))
    if creating or "price" in data:
        values["price_fen"] = errors.check(parse_price, data.get("price"))
    if creating or "stock" in data:
        values["stock"] = errors.check(parse_integer, data.get("stock", 0), "stock", _("库存"),
                                       0, MAX_STOCK)
    if "min_order_qty" in data or creating:
        raw = data.get("min_order_qty")
        values["min_order_qty"] = 1 if raw in (None, "") else errors.check(
            parse_integer, raw, "min_order_qty", _("起订量"), 1, MAX_MIN_ORDER_QTY)
    if creating or "origin_region_code" in data:
        values["origin_region_code"] = errors.check(_origin, product, data, supplier, creating)
    for name, length, label in (("spec", 60, _("规格")), ("shelf_life", 60, _("保质期")),
                                ("storage", 120, _("储存方式")), ("description", 5000, _("描述"))):
        if name in data:
            values[name] = errors.check(clean_text, data.get(name), length, field_name=name,
                                        label=label) or None
    if "labels" in data:
        values["labels"] = errors.check(_labels, data.get("labels"))
    errors.raise_any()
    changes = {}
    for key, value in values.items():
        old = getattr(product, key, None)
        if old != value:
            changes[key] = (old.name if isinstance(old, Category) else old,
                            value.name if isinstance(value, Category) else value)
            setattr(product, key, value)
    return changes


def _origin(product, data, supplier, creating):
    """The origin county's code, which the supplier must be certified for (unless unchanged)."""
    region = require_county(data.get("origin_region_code"), "origin_region_code")
    unchanged = not creating and region.code == product.origin_region_code
    if not unchanged and not is_certified(supplier, region.code):
        raise ValidationError(_("您的机构尚未获得 %(county)s 的产地认证，不能发布该产地的商品。",
                                county=region.name),
                              fields={"origin_region_code": "not_certified"})
    return region.code


def prepare_product(supplier, data):
    """An unsaved, validated active Product of `supplier` (for seeding and imports; not indexed).

    :raises ValidationError: as for create_product.
    """
    product = Product(supplier=supplier, status="active", sales_count=0, labels="")
    _apply_fields(product, data, supplier, creating=True)
    return product


# What a listing's fields are, copied to a detached draft to check changes against.
_DRAFT_COPY = ("id", "code", "name", "category", "spec", "unit", "price_fen", "stock",
               "min_order_qty", "origin_region_code", "shelf_life", "storage", "description",
               "labels", "status")


def check_product_data(supplier, data, product=None):
    """What the listing rules say of `data` as a new listing of `supplier` (or as a change to
    its `product`), changing nothing: every bad field, not only the first.

    :returns: ({field: message} of the bad fields, {field: (old, new)} of the changes — empty
        when a field is bad).
    """
    def draft():
        if product is None:
            return Product(status="active", labels="")
        return Product(**{name: getattr(product, name) for name in _DRAFT_COPY})

    problems, checked = {}, draft()
    for key, value in data.items():
        try:
            _apply_fields(checked, {key: value}, supplier, creating=False)
        except ValidationError as error:
            problems[next(iter(error.fields), key)] = error.message
    if problems:
        return problems, {}
    return {}, _apply_fields(draft(), data, supplier, creating=False)


def _require_listing_supplier(user, product=None):
    supplier = require_supplier_staff(user, product.supplier if product is not None else None)
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


def get_product(product_id, options=()):
    """:raises NotFound: no product with this id (a malformed or out-of-range id included)."""
    return get_or_not_found(Product, product_id, _("商品不存在。"), options=list(options))


_UNKNOWN = object()


def can_view(user, product, reason=_UNKNOWN):
    """Everyone sees a product on sale; its supplier and the admin see it in every state.

    :param reason: its `unavailable_reason`, when the caller already has it.
    """
    if (unavailable_reason(product) if reason is _UNKNOWN else reason) is None:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role == "admin" or user.organization_id == product.supplier_id


# What the product page shows of a product, read with it (not one query per relation):
# the supplier, the category and its parent, the origin up to its province, the photos.
PAGE_OPTIONS = (joinedload(Product.supplier),
                joinedload(Product.category).joinedload(Category.parent),
                joinedload(Product.origin).joinedload(Region.parent).joinedload(Region.parent),
                joinedload(Product.photos))  # a few rows: one statement, not two


def visible_product(user, product_id):
    """The product (with what its page shows) if `user` may see it. :raises NotFound:
    otherwise."""
    return product_for_page(user, product_id)[0]


def product_for_page(user, product_id):
    """(product with what its page shows, why it is not on sale or None) if `user` may see it.

    :raises NotFound: no such product, or not on sale and not the user's to see.
    """
    product = get_product(product_id, PAGE_OPTIONS)
    reason = unavailable_reason(product)
    if not can_view(user, product, reason):
        raise NotFound(_("商品不存在。"))
    return product, reason


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
    require_admin(admin)
    reason = required_reason(reason, _("请填写下架原因。"))
    if product.status in ("taken_down", "archived"):
        raise StateError(_("该商品已下架或已归档。"))
    old = product.status
    product.status = "taken_down"
    product.takedown_reason = reason
    db.session.flush()
    record("product.take_down", product, actor=admin, detail={"from": old, "reason": reason})
    db.session.flush()
    product_taken_down.send(product, actor=admin, reason=reason)
    notify(supplier_users(product.supplier), "product.taken_down",
           _l("您的商品「%(name)s」已被平台下架：%(reason)s", name=product.name, reason=reason),
           link=f"/supplier/products/{product.id}/edit")
    return product


def restore_product(admin, product):
    """The admin lifts a take-down; the listing comes back paused for the supplier to resume."""
    require_admin(admin)
    if product.status != "taken_down":
        raise StateError(_("该商品未被下架。"))
    product.status = "paused"
    db.session.flush()
    record("product.restore", product, actor=admin, detail={"reason": product.takedown_reason})
    product.takedown_reason = None
    db.session.flush()
    product_restored.send(product, actor=admin)
    return product


def products_of_supplier(supplier, include_archived=False):
    """A supplier's own listings (every state but archived unless asked), newest first."""
    query = Product.query.filter_by(supplier_id=supplier.id).options(
        joinedload(Product.category), joinedload(Product.origin), selectinload(Product.photos))
    if not include_archived:
        query = query.filter(Product.status != "archived")
    return query.order_by(Product.id.desc()).all()
