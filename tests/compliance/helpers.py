"""Builders for quota tests: units, their purchasers, filings and products (orders in each state
and moments in China Standard Time come from tests/factories.py and tests/helpers.py)."""
from marketplace.compliance.models import Filing
from marketplace.extensions import db
from tests import factories

TIBET_COUNTY = factories.LHASA_COUNTY        # 540102, aided
NYINGCHI = factories.NYINGCHI_COUNTY         # 540402, aided
BEIJING = factories.BEIJING_DISTRICT         # 110108, not aided


def filing(unit, year=2026, canteen_status="own", budget_fen=1_000_000, ratio="0.10",
           representative=None):
    """A current filing written directly (reserved = budget × ratio, half-up)."""
    from decimal import Decimal

    from marketplace.compliance.services import reserved_fen

    exempt = canteen_status in ("none", "shared_member")
    row = Filing(budget_unit_id=unit.id, year=year, version=1, is_current=True,
                 canteen_status=canteen_status, food_budget_fen=None if exempt else budget_fen,
                 ratio=None if exempt else Decimal(ratio),
                 reserved_fen=None if exempt else reserved_fen(budget_fen, Decimal(ratio)),
                 representative_unit_id=representative.id if representative else None)
    db.session.add(row)
    db.session.flush()
    return row


def product(origin=NYINGCHI, price_fen=10_000):
    return factories.product(origin_region_code=origin, price_fen=price_fen, stock=10_000)


def unit(name=None, region_code=TIBET_COUNTY, parent=None):
    return factories.org("budget_unit", name=name, region_code=region_code, parent=parent)


def purchaser(of_unit):
    return factories.user("purchaser", organization=of_unit)


def row_of(rows, unit_obj):
    return next(row for row in rows if row["unit_id"] == unit_obj.id)
