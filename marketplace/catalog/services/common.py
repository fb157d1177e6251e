"""Checks shared by the catalog services: who may act, clean text and numbers, prices,
counties and categories."""
import re

from marketplace.accounts.models import Organization, User
from marketplace.catalog.models import Category
from marketplace.database import valid_id
from marketplace.errors import PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import yuan_to_fen
from marketplace.regions.models import Region

MAX_PRICE_FEN = 100_000_000      # ¥1,000,000 for one unit of sale is surely a typo
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def require_supplier_staff(user, supplier=None):
    """:raises PermissionDenied: `user` is not staff of a supplier (of `supplier` when given)."""
    org = user.organization
    if user.role != "supplier_staff" or org is None or org.kind != "supplier" \
            or (supplier is not None and org.id != supplier.id):
        raise PermissionDenied(_("只有供应商的工作人员可以这样做。"))
    return org


def require_admin(user):
    if user is None or user.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以这样做。"))


def require_county(code, field_name="region_code"):
    """A county of the registry. :raises ValidationError: unknown, or not a county."""
    region = db.session.get(Region, str(code or "").strip()) if code else None
    if region is None or region.level != 3:
        raise ValidationError(_("请选择一个县（区）。"), fields={field_name: "unknown_county"})
    return region


def supplier_users(supplier):
    return User.query.filter_by(organization_id=supplier.id, active=True).all()


def platform_admins():
    return (User.query.join(Organization, User.organization_id == Organization.id)
            .filter(User.role == "admin", User.active.is_(True)).all())


def clean_text(value, max_length, *, field_name=None, required=False, label=None):
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


def parse_integer(value, field_name, label, minimum, maximum):
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


def _leaf_list(leaves):
    """Leaf names for a message: "松茸、羊肚菌…", with the parent and id where a name repeats."""
    counts = {}
    for leaf in leaves:
        counts[leaf.name] = counts.get(leaf.name, 0) + 1
    return "、".join(leaf.name if counts[leaf.name] == 1 else
                    f"{leaf.parent.name} › {leaf.name} (id {leaf.id})" for leaf in leaves)


def _all_leaves():
    return (Category.query.filter(Category.parent_id.isnot(None))
            .order_by(Category.parent_id, Category.sort_order, Category.id).all())


def find_category(value):
    """The second-level category a product is listed under, named by its id, or by its name
    where exactly one second-level category has it (the rule of the pages and the API alike).

    :param value: a Category, an id (int or digits), or a name.
    :raises ValidationError: on field "category": nothing given ("required"), a top-level
        category ("top_level"), no such category ("unknown"), or a name several leaves have
        ("ambiguous"); the message says which leaves there are to choose from.
    """
    if isinstance(value, Category):
        category = value
    elif isinstance(value, bool) or value is None or not str(value).strip():
        raise ValidationError(_("请选择一个二级品类。"), fields={"category": "required"})
    elif isinstance(value, int) or str(value).strip().isdigit():
        category_id = valid_id(value)
        category = db.session.get(Category, category_id) if category_id else None
    else:
        name = str(value).strip()
        named = Category.query.filter(Category.name == name).order_by(Category.id).all()
        leaves = [category for category in named if category.parent_id is not None]
        if len(leaves) > 1:
            raise ValidationError(
                _("有 %(n)s 个二级品类都叫“%(name)s”：%(leaves)s。请用品类编号（id）指定。",
                  n=len(leaves), name=name, leaves=_leaf_list(leaves)),
                fields={"category": "ambiguous"})
        category = leaves[0] if leaves else (named[0] if named else None)
    if category is None:
        leaves = _all_leaves()
        if not leaves:
            raise ValidationError(_("还没有任何二级品类，请平台管理员先添加品类。"),
                                  fields={"category": "unknown"})
        raise ValidationError(_("没有这个二级品类：“%(name)s”。可选的二级品类：%(leaves)s。",
                                name=str(value).strip()[:60], leaves=_leaf_list(leaves)),
                              fields={"category": "unknown"})
    if category.parent_id is None:
        children = sorted(category.children, key=lambda child: (child.sort_order, child.id))
        raise ValidationError(_("“%(name)s”是一级品类，请选择它下面的二级品类：%(leaves)s。",
                                name=category.name,
                                leaves=_leaf_list(children) or _("（暂无）")),
                              fields={"category": "top_level"})
    return category


def filter_category(value):
    """The category a product list is filtered by (with its children): by id, or by name — a
    top-level category's name, else the one second-level category that has it.

    :returns: the Category, or None when no category has that id or name.
    :raises ValidationError: a name several second-level categories have ("ambiguous").
    """
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if text.isdigit():
        category_id = valid_id(text)
        return db.session.get(Category, category_id) if category_id else None
    named = Category.query.filter(Category.name == text).order_by(Category.id).all()
    top = next((category for category in named if category.parent_id is None), None)
    if top is not None or len(named) <= 1:
        return top or (named[0] if named else None)
    return find_category(text)  # several leaves: refused with the message that lists them
