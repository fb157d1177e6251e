"""Favourites (收藏): a buyer marks the products they buy again and again, and finds them on
their list, still on sale first.

A favourite is the user's own bookmark, not a business event: it is not written to the audit
trail, and it never changes what a catalog page shows to others (the kept pages hold no
favourite; the product page asks `is_favourite` for the user of each request).
"""
from sqlalchemy.orm import joinedload

from marketplace.catalog.models import Favourite, Product
from marketplace.catalog.services.availability import unavailable_reason
from marketplace.catalog.services.products import visible_product
from marketplace.errors import NotFound, PermissionDenied
from marketplace.extensions import db
from marketplace.i18n import translate as _

FAVOURITE_ROLES = ("purchaser",)  # the role that orders (the cart is theirs)


def can_favourite(user):
    """Whether `user` keeps favourites (a signed-in buyer)."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in FAVOURITE_ROLES


def _require_buyer(user):
    if not can_favourite(user):
        raise PermissionDenied(_("只有采购员可以收藏商品。"))


def is_favourite(user, product_id):
    """Whether `user` marked the product (one small query by primary key)."""
    if not can_favourite(user):
        return False
    return db.session.get(Favourite, (user.id, product_id)) is not None


def favourites_count_column(user_id):
    """How many favourites a user keeps, as a scalar subquery correlated to the users' id
    column `user_id` (the user loader selects it with the user)."""
    return (db.select(db.func.count()).select_from(Favourite)
            .where(Favourite.user_id == user_id).scalar_subquery())


def favourite_ids(user, product_ids):
    """Which of `product_ids` the user marked (a set; one query for a page of cards)."""
    if not can_favourite(user) or not product_ids:
        return set()
    return set(db.session.scalars(db.select(Favourite.product_id).where(
        Favourite.user_id == user.id, Favourite.product_id.in_(set(product_ids)))))


def add_favourite(user, product_id):
    """Mark a product the user may see as favourite (marking it twice changes nothing).

    :raises NotFound: no such product, or not one the user may see.
    """
    _require_buyer(user)
    product = visible_product(user, product_id)
    favourite = db.session.get(Favourite, (user.id, product.id))
    if favourite is None:
        favourite = Favourite(user_id=user.id, product_id=product.id, product=product)
        db.session.add(favourite)
        db.session.flush()
    return favourite


def remove_favourite(user, product_id):
    """Unmark a product, even one no longer on sale; True when it was marked.

    :raises NotFound: no such product at all.
    """
    _require_buyer(user)
    favourite = db.session.get(Favourite, (user.id, product_id))
    if favourite is None:
        if db.session.get(Product, product_id) is None:
            raise NotFound(_("商品不存在。"))
        return False
    db.session.delete(favourite)
    db.session.flush()
    return True


def favourites_of(user):
    """The user's favourites as [(favourite, why it is not on sale or None)]: the products on
    sale first, then the others, each part latest marked first."""
    _require_buyer(user)
    rows = (Favourite.query.filter_by(user_id=user.id)
            .options(joinedload(Favourite.product).joinedload(Product.supplier),
                     joinedload(Favourite.product).selectinload(Product.photos))
            .order_by(Favourite.created_at.desc(), Favourite.product_id.desc()).all())
    listed = [(favourite, unavailable_reason(favourite.product)) for favourite in rows]
    return sorted(listed, key=lambda row: row[1] is not None)

