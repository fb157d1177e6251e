"""A small world for report tests: audit offices, a unit tree in two regions, filings, orders."""
import csv
import io
from dataclasses import dataclass

from marketplace.extensions import db
from tests import factories
from tests.compliance.helpers import filing
from tests.factories import accepted_order, shipped_order
from tests.helpers import cst

YEAR = 2026


@dataclass
class World:
    tibet_office: object
    nyingchi_office: object
    beijing_office: object
    root: object
    lhasa_child: object
    nyingchi_child: object
    beijing_unit: object
    supplier: object
    other_supplier: object
    orders: list


def build_world():
    """Units: root (Lhasa) → lhasa_child, nyingchi_child; beijing_unit elsewhere. Orders in 2026."""
    tibet_office = factories.org("audit_office", name="西藏自治区财政厅", region_code="540000")
    nyingchi_office = factories.org("audit_office", name="林芝市财政局", region_code="540400")
    beijing_office = factories.org("audit_office", name="北京市财政局", region_code="110000")
    root = factories.org("budget_unit", name="自治区农业农村厅", region_code="540102")
    lhasa_child = factories.org("budget_unit", name="拉萨农业技术推广站", region_code="540102",
                                parent=root)
    nyingchi_child = factories.org("budget_unit", name="林芝市巴宜区第一中学", region_code="540402",
                                   parent=root)
    beijing_unit = factories.org("budget_unit", name="北京某学校食堂", region_code="110108")
    filing(root, YEAR, budget_fen=10_000_000, ratio="0.10")          # reserved 10,000.00
    filing(lhasa_child, YEAR, budget_fen=2_000_000, ratio="0.15")    # reserved 3,000.00
    filing(nyingchi_child, YEAR, canteen_status="none")
    filing(beijing_unit, YEAR, budget_fen=5_000_000, ratio="0.10")
    supplier = factories.org("supplier", name="林芝松茸合作社", region_code="540402")
    other_supplier = factories.org("supplier", name="拉萨青稞合作社", region_code="540102")
    mushroom = factories.product(supplier=supplier, name="林芝松茸", price_fen=12_800,
                                 stock=10_000, origin_region_code="540402")
    honey = factories.product(supplier=supplier, name="林芝蜂蜜", price_fen=5_000,
                              stock=10_000, origin_region_code="540402")
    barley = factories.product(supplier=other_supplier, name="青稞面", price_fen=2_500,
                               stock=10_000, origin_region_code="540102")
    root_buyer = factories.user("purchaser", organization=root)
    child_buyer = factories.user("purchaser", organization=lhasa_child)
    beijing_buyer = factories.user("purchaser", organization=beijing_unit)
    orders = [
        accepted_order(root_buyer, [(mushroom, 30), (honey, 10)], cst(YEAR, 3, 5),
                       refunded={1: 5_000}),
        accepted_order(child_buyer, [(barley, 40)], cst(YEAR, 6, 1), accepted={0: 36}),
        accepted_order(child_buyer, [(mushroom, 2)], cst(YEAR, 1, 1, 0, 30)),  # CST new year
        shipped_order(root_buyer, [(barley, 8)], cst(YEAR, 11, 20)),
        accepted_order(beijing_buyer, [(mushroom, 5)], cst(YEAR, 4, 4)),
        accepted_order(root_buyer, [(honey, 3)], cst(YEAR - 1, 12, 31, 23, 0)),  # last year
        factories.order(root_buyer, lines=[(mushroom, 4)], status="cancelled"),
    ]
    db.session.commit()
    return World(tibet_office, nyingchi_office, beijing_office, root, lhasa_child,
                 nyingchi_child, beijing_unit, supplier, other_supplier, orders)


def auditor_of(office):
    user = factories.user("auditor", organization=office)
    db.session.commit()
    return user


def manager_of(unit):
    user = factories.user("unit_manager", organization=unit)
    db.session.commit()
    return user


def csv_sections(data):
    """(header, data rows as dicts, trailer dict) of a CSV export's bytes."""
    assert data.startswith("\ufeff".encode()), "the CSV starts with a byte-order mark"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header = rows[0]
    blank = rows.index([])
    body = [dict(zip(header, row)) for row in rows[1:blank]]
    trailer = {row[0].lstrip("#"): row[1] for row in rows[blank + 1:] if row}
    return header, body, trailer
