"""The two-level category tree the admin maintains; renaming reindexes its products."""
from marketplace.audit.services import record
from marketplace.catalog.models import Category, Product
from marketplace.catalog.services.browsing import reindex_products
from marketplace.catalog.services.common import _admin, _clean_text, _integer
from marketplace.errors import ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _


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
