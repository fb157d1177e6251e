"""Quota rules at their edges: rejected orders, a shared member under its representative's
policy, an order shipped in one year and accepted in the next, and the figures as the real
ordering and payments services leave them (omitted lines accepted in full, refunds)."""
from decimal import Decimal

import pytest

from marketplace.compliance import services as q
from marketplace.ordering import services as ordering
from marketplace.payments import services as payments
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.factories import accepted_order, shipped_order
from tests.helpers import cst
from tests.compliance.helpers import (BEIJING, NYINGCHI, TIBET_COUNTY, filing, product, purchaser,
                                      row_of, unit)
from tests.compliance.test_quota_rules import MID_YEAR, QINGHAI_AIDED, policy


def figures(unit_obj, year=2026, now=MID_YEAR):
    row = row_of(q.quota_rows(year, now=now), unit_obj)
    return row["completed"], row["in_progress"]


@pytest.mark.parametrize("status", ["cancelled", "rejected"])
def test_cancelled_or_rejected_orders_never_count_whatever_their_timestamps(db, status):
    u = unit()
    p = product(price_fen=10_000)
    accepted_order(purchaser(u), [(p, 3)], cst(2026, 3, 1), status=status)
    stale = shipped_order(purchaser(u), [(p, 5)], cst(2026, 3, 1))
    stale.status = status
    accepted_order(purchaser(u), [(p, 1)], cst(2026, 3, 2))           # the one that counts
    db.session.flush()
    assert figures(u) == (Decimal("100.00"), Decimal("0.00"))
    assert [line["counted"] for line in q.quota_lines(2026, u)] == [Decimal("100.00")]


@pytest.mark.parametrize("representative_region, member_region, completed, in_progress", [
    # Representative in Tibet (policy 54: Tibetan origins only, union purchases not counted):
    # the member's own (national default) policy does not matter.
    (TIBET_COUNTY, BEIJING, Decimal("100.00"), Decimal("0.00")),
    # Representative outside Tibet (national default: any aided county, unions counted).
    (BEIJING, TIBET_COUNTY, Decimal("700.00"), Decimal("80.00")),
], ids=["representative_in_tibet", "representative_elsewhere"])
def test_a_shared_members_lines_count_under_the_representatives_policy(
        db, representative_region, member_region, completed, in_progress):
    policy("54", eligible=("54",), unions=False)
    representative = unit("代表单位", region_code=representative_region)
    member = unit("成员单位", region_code=member_region)
    filing(representative, canteen_status="shared_representative", budget_fen=2_000_000)
    filing(member, canteen_status="shared_member", representative=representative)
    member_buyer = purchaser(member)
    union_buyer = factories.user("purchaser",
                                 organization=factories.org("union", budget_unit=member))
    accepted_order(member_buyer, [(product(origin=NYINGCHI, price_fen=10_000), 1)],
                   cst(2026, 3, 1))
    accepted_order(member_buyer, [(product(origin=QINGHAI_AIDED, price_fen=20_000), 1)],
                   cst(2026, 3, 1))
    accepted_order(union_buyer, [(product(origin=NYINGCHI, price_fen=40_000), 1)],
                   cst(2026, 3, 1), purpose="union_welfare")
    shipped_order(union_buyer, [(product(origin=NYINGCHI, price_fen=5_000), 1)],
                  cst(2026, 4, 1), purpose="union_welfare")
    shipped_order(member_buyer, [(product(origin=QINGHAI_AIDED, price_fen=3_000), 1)],
                  cst(2026, 4, 1))
    assert figures(representative) == (completed, in_progress)
    assert figures(member) == (Decimal("0.00"), Decimal("0.00"))
    lines = q.quota_lines(2026, representative)
    assert sum(line["counted"] for line in lines) == completed
    assert {line["credited_unit_id"] for line in lines} <= {representative.id}


def test_an_order_shipped_in_one_year_and_accepted_in_the_next_moves_there(db):
    u = unit()
    order = shipped_order(purchaser(u), [(product(price_fen=10_000), 2)], cst(2026, 12, 31, 20))
    assert figures(u, 2026) == (Decimal("0.00"), Decimal("200.00"))
    assert figures(u, 2027, now=cst(2027, 1, 1, 8)) == (Decimal("0.00"), Decimal("0.00"))
    order.status, order.accepted_at = "accepted", cst(2027, 1, 2, 9)
    for line in order.lines:
        line.accepted_quantity = line.quantity
    db.session.flush()
    assert figures(u, 2026) == (Decimal("0.00"), Decimal("0.00"))
    assert figures(u, 2027, now=cst(2027, 1, 3)) == (Decimal("200.00"), Decimal("0.00"))


def test_figures_follow_a_real_order_through_shipping_acceptance_and_refunds(db):
    """place → confirm → ship → accept (one line short, one left out) → refunds, all through
    the ordering and payments services; the quota figures read what they wrote."""
    u = unit()
    buyer = purchaser(u)
    supplier = factories.org("supplier", region_code=NYINGCHI)
    staff = factories.user("supplier_staff", organization=supplier)
    mushrooms = factories.product(supplier=supplier, name="松茸", price_fen=5_000,
                                  origin_region_code=NYINGCHI)
    barley = factories.product(supplier=supplier, name="青稞", price_fen=2_000,
                               origin_region_code=TIBET_COUNTY)
    tea = factories.product(supplier=supplier, name="茶叶", price_fen=1_000,
                            origin_region_code=BEIJING)                  # not aided
    [order] = ordering.place_orders(buyer, [(mushrooms.id, 2), (barley.id, 3), (tea.id, 1)],
                                    "canteen", "拉萨市城关区 食堂", "bank_transfer", "goods_first")
    year = to_cst(utcnow()).year
    now = utcnow()
    assert figures(u, year, now) == (Decimal("0.00"), Decimal("0.00"))     # placed: nothing yet

    ordering.confirm_order(order, staff)
    ordering.ship_order(order, staff, "顺丰", "SF1")
    assert figures(u, year, now) == (Decimal("0.00"), Decimal("160.00"))   # 2×50 + 3×20

    line_of = {line.product_id: line for line in order.lines}
    ordering.accept_delivery(order, buyer, {line_of[mushrooms.id].id: 1})  # barley left out
    assert line_of[barley.id].accepted_quantity == 3
    assert figures(u, year, now) == (Decimal("110.00"), Decimal("0.00"))   # 1×50 + 3×20

    payments.create_refund(order, staff, line_of[barley.id].id, 1_500, "一袋受潮")
    assert figures(u, year, now)[0] == Decimal("95.00")
    payments.create_refund(order, staff, line_of[mushrooms.id].id, 5_000, "不新鲜")
    assert figures(u, year, now)[0] == Decimal("45.00")                    # mushrooms: 0
    counted = {line["product_id"]: line["counted"] for line in q.quota_lines(year, u)}
    assert counted == {mushrooms.id: Decimal("0.00"), barley.id: Decimal("45.00")}
