"""Reviews: buyers whose organisation accepted a delivery rate the product, one review per
organisation and product; ratings of products and suppliers."""
from array import array
from bisect import bisect_left

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from marketplace.audit.services import record
from marketplace.catalog.models import Review
from marketplace.catalog.services.common import clean_text, parse_integer
from marketplace.catalog.caching import kept_received
from marketplace.catalog.signals import deliveries_asked, review_posted
from marketplace.errors import PermissionDenied, StateError
from marketplace.extensions import db
from marketplace.i18n import translate as _

REVIEWABLE_ORDER_STATUSES = ("accepted", "completed")
REVIEWER_ROLES = ("purchaser", "unit_manager")  # the buyers' roles: who may review at all


def can_review(user, product_id):
    """Whether `user`'s organisation accepted a delivery of the product and has not reviewed
    it (by id: the product page asks this without reading the product again). What the
    organisation received is kept, so a buyer's product page asks the database nothing for
    it; the review itself checks it live (`add_review`)."""
    if not _is_reviewer(user):
        return False
    received = kept_received(user.organization_id,
                             lambda: _packed(received_products(user.organization_id)))
    return _holds(received, product_id) and not _reviewed(user, product_id)


def _packed(product_ids):
    """Product ids as the bytes of a sorted array of 32-bit integers: kept and read back on
    every buyer's product page, they cost a copy where a pickled set of a few hundred ids cost
    tens of microseconds to rebuild."""
    return array("i", sorted(product_ids)).tobytes()


def _holds(packed, product_id):
    ids = array("i")
    ids.frombytes(packed)
    index = bisect_left(ids, product_id)
    return index < len(ids) and ids[index] == product_id


def _is_reviewer(user):
    return bool(getattr(user, "is_authenticated", False)) and user.role in REVIEWER_ROLES


def received_products(organization_id):
    """The ids of the products the organisation accepted a delivery of (asked of ordering)."""
    answers = deliveries_asked.send(organization_id, statuses=REVIEWABLE_ORDER_STATUSES)
    return frozenset(product_id for _receiver, received in answers for product_id in received)


# Asked on each product page of what a buyer's organisation received: built once (composing it
# cost more than running it).
_REVIEWED = sa.select(Review.id).where(Review.product_id == sa.bindparam("product_id"),
                                       Review.organization_id == sa.bindparam("organization_id")) \
    .limit(1)


def _reviewed(user, product_id):
    return db.session.execute(_REVIEWED, {"product_id": product_id,
                                          "organization_id": user.organization_id}).first() \
        is not None


def add_review(user, product, stars, text=""):
    """A buyer rates a product its organisation accepted a delivery of; an organisation
    reviews a product once (whichever of its buyers writes it).

    :raises PermissionDenied: no accepted delivery of it.
    :raises StateError: its organisation already reviewed it.
    :raises ValidationError: stars not 1 to 5, text too long.
    """
    stars = parse_integer(stars, "stars", _("评分"), 1, 5)
    text = clean_text(text, 1000, field_name="text", label=_("评价"))
    if not (_is_reviewer(user) and product.id in received_products(user.organization_id)):
        raise PermissionDenied(_("只有验收过该商品的采购单位可以评价。"))
    if _reviewed(user, product.id):
        raise StateError(_("您的单位已评价过该商品。"), code="already_reviewed")
    review = Review(product_id=product.id, supplier_id=product.supplier_id, user_id=user.id,
                    organization_id=user.organization_id, stars=stars, text=text)
    db.session.add(review)
    db.session.flush()
    record("review.create", review, actor=user, detail={"product_id": product.id, "stars": stars})
    review_posted.send(review, actor=user)
    return review


REVIEWS_SHOWN = 50


def reviews_of(product, limit=REVIEWS_SHOWN):
    """A product's reviews, newest first."""
    return (Review.query.filter_by(product_id=product.id).options(joinedload(Review.organization))
            .order_by(Review.id.desc()).limit(limit).all())


def rating_of_product(product, reviews=None):
    """(average stars rounded to one place or None, number of reviews).

    `reviews`: what `reviews_of(product)` gave, when the caller has it; when that is every
    review (fewer than it shows at most), they are counted without a query of their own."""
    if reviews is not None and len(reviews) < REVIEWS_SHOWN:
        count = len(reviews)
        return (round(sum(review.stars for review in reviews) / count, 1) if count else None,
                count)
    return _rating(Review.product_id == product.id)


def supplier_rating(supplier):
    """(average stars over all its products, rounded to one place or None, number of reviews)."""
    return _rating(Review.supplier_id == supplier.id)


def _rating(condition):
    average, count = db.session.query(db.func.avg(Review.stars), db.func.count(Review.id)) \
        .filter(condition).one()
    return (round(float(average), 1) if count else None), count
