"""Checks shared by the catalog services: who may act, clean text and numbers, prices,
counties and categories."""
import re

from marketplace.accounts.models import Organization, User
from marketplace.catalog.models import Category
from marketplace.errors import PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import yuan_to_fen
from marketplace.regions.models import Region

MAX_PRICE_FEN = 100_000_000      # ¥1,000,000 for one unit of sale is surely a typo
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def _supplier_users(supplier):
    return User.query.filter_by(organization_id=supplier.id, active=True).all()


def _admins():
    return (User.query.join(Organization, User.organization_id == Organization.id)
            .filter(User.role == "admin", User.active.is_(True)).all())


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
