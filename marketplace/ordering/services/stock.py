"""Stock taken at checkout and given back on cancellation or rejection.

One atomic conditional UPDATE per product, so no concurrency can sell what is not there (the
CHECK constraint stock >= 0 backs it up).
"""
import sqlalchemy as sa

from marketplace.catalog.caching import note_catalog_change
from marketplace.catalog.models import Product
from marketplace.catalog.services.availability import on_sale, require_on_sale
from marketplace.errors import InsufficientStock
from marketplace.extensions import db
from marketplace.i18n import translate as _


def reserve_stock(wanted, products):
    """Take the stock of every product in one atomic conditional UPDATE each.

    The WHERE clause makes the database itself refuse to go below zero or to sell a product
    that is no longer on sale (the catalog's rule, read in the same statement), whatever runs
    concurrently; rows are updated in id order so two checkouts never deadlock. On a refusal,
    what this call already took is given back before raising.

    :raises InsufficientStock: a product has less stock than asked.
    :raises ProductUnavailable: a product stopped being on sale meanwhile.
    """
    taken = []
    for product_id in sorted(wanted):
        quantity = wanted[product_id]
        result = db.session.execute(
            sa.update(Product)
            .where(Product.id == product_id, Product.stock >= quantity, on_sale())
            .values(stock=Product.stock - quantity, sales_count=Product.sales_count + quantity)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            release_stock(taken)
            product = products[product_id]
            db.session.expire(product)
            require_on_sale(product)
            raise InsufficientStock(
                _("%(name)s 库存不足，请减少数量后重试。", name=product.name),
                fields={"product_id": product_id})
        taken.append((product_id, quantity))
    note_catalog_change(db.session)  # the stock and sales shown to visitors changed
    for product_id in wanted:
        db.session.expire(products[product_id], ["stock", "sales_count"])


def release_stock(items):
    """Give stock back: [(product_id, quantity)] (cancellation, rejection, failed checkout)."""
    if items:
        note_catalog_change(db.session)
    for product_id, quantity in items:
        db.session.execute(
            sa.update(Product).where(Product.id == product_id)
            .values(stock=Product.stock + quantity,
                    sales_count=sa.case((Product.sales_count >= quantity,
                                         Product.sales_count - quantity), else_=0))
            .execution_options(synchronize_session=False))
        product = db.session.get(Product, product_id)
        if product is not None:
            db.session.expire(product, ["stock", "sales_count"])
