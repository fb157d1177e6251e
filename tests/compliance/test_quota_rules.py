"""The quota rules (compliance.services), hand-computed: each rule on its own, then all together."""
from decimal import Decimal

import pytest

from marketplace.compliance import services as q
from marketplace.compliance.models import QuotaPolicy
from marketplace.compliance.schemas import row_json
from marketplace.extensions import db
from tests import factories
from tests.compliance.helpers import (BEIJING, NYINGCHI, TIBET_COUNTY, filing, product, purchaser,
                                      row_of, unit)
from tests.factories import accepted_order, shipped_order
from tests.helpers import cst

QINGHAI_AIDED = "632621"  # 玛沁县: aided, but outside Tibet
MID_YEAR = cst(2026, 7, 2, 12)  # about half of 2026 elapsed (CST)


def policy(prefix="54", year=2026, min_ratio="0.10", eligible=("54",), unions=True):
    row = QuotaPolicy(region_prefix=prefix, year=year, min_ratio=Decimal(min_ratio),
                      eligible_origin_prefixes=list(eligible), count_union_purchases=unions)
    db.session.add(row)
    db.session.flush()
    return row


def completed(unit_obj, year=2026, now=MID_YEAR):
    return row_of(q.quota_rows(year, now=now), unit_obj)["completed"]


# ---------------------------------------------------------------- policies

def test_longest_prefix_of_that_year_governs(db):
    policy("54", min_ratio="0.10")
    policy("5401", min_ratio="0.15", eligible=())
    policy("540102", year=2025, min_ratio="0.30")
    assert q.governing_policy("540102", 2026).min_ratio == Decimal("0.15")
    assert q.governing_policy("540402", 2026).min_ratio == Decimal("0.10")
    assert q.governing_policy("540102", 2025).min_ratio == Decimal("0.30")


def test_national_default_governs_where_no_policy_matches(db):
    policy("54")
    default = q.governing_policy("110108", 2026)
    assert default.is_default
    assert (default.min_ratio, default.eligible_origin_prefixes, default.count_union_purchases) \
        == (Decimal("0.10"), (), True)
    assert q.governing_policy("540102", 2027).is_default


# ---------------------------------------------------------------- what counts

def test_acceptance_is_attributed_to_the_year_in_china_standard_time(db):
    u = unit()
    buyer = purchaser(u)
    p = product(price_fen=10_000)
    accepted_order(buyer, [(p, 1)], cst(2025, 12, 31, 23, 59, 59))   # 2025 in CST
    accepted_order(buyer, [(p, 2)], cst(2026, 1, 1, 0, 0, 0))        # 2025-12-31 16:00 UTC
    accepted_order(buyer, [(p, 3)], cst(2026, 12, 31, 23, 59, 59))   # 2026 in CST
    accepted_order(buyer, [(p, 4)], cst(2027, 1, 1, 0, 0, 0))        # 2026-12-31 16:00 UTC
    assert completed(u, 2025) == Decimal("100.00")
    assert completed(u, 2026) == Decimal("500.00")
    assert completed(u, 2027) == Decimal("400.00")


def test_partial_acceptance_counts_the_accepted_quantity(db):
    u = unit()
    accepted_order(purchaser(u), [(product(price_fen=5_000), 10)], cst(2026, 3, 1),
                   accepted={0: 7})
    assert completed(u) == Decimal("350.00")


def test_refund_after_acceptance_lowers_the_line_and_never_below_zero(db):
    u = unit()
    buyer = purchaser(u)
    accepted_order(buyer, [(product(price_fen=5_000), 3)], cst(2026, 3, 1), refunded={0: 3_000})
    # A line refunded beyond its accepted value counts 0, not −50 against the other line.
    accepted_order(buyer, [(product(price_fen=5_000), 3), (product(price_fen=2_000), 1)],
                   cst(2026, 4, 1), accepted={0: 1}, refunded={0: 10_000})
    assert completed(u) == Decimal("120.00") + Decimal("0.00") + Decimal("20.00")


def test_refund_lowers_the_year_of_acceptance(db):
    u = unit()
    accepted_order(purchaser(u), [(product(price_fen=10_000), 2)], cst(2025, 12, 20),
                   refunded={0: 5_000})
    assert completed(u, 2025) == Decimal("150.00")
    assert completed(u, 2026) == Decimal("0.00")


def test_cancelled_orders_never_count(db):
    u = unit()
    p = product(price_fen=10_000)
    accepted_order(purchaser(u), [(p, 5)], cst(2026, 3, 1), status="cancelled")
    shipped = shipped_order(purchaser(u), [(p, 5)], cst(2026, 3, 1))
    shipped.status = "cancelled"
    row = row_of(q.quota_rows(2026, now=MID_YEAR), u)
    assert (row["completed"], row["in_progress"]) == (Decimal("0.00"), Decimal("0.00"))


@pytest.mark.parametrize("region_policy, unit_region, counted", [
    ("54", TIBET_COUNTY, "400.00"),  # Tibet's policy: only Tibetan origins count
    (None, BEIJING, "600.00"),       # the national default: any aided county counts
])
def test_which_origins_count(db, region_policy, unit_region, counted):
    if region_policy:
        policy(region_policy, eligible=(region_policy,))
    u = unit(region_code=unit_region)
    buyer = purchaser(u)
    accepted_order(buyer, [(product(origin=BEIJING, price_fen=10_000), 1)], cst(2026, 3, 1))
    accepted_order(buyer, [(product(origin=QINGHAI_AIDED, price_fen=20_000), 1)], cst(2026, 3, 1))
    accepted_order(buyer, [(product(origin=NYINGCHI, price_fen=40_000), 1)], cst(2026, 3, 1))
    assert completed(u) == Decimal(counted)


def test_the_origin_snapshot_counts_not_the_region_today(db):
    from marketplace.regions.models import Region

    u = unit()
    accepted_order(purchaser(u), [(product(origin=NYINGCHI, price_fen=10_000), 1)], cst(2026, 3, 1))
    db.session.get(Region, NYINGCHI).aided = False
    assert completed(u) == Decimal("100.00")


def test_other_purposes_do_not_count(db):
    u = unit()
    accepted_order(purchaser(u), [(product(price_fen=10_000), 1)], cst(2026, 3, 1), purpose="other")
    assert completed(u) == Decimal("0.00")


@pytest.mark.parametrize("unions, expected", [(True, Decimal("300.00")), (False, Decimal("100.00"))])
def test_union_purchases_count_when_the_policy_says_so(db, unions, expected):
    policy("54", unions=unions)
    u = unit()
    union = factories.org("union", budget_unit=u)
    accepted_order(purchaser(u), [(product(price_fen=10_000), 1)], cst(2026, 3, 1))
    accepted_order(factories.user("purchaser", organization=union),
                   [(product(price_fen=20_000), 1)], cst(2026, 3, 1), purpose="union_welfare")
    assert completed(u) == expected


def test_shared_member_purchases_count_for_the_representative_once(db):
    representative, member = unit("代表单位"), unit("成员单位")
    filing(representative, budget_fen=2_000_000, canteen_status="shared_representative")
    filing(member, canteen_status="shared_member", representative=representative)
    accepted_order(purchaser(representative), [(product(price_fen=10_000), 1)], cst(2026, 3, 1))
    accepted_order(purchaser(member), [(product(price_fen=30_000), 1)], cst(2026, 3, 1))
    shipped_order(purchaser(member), [(product(price_fen=5_000), 1)], cst(2026, 4, 1))
    rows = q.quota_rows(2026, now=MID_YEAR)
    rep, mem = row_of(rows, representative), row_of(rows, member)
    assert (rep["completed"], rep["in_progress"], rep["reserved"]) == \
        (Decimal("400.00"), Decimal("50.00"), Decimal("2000.00"))
    assert (mem["completed"], mem["in_progress"], mem["status"]) == \
        (Decimal("0.00"), Decimal("0.00"), "exempt")
    assert mem["reserved"] is None and mem["completion_rate"] is None
    assert q.quota_totals(rows)["completed"] == Decimal("400.00")
    assert sum(line["counted"] for line in q.quota_lines(2026, representative)) == Decimal("400.00")
    assert q.quota_lines(2026, member) == []


def test_a_unit_without_canteen_is_exempt(db):
    u = unit()
    filing(u, canteen_status="none")
    accepted_order(purchaser(u), [(product(price_fen=10_000), 1)], cst(2026, 3, 1))
    row = row_of(q.quota_rows(2026, now=MID_YEAR), u)
    assert row["status"] == "exempt"
    assert row["reserved"] is None and row["completion_rate"] is None
    assert row["completed"] == Decimal("100.00")


def test_in_progress_counts_shipped_not_accepted_lines_in_the_year_shipped(db):
    u = unit()
    buyer = purchaser(u)
    p = product(price_fen=10_000)
    shipped_order(buyer, [(p, 2)], cst(2026, 5, 1))
    shipped_order(buyer, [(p, 7)], cst(2025, 12, 31, 23))           # shipped in 2025 (CST)
    shipped_order(buyer, [(product(origin=BEIJING), 3)], cst(2026, 5, 1))  # ineligible
    accepted_order(buyer, [(p, 1)], cst(2026, 5, 2))                # completed, not in progress
    row = row_of(q.quota_rows(2026, now=MID_YEAR), u)
    assert (row["in_progress"], row["completed"]) == (Decimal("200.00"), Decimal("100.00"))
    assert row_of(q.quota_rows(2025, now=MID_YEAR), u)["in_progress"] == Decimal("700.00")


def test_a_unit_that_has_not_filed_still_shows_what_it_completed(db):
    u = unit()
    accepted_order(purchaser(u), [(product(price_fen=10_000), 1)], cst(2026, 3, 1))
    row = row_of(q.quota_rows(2026, now=MID_YEAR), u)
    assert row["status"] == "not_filed"
    assert (row["food_budget"], row["ratio"], row["reserved"], row["completion_rate"]) == \
        (None, None, None, None)
    assert row["completed"] == Decimal("100.00")


# ---------------------------------------------------------------- reserved, rate, status

@pytest.mark.parametrize("budget, ratio, reserved", [
    ("100.05", "0.10", Decimal("10.01")),       # 10.005 → half-up 10.01 (not banker's 10.00)
    ("1.00", "0.125", Decimal("0.13")),         # 0.125 → 0.13
    ("12345.67", "0.15", Decimal("1851.85")),   # 1851.8505
    ("99.94", "0.10", Decimal("9.99")),         # 9.994
])
def test_reserved_is_budget_times_ratio_rounded_half_up(db, budget, ratio, reserved):
    manager = factories.user("unit_manager")
    result = q.file_quota(manager, manager.organization, 2026, "own", budget, ratio)
    assert Decimal(result.reserved_fen) / 100 == reserved


def test_a_lower_ratio_needs_an_exception_reference_and_counts_once_approved(db):
    manager = factories.user("unit_manager")
    unit_obj = manager.organization
    with pytest.raises(q.ValidationError) as error:
        q.file_quota(manager, unit_obj, 2026, "own", "10000", "0.05")
    assert "ratio" in error.value.fields
    assert q.current_filing(unit_obj, 2026) is None
    result = q.file_quota(manager, unit_obj, 2026, "own", "10000", "0.05", exception_ref="藏财〔2026〕12号")
    # Pending: it counts at the policy minimum until the finance side decides.
    assert (result.reserved_fen, result.exception_ref, result.exception_status) == \
        (100_000, "藏财〔2026〕12号", "pending")
    row = row_of(q.quota_rows(2026, now=MID_YEAR), unit_obj)
    assert (row["ratio"], row["reserved"], row["exception_status"]) == \
        (Decimal("0.10"), Decimal("1000.00"), "pending")
    q.decide_exception(factories.user("admin"), unit_obj, 2026, "approve")
    row = row_of(q.quota_rows(2026, now=MID_YEAR), unit_obj)
    assert (row["ratio"], row["reserved"], row["exception_status"]) == \
        (Decimal("0.05"), Decimal("500.00"), "approved")


def test_completion_rate_is_rounded_half_up_to_four_places(db):
    assert q.completion_rate(30_000, 10_000) == Decimal("0.3333")
    assert q.completion_rate(30_000, 20_000) == Decimal("0.6667")
    assert q.completion_rate(20_000, 1) == Decimal("0.0001")   # 0.00005 half-up
    assert q.completion_rate(0, 10) is None and q.completion_rate(None, 10) is None


@pytest.mark.parametrize("bought_fen, now, status", [
    (100_000, cst(2026, 3, 1), "met"),          # completed = reserved
    (60_000, MID_YEAR, "on_track"),             # 600 ≥ 1000 × ~0.50
    (40_000, MID_YEAR, "behind"),               # 400 < 1000 × ~0.50
    (90_000, cst(2027, 1, 1, 0, 0, 1), "not_met"),  # the year has ended
    (100_000, cst(2027, 2, 1), "met"),
    (0, cst(2026, 1, 1, 0, 0, 0), "on_track"),  # nothing elapsed yet
])
def test_status_follows_completed_against_reserved_and_the_year_elapsed(db, bought_fen, now, status):
    u = unit()
    filing(u, budget_fen=1_000_000)   # reserved 1000.00
    if bought_fen:
        accepted_order(purchaser(u), [(product(price_fen=bought_fen), 1)], cst(2026, 1, 5))
    assert row_of(q.quota_rows(2026, now=now), u)["status"] == status


def test_on_track_is_measured_against_the_cst_fraction_of_the_year(db):
    # Half of 2026 (365 days) elapses at 2026-07-02 12:00 CST exactly.
    u = unit()
    filing(u, budget_fen=1_000_000)
    accepted_order(purchaser(u), [(product(price_fen=50_000), 1)], cst(2026, 1, 5))
    assert row_of(q.quota_rows(2026, now=cst(2026, 7, 2, 12)), u)["status"] == "on_track"
    assert row_of(q.quota_rows(2026, now=cst(2026, 7, 2, 12, 0, 1)), u)["status"] == "behind"


# ---------------------------------------------------------------- subtrees

def test_a_parent_sees_the_sum_of_its_subtree(db):
    parent = unit("厅")
    child_a, child_b = unit("局A", parent=parent), unit("局B", parent=parent)
    grandchild = unit("所", parent=child_a)
    outsider = unit("外单位")
    for org_unit, budget in ((parent, 1_000_000), (child_a, 2_000_000), (child_b, 500_000),
                             (grandchild, 300_000), (outsider, 9_900_000)):
        filing(org_unit, budget_fen=budget)
    for org_unit, price in ((parent, 1_000), (child_a, 2_000), (child_b, 4_000),
                            (grandchild, 8_000), (outsider, 16_000)):
        accepted_order(purchaser(org_unit), [(product(price_fen=price), 1)], cst(2026, 3, 1))
    rows = q.quota_rows(2026, parent_id=parent.id, now=MID_YEAR)
    assert {row["unit_id"] for row in rows} == {parent.id, child_a.id, child_b.id, grandchild.id}
    totals = q.quota_totals(rows)
    assert totals == {"reserved": Decimal("3800.00"), "completed": Decimal("150.00"),
                      "in_progress": Decimal("0.00")}
    quotas = q.compute(2026, now=MID_YEAR)
    sub = q.rollup(quotas, child_a)
    assert (sub["reserved"], sub["completed"]) == (230_000, 10_000)
    lines = q.quota_lines(2026, parent, subtree=True)
    assert sum(line["counted"] for line in lines) == Decimal("150.00")


def test_region_and_status_filters(db):
    tibet, beijing = unit(), unit(region_code=BEIJING)
    filing(tibet, budget_fen=100_000)
    accepted_order(purchaser(tibet), [(product(price_fen=20_000), 1)], cst(2026, 3, 1))
    assert [r["unit_id"] for r in q.quota_rows(2026, region="540000", now=MID_YEAR)] == [tibet.id]
    assert [r["unit_id"] for r in q.quota_rows(2026, status="not_filed", now=MID_YEAR)] == \
        [beijing.id]
    assert [r["unit_id"] for r in q.quota_rows(2026, status="met", now=MID_YEAR)] == [tibet.id]
    with pytest.raises(q.ValidationError):
        q.quota_rows(2026, status="great")


# ---------------------------------------------------------------- everything together

def test_all_rules_together(db):
    """One unit, one year: each line's fate written out by hand.

    policy 54: ratio 0.12, Tibet only, unions not counted; budget 25,000.05 → reserved
    3,000.006 → 3000.01.
    """
    policy("54", min_ratio="0.12", eligible=("54",), unions=False)
    u = unit()
    member = unit("合用食堂的成员")
    union = factories.org("union", budget_unit=u)
    manager = factories.user("unit_manager", organization=u)
    q.file_quota(manager, u, 2026, "shared_representative", "25000.05", now=cst(2026, 2, 1))
    filing(member, canteen_status="shared_member", representative=u)
    buyer, member_buyer = purchaser(u), purchaser(member)
    union_buyer = factories.user("purchaser", organization=union)
    mushrooms = product(origin=NYINGCHI, price_fen=12_800)
    barley = product(origin="540102", price_fen=3_550)
    accepted_order(buyer, [(mushrooms, 10), (barley, 20)], cst(2026, 1, 1, 0, 0, 5),
                   accepted={0: 8}, refunded={1: 1_000})          # 1024.00 + 700.00
    accepted_order(buyer, [(mushrooms, 5)], cst(2025, 12, 31, 23, 59))   # 2025: not counted
    accepted_order(buyer, [(mushrooms, 5)], cst(2026, 6, 1), status="cancelled")  # never
    accepted_order(buyer, [(product(origin=BEIJING, price_fen=9_900), 3),
                           ], cst(2026, 6, 1))                    # not aided
    accepted_order(buyer, [(product(origin=QINGHAI_AIDED, price_fen=9_900), 3)],
                   cst(2026, 6, 1))                               # aided, outside 54
    accepted_order(union_buyer, [(mushrooms, 2)], cst(2026, 6, 1), purpose="union_welfare")
    accepted_order(member_buyer, [(barley, 4)], cst(2026, 6, 30, 23, 59))  # 142.00 for u
    accepted_order(buyer, [(barley, 2)], cst(2026, 7, 1), refunded={0: 99_999})  # floored 0
    shipped_order(buyer, [(mushrooms, 1)], cst(2026, 6, 15))      # in progress 128.00
    shipped_order(union_buyer, [(mushrooms, 1)], cst(2026, 6, 15), purpose="union_welfare")
    rows = q.quota_rows(2026, now=MID_YEAR)
    row = row_json(row_of(rows, u))
    assert row == {"unit_id": u.id, "unit_name": u.name, "region_code": "540102",
                   "canteen_status": "shared_representative", "food_budget": "25000.05",
                   "ratio": "0.12", "reserved": "3000.01", "completed": "1866.00",
                   "in_progress": "128.00", "completion_rate": "0.6220",
                   "status": "on_track", "exception_status": None}
    assert row_json(row_of(rows, member))["completed"] == "0.00"
    lines = q.quota_lines(2026, u)
    assert sorted(line["counted"] for line in lines) == \
        [Decimal("0.00"), Decimal("142.00"), Decimal("700.00"), Decimal("1024.00")]
    months = q.unit_quota(2026, u, now=MID_YEAR).months
    assert months[0] == 172_400 and months[5] == 14_200 and months[6] == 0 and sum(months) == 186_600
