"""The two-level category tree the admin maintains."""
from marketplace.audit.services import record
from marketplace.catalog import search
from marketplace.catalog.models import Category
from marketplace.catalog.services.common import require_admin, clean_text, parse_integer
from marketplace.catalog.standard_tree import STANDARD_TREE
from marketplace.errors import Conflict, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _


def category_tree():
    """[(top, [children...])] of the two-level category tree, in display order."""
    categories = Category.query.order_by(Category.sort_order, Category.id).all()
    tops = [category for category in categories if category.parent_id is None]
    return [(top, [c for c in categories if c.parent_id == top.id]) for top in tops]


def standard_leaves():
    """{leaf name: Category} of the platform's standard tree (catalog/standard_tree.py).

    A database built by `db upgrade` holds the whole tree already; one built otherwise (the
    tests' `create_all`) gets what it lacks here, matched by name under the same parent as the
    migration does.
    """
    leaves = {}
    for position, (top_name, top_en, children) in enumerate(STANDARD_TREE):
        top = _named(top_name, None) or _add(Category(name=top_name, name_en=top_en,
                                                      sort_order=position))
        for leaf_position, (leaf_name, leaf_en) in enumerate(children):
            leaves[leaf_name] = _named(leaf_name, top.id) or _add(Category(
                name=leaf_name, name_en=leaf_en, parent_id=top.id, sort_order=leaf_position))
    return leaves


def _named(name, parent_id):
    parent = Category.parent_id.is_(None) if parent_id is None else \
        Category.parent_id == parent_id
    return Category.query.filter(parent, Category.name == name).order_by(Category.id).first()


def _add(category):
    db.session.add(category)
    db.session.flush()
    return category


def save_category(admin, name, parent_id=None, name_en=None, sort_order=0, category=None):
    """Create (or rename) a category; at most two levels.

    :raises ValidationError: no name, or a parent that is itself a child.
    :raises Conflict: its parent already has a category of that name (code "duplicate").
    """
    require_admin(admin)
    name = clean_text(name, 60, field_name="name", required=True, label=_("名称"))
    parent = None
    if parent_id not in (None, "", 0, "0"):
        parent = db.session.get(Category, int(parent_id)) if str(parent_id).isdigit() else None
        if parent is None or parent.parent_id is not None:
            raise ValidationError(_("上级品类必须是一级品类。"), fields={"parent_id": "invalid"})
        if category is not None and (parent.id == category.id or category.children):
            raise ValidationError(_("上级品类必须是一级品类。"), fields={"parent_id": "invalid"})
    sibling = Category.query.filter(
        Category.name == name,
        Category.parent_id.is_(None) if parent is None else Category.parent_id == parent.id)
    if category is not None and category.id is not None:
        sibling = sibling.filter(Category.id != category.id)
    if sibling.first() is not None:
        raise Conflict(_("“%(name)s”下已有同名的品类。", name=parent.name) if parent else
                       _("已有同名的一级品类。"), fields={"name": "taken"}, code="duplicate")
    creating = category is None
    if creating:
        category = Category()
        db.session.add(category)
    category.name = name
    category.name_en = clean_text(name_en, 80, field_name="name_en", label=_("英文名称")) or None
    category.parent = parent
    category.sort_order = parse_integer(sort_order or 0, "sort_order", _("排序"), -1000, 1000)
    db.session.flush()
    record("category.create" if creating else "category.update", category, actor=admin,
           detail={"name": name, "parent_id": parent.id if parent else None})
    # Products' search rows hold the category's id: a new or renamed category only needs its
    # name in the vocabulary (pinyin, suggestions); queries read names when they are read.
    search.learn_catalog_names()
    return category
