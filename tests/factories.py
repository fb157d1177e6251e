"""Factories for tests: organisations, users of each role, categories, products, orders in each
state, and `Parties` (a buyer and a supplier trading).

Each returns a flushed model instance; the caller's test commits when a request must see it.
Tokens, bearer headers and signing in are in tests/helpers.py.
"""
import csv
import itertools
from datetime import timedelta
from functools import lru_cache

from marketplace.accounts.models import Organization, User
from marketplace.accounts.services import create_organization, hash_password
from marketplace.catalog.models import Category, Product, SupplierCertification
from marketplace.extensions import db
from marketplace.ordering.models import Order, OrderLine
from marketplace.payments import services as payments
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


@lru_cache(maxsize=1)
def shipped_regions():
    """The shipped registry as (code, name, name_en, parent_code, level, aided) rows by code."""
    return sorted((row["code"], row["name"], row["name_en"], row["parent_code"], row["level"],
                   row["aided"]) for row in _region_rows())


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
          payment_terms="pay_first", accepted=None, refunded=None, **fields):
    """An order in `status`, written straight to the tables (for tests of what happens after
    checkout; tests/ordering/helpers.py takes orders through the services instead).

    :param buyer: the placing user (a new purchaser when None).
    :param lines: [(product, quantity)]; one new product when None. All must share a supplier.
    :param accepted: {line index: quantity accepted} of an order given `accepted_at`; its other
        lines are accepted in full, as the acceptance service leaves them.
    :param refunded: {line index: fen refunded}.
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
    for index, line in enumerate(new_order.lines):
        if new_order.accepted_at is not None:
            line.accepted_quantity = (accepted or {}).get(index, line.quantity)
        line.refunded_fen = (refunded or {}).get(index, 0)
    _add(new_order)
    # As placing (and, for an accepted one, accepting) it would: its payment terms.
    payments.assign_terms(new_order)
    return _add(new_order)


def shipped_order(buyer, lines, at, purpose="canteen", **fields):
    """An order shipped at `at` and not yet accepted."""
    return order(buyer, lines=lines, status="shipped", purpose=purpose, shipped_at=at, **fields)


def accepted_order(buyer, lines, at, status="accepted", purpose="canteen", accepted=None,
                   refunded=None, **fields):
    """An order shipped and accepted at `at` (`accepted`: {line index: quantity}, all by
    default; `refunded`: {line index: fen}). `status` may be a later one: completed, or
    cancelled for one that must not count however it was accepted."""
    return order(buyer, lines=lines, status=status, purpose=purpose, shipped_at=at,
                 accepted_at=at, accepted=accepted, refunded=refunded, **fields)


class Parties:
    """A buyer (purchaser), a supplier with staff and a settlement account, and two products;
    `order(status)` gives an order between them in that state."""

    def __init__(self, buyer_kind="budget_unit"):
        buyer_org = org(buyer_kind)
        self.buyer = user("purchaser", organization=buyer_org)
        self.supplier_org = org(
            "supplier", region_code=NYINGCHI_COUNTY, settlement_bank="西藏银行林芝分行",
            settlement_account="6228 0000 1111 2222", settlement_account_name="林芝松茸合作社")
        self.supplier = user("supplier_staff", organization=self.supplier_org)
        self.product = product(supplier=self.supplier_org, price_fen=12800)
        self.other = product(supplier=self.supplier_org, name="青稞面", price_fen=2550)

    def order(self, status="accepted", quantity=2, other_quantity=0, **fields):
        """An order of `quantity` of the product (and `other_quantity` of the other); an
        accepted or completed one was accepted an hour ago, in full."""
        lines = [(self.product, quantity)]
        if other_quantity:
            lines.append((self.other, other_quantity))
        if status in ("accepted", "completed"):
            fields.setdefault("accepted_at", utcnow() - timedelta(hours=1))
        return order(self.buyer, lines=lines, status=status, **fields)

    def transfer(self, order, amount_fen, account="6217", note=""):
        """The buyer's bank transfer for `order` today, recorded through the payments services
        (not yet confirmed by the supplier)."""
        return payments.record_transfer(order, self.buyer, amount_fen, payments.today_cst(),
                                        account, note)

    def completed_order(self, quantity=1):
        """An accepted order paid by bank transfer and the transfer confirmed by the supplier
        (through the payments services), which completes it."""
        accepted = self.order(status="accepted", quantity=quantity)
        payments.confirm_transfer(self.transfer(accepted, payments.amount_due_fen(accepted)),
                                  self.supplier)
        assert accepted.status == "completed"
        return accepted


def _add(instance):
    db.session.add(instance)
    db.session.flush()
    return instance


__all__ = ["PASSWORD", "org", "user", "category", "product", "certify", "order", "shipped_order",
           "accepted_order", "Parties", "load_regions", "Organization"]
