"""What is on sale: one rule for every list, page, search, cart, checkout and API answer.

A product is on sale when all three hold:

- its listing is active (not paused by its supplier, archived or taken down by the admin);
- its supplier is an active organisation (a suspension takes all its goods off sale);
- its supplier holds an approved certification for the product's origin county (a suspended
  certification takes that county's goods off sale).

Nothing is rewritten when a supplier or a certification is suspended: the rule reads their
state, so everything leaves every list, page, cart and checkout at the same moment, and comes
back as it was when the supplier or the certification is reinstated. The rule exists twice,
side by side: as SQL (`on_sale`) for queries and as a check of one product
(`unavailable_reason`); the tests hold them to the same answers.
"""
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from marketplace.accounts.models import Organization
from marketplace.catalog.models import Product, SupplierCertification
from marketplace.errors import Conflict
from marketplace.extensions import db
from marketplace.i18n import translate as _

REASONS = ("paused", "archived", "taken_down", "supplier_suspended", "not_certified")


class ProductUnavailable(Conflict, code="product_unavailable"):
    """A product that is not on sale was asked for (409; nothing is created)."""


_ON_SALE = {}


def on_sale(product=Product, joined_supplier=None):
    """SQL: `product` (the Product entity or an alias) is on sale.

    `joined_supplier`: the Organization entity the enclosing query already joins as the
    product's supplier (`Organization.id == Product.supplier_id`); its status is then read
    from that row rather than by a subquery per product (one join fewer to plan and run)."""
    # Built once per form for the Product entity (every list, card and stock query asks for
    # it): building the aliases and adapting their columns cost more CPU than planning the
    # query. An expression is immutable, so one object serves every statement.
    if product is not Product or joined_supplier not in (None, Organization):
        return _on_sale(product, joined_supplier)
    if joined_supplier not in _ON_SALE:
        _ON_SALE[joined_supplier] = _on_sale(Product, joined_supplier)
    return _ON_SALE[joined_supplier]


def _on_sale(product, joined_supplier):
    # Aliases: the enclosing query may itself join the supplier or the certifications, and
    # these subqueries must not be correlated to those.
    cert = aliased(SupplierCertification)
    if joined_supplier is not None:
        supplier_active = joined_supplier.status == "active"
    else:
        supplier = aliased(Organization)
        supplier_active = sa.exists().where(supplier.id == product.supplier_id,
                                            supplier.status == "active")
    certified = sa.exists().where(cert.supplier_id == product.supplier_id,
                                  cert.region_code == product.origin_region_code,
                                  cert.status == "approved")
    return sa.and_(product.status == "active", supplier_active, certified)


def unavailable_reason(product):
    """Why `product` is not on sale (one of REASONS), or None when it is."""
    if product.status in ("paused", "archived", "taken_down"):
        return product.status
    if product.status != "active":
        return "paused"
    if product.supplier is None or product.supplier.status != "active":
        return "supplier_suspended"
    certified = db.session.query(SupplierCertification.query.filter_by(
        supplier_id=product.supplier_id, region_code=product.origin_region_code,
        status="approved").exists()).scalar()
    return None if certified else "not_certified"


def reason_text(reason):
    """What a buyer is told about a product that is not on sale."""
    texts = {
        "paused": _("供应商已暂停销售该商品"),
        "archived": _("该商品已下架"),
        "taken_down": _("该商品已被平台下架"),
        "supplier_suspended": _("供应商已被暂停，暂不能购买"),
        "not_certified": _("供应商的产地认证已暂停，暂不能购买"),
    }
    return texts.get(reason, _("该商品暂不能购买"))


def require_on_sale(product):
    """:raises ProductUnavailable: `product` is not on sale (the reason in `fields`)."""
    reason = unavailable_reason(product)
    if reason is not None:
        raise ProductUnavailable(
            _("%(name)s 暂不能购买：%(reason)s。", name=product.name, reason=reason_text(reason)),
            fields={"product_id": product.id, "reason": reason})
    return product
