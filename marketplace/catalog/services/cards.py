"""The product cards of the public lists (home, list and search, store, origin): plain rows.

A card needs a dozen columns of the product (with its sales count), its supplier's and origin's names, its first
photo and its reference price. They are read with one statement into named tuples rather than
as ORM objects with their relations and a query per relation: on every list page a buyer opens,
that is one round trip to the database instead of four and a fraction of the Python. The rows are read afresh on every page (today's price, stock and name), even when which
products the page shows was kept (browsing.matching_ids); one that stopped being on sale
meanwhile is left out.
"""
from typing import NamedTuple

from marketplace.accounts.models import Organization
from marketplace.catalog.models import Product, ProductPhoto, ReferencePrice
from marketplace.catalog.services.availability import on_sale
from marketplace.catalog.services.browsing import ProductPage, matching_ids, page_bounds
from marketplace.extensions import db
from marketplace.regions.models import Region


class ProductCard(NamedTuple):
    id: int
    name: str
    price_fen: int
    unit: str
    spec: str | None
    stock: int
    labels: str | None
    price_flagged: bool
    reference_fen: int | None  # the product's own reference price, else its category's
    supplier_id: int
    supplier_name: str
    supplier_tier: str        # the supplier's credit tier (its badge)
    origin_name: str
    origin_name_en: str | None
    thumb_name: str | None    # the first photo's thumbnail, if any
    sales_count: int = 0      # units sold (kept on the product by ordering's stock moves)


def _first_thumb():
    return (db.select(ProductPhoto.thumb_name)
            .where(ProductPhoto.product_id == Product.id)
            .order_by(ProductPhoto.position, ProductPhoto.id).limit(1)
            .scalar_subquery())


def cards_of(ids):
    """{id: ProductCard} of the products among `ids` that are on sale."""
    if not ids:
        return {}
    # As prices.reference_prices_for: the product's own reference (when set), else the one
    # of its category and unit.
    reference = db.func.coalesce(db.func.nullif(Product.reference_price_fen, 0),
                                 ReferencePrice.price_fen)
    rows = db.session.execute(
        db.select(Product.id, Product.name, Product.price_fen, Product.unit, Product.spec,
                  Product.stock, Product.labels, Product.price_flagged, reference,
                  Product.supplier_id, Organization.name, Organization.credit_tier, Region.name,
                  Region.name_en, _first_thumb(), Product.sales_count)
        .join(Organization, Organization.id == Product.supplier_id)
        .join(Region, Region.code == Product.origin_region_code)
        .outerjoin(ReferencePrice, db.and_(ReferencePrice.category_id == Product.category_id,
                                           ReferencePrice.unit == Product.unit))
        .where(Product.id.in_(ids), on_sale(joined_supplier=Organization)))
    return {row[0]: ProductCard(*row) for row in rows}


def list_cards(filters, page=1, per_page=20, count_cap=1000, read=None):
    """A ProductPage of ProductCards for a public list: what is on sale, matching `filters`
    (`read`: its query already read, see browsing.product_query)."""
    page, per_page = page_bounds(page, per_page)
    ids, total, capped = matching_ids(filters, page, per_page, count_cap=count_cap, read=read)
    cards = cards_of(ids)
    items = [cards[i] for i in ids if i in cards]
    return ProductPage(items=items, total=total, page=page, per_page=per_page,
                       references={card.id: card.reference_fen for card in items},
                       capped=capped)
