"""Fair prices: reference prices per category and unit (or per product), and the flag on
listings priced more than 30% above their reference."""
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from marketplace.audit.services import record
from marketplace.catalog.models import Product, ReferencePrice
from marketplace.catalog.services.common import (
    require_admin, platform_admins, clean_text, find_category, parse_price)
from marketplace.errors import FieldErrors
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify

FLAG_RATIO_TENTHS = 13           # flagged when price > reference × 1.3


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
        notify(platform_admins(), "product.price_flagged",
               _l("商品「%(name)s」价格高于参考价 30%% 以上。", name=product.name),
               link="/admin/catalog/products?flagged=1", email=False)
    return flagged


def set_reference_price(admin, category, unit, price, note=None):
    """Set (or change) the reference price of a category and unit; re-flags their products.

    :raises ValidationError: no unit, a bad price, not a leaf category.
    """
    require_admin(admin)
    errors = FieldErrors()  # a bad category, unit and price told at once
    category = errors.check(find_category, category)
    unit = errors.check(clean_text, unit, 20, field_name="unit", required=True, label=_("单位"))
    price_fen = errors.check(parse_price, price)
    errors.raise_any()
    ref = ReferencePrice.query.filter_by(category_id=category.id, unit=unit).first()
    old = ref.price_fen if ref else None
    if ref is None:
        ref = ReferencePrice(category_id=category.id, unit=unit, price_fen=price_fen)
        db.session.add(ref)
    ref.price_fen = price_fen
    ref.note = clean_text(note, 200) or None
    db.session.flush()
    record("reference_price.set", ref, actor=admin,
           detail={"category_id": category.id, "unit": unit, "from": old, "to": price_fen})
    for product in Product.query.filter_by(category_id=category.id, unit=unit):
        refresh_price_flag(product)
    db.session.flush()
    return ref


def delete_reference_price(admin, ref):
    """Remove a category reference price; its products are re-flagged without it."""
    require_admin(admin)
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
    require_admin(admin)
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


def flagged_query():
    """A query of the listings priced more than 30% above their reference (on sale or paused)."""
    return Product.query.filter(Product.price_flagged.is_(True),
                                Product.status.in_(("active", "paused")))


def flagged_products():
    """Listings priced more than 30% above their reference, for the admin."""
    products = (flagged_query()
                .options(joinedload(Product.supplier), joinedload(Product.category))
                .order_by(Product.id).all())
    return products, reference_prices_for(products)
