"""Factories for tests: organisations, users, categories, products, orders.

Each returns a flushed model instance; the caller's test commits when a request must see it.
"""
import csv
import itertools
from functools import lru_cache

from marketplace.accounts.models import Organization, User
from marketplace.accounts.services import create_organization, hash_password
from marketplace.catalog.models import Category, Product, SupplierCertification
from marketplace.extensions import db
from marketplace.ordering.models import Order, OrderLine
from marketplace.payments.services import assign_terms
from marketplace.regions.models import Region
from marketplace.regions.services import DEFAULT_CSV
from marketplace.timeutil import utcnow

PASSWORD = "password123"
_counter = itertools.count(1)

ROLE_KIND = {"purchaser": "budget_unit", "unit_manager": "budget_unit",
             "supplier_staff": "supplier", "auditor": "audit_office", "admin": "platform"}
LHASA_COUNTY = "540102"      # 城关区, aided
NYINGCHI_COUNTY = "540402"   # 巴宜区, aided
BEIJING_DISTRICT = "110108"  # 海淀区, not aided


@lru_cache(maxsize=1)
def _password_hash():
    return hash_password(PASSWORD)


@lru_cache(maxsize=1)
def _region_rows():
    with open(DEFAULT_CSV, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [dict(code=row["code"], name=row["name"], name_en=row["name_en"] or None,
                 parent_code=row["parent_code"] or None, level=int(row["level"]),
                 aided=row["aided"] == "1") for row in sorted(rows, key=lambda r: int(r["level"]))]


def load_regions():
    """The shipped region registry, bulk-inserted (parents first)."""
    db.session.execute(db.insert(Region), _region_rows())
    db.session.commit()


def seq():
    return next(_counter)


def org(kind="budget_unit", name=None, region_code=LHASA_COUNTY, parent=None, budget_unit=None,
        status="active", **fields):
    """An organisation of `kind` (a union gets a new budget unit when none is given)."""
    if kind == "union" and budget_unit is None:
        budget_unit = org("budget_unit", region_code=region_code)
    if kind == "audit_office" and region_code == LHASA_COUNTY:
        region_code = "540000"
    return create_organization(name or f"{kind}-{seq()}", kind, region_code, parent=parent,
                               budget_unit=budget_unit, status=status, **fields)


def user(role="purchaser", organization=None, email=None, name=None, active=True, locale=None):
    """A user of `role`, in `organization` or a new organisation of the fitting kind."""
    if organization is None:
        organization = org(ROLE_KIND[role])
    number = seq()
    account = User(email=email or f"{role}{number}@example.com", password_hash=_password_hash(),
                   name=name or f"{role} {number}", role=role, organization=organization,
                   active=active, locale=locale)
    db.session.add(account)
    db.session.flush()
    return account


def category(name="菌菇", parent=None):
    if parent is None and name == "菌菇":
        parent = Category.query.filter_by(name="农产品", parent_id=None).first() or \
            _add(Category(name="农产品"))
    return _add(Category(name=name, parent=parent))


def product(supplier=None, name="林芝松茸", price_fen=12800, stock=100,
            origin_region_code=NYINGCHI_COUNTY, category_obj=None, unit="斤", **fields):
    """An active product of `supplier` (a new supplier when None), on sale: the supplier is
    certified for the origin county (as the catalog requires of anything it sells)."""
    supplier = supplier or org("supplier", region_code=origin_region_code)
    category_obj = category_obj or Category.query.filter(Category.parent_id.isnot(None)).first() \
        or category()
    certify(supplier, origin_region_code)
    return _add(Product(supplier=supplier, name=name, category=category_obj, unit=unit,
                        price_fen=price_fen, stock=stock, origin_region_code=origin_region_code,
                        search_text=name, **fields))


def certify(supplier, region_code, status="approved"):
    """The supplier's certification for an origin county (created when missing)."""
    cert = SupplierCertification.query.filter_by(supplier_id=supplier.id,
                                                 region_code=region_code).first()
    if cert is None:
        cert = _add(SupplierCertification(supplier_id=supplier.id, region_code=region_code,
                                          status=status, decided_at=utcnow()))
    return cert


def order(buyer=None, lines=None, status="placed", purpose="canteen", payment_method="bank_transfer",
          payment_terms="pay_first", **fields):
    """An order written straight to the tables (for tests of what happens after checkout).

    :param buyer: the placing user (a new purchaser when None).
    :param lines: [(product, quantity)]; one new product when None. All must share a supplier.
    """
    buyer = buyer or user("purchaser")
    lines = lines or [(product(), 1)]
    buyer_org = buyer.organization
    unit = buyer_org if buyer_org.kind == "budget_unit" else buyer_org.budget_unit
    supplier = lines[0][0].supplier
    number = seq()
    new_order = Order(number=f"T{number:09d}", status=status, purpose=purpose,
                      buyer_organization=buyer_org, budget_unit=unit, supplier=supplier,
                      placed_by=buyer, total_fen=sum(p.price_fen * q for p, q in lines),
                      delivery_address="拉萨市城关区 食堂", payment_method=payment_method,
                      payment_terms=payment_terms, created_at=fields.pop("created_at", utcnow()),
                      **fields)
    for item, quantity in lines:
        origin = db.session.get(Region, item.origin_region_code)
        new_order.lines.append(OrderLine(product=item, product_name=item.name, unit=item.unit,
                                         unit_price_fen=item.price_fen,
                                         origin_region_code=item.origin_region_code,
                                         origin_aided=origin.aided, quantity=quantity))
    _add(new_order)
    # As placing (and, for an accepted one, accepting) it would: its payment terms.
    assign_terms(new_order)
    return _add(new_order)


def _add(instance):
    db.session.add(instance)
    db.session.flush()
    return instance


__all__ = ["PASSWORD", "org", "user", "category", "product", "certify", "order", "load_regions",
           "Organization"]
