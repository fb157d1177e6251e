"""Property tests: a subtree's total is the sum of its units, and no line is counted twice."""
from collections import Counter
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.compliance import services as q
from marketplace.extensions import db
from tests import factories
from tests.compliance.helpers import BEIJING, NYINGCHI, filing, product, purchaser, unit
from tests.factories import accepted_order, shipped_order
from tests.helpers import cst

ORIGINS = (NYINGCHI, "540102", BEIJING, "632621")
NOW = cst(2026, 8, 1)

order_st = st.fixed_dictionaries({
    "buyer": st.integers(0, 5),
    "union": st.booleans(),
    "purpose": st.sampled_from(("canteen", "union_welfare", "other")),
    "status": st.sampled_from(("accepted", "completed", "cancelled", "shipped")),
    "month": st.integers(1, 12),
    "year": st.sampled_from((2025, 2026, 2026, 2026)),
    "lines": st.lists(st.tuples(st.sampled_from(ORIGINS), st.integers(1, 9),
                                st.integers(1, 50_000), st.integers(0, 9),
                                st.integers(0, 60_000)), min_size=1, max_size=3),
})
world_st = st.fixed_dictionaries({
    "parents": st.lists(st.integers(0, 10), min_size=5, max_size=5),
    "canteens": st.lists(st.sampled_from(("own", "shared_representative", "shared_member",
                                          "none", None)), min_size=6, max_size=6),
    "unions_counted": st.booleans(),
    "orders": st.lists(order_st, max_size=12),
})


def build(world):
    """A tree of 6 units under a fresh root, filings, and orders; returns (root, units)."""
    admin = factories.user("admin")
    q.set_policy(admin, "54", 2026, "0.10", ["54"], world["unions_counted"])
    root = unit("根")
    units = [root]
    for index, choice in enumerate(world["parents"]):
        units.append(unit(f"单位{index}", parent=units[choice % len(units)]))
    representative = None
    for org_unit, canteen in zip(units, world["canteens"]):
        if canteen == "shared_member":
            if representative is None:
                continue
            filing(org_unit, canteen_status=canteen, representative=representative)
        elif canteen is not None:
            filing(org_unit, canteen_status=canteen, budget_fen=1_000_000)
            if canteen == "shared_representative" and representative is None:
                representative = org_unit
    buyers = [purchaser(org_unit) for org_unit in units]
    union_buyers = [factories.user("purchaser", organization=factories.org("union", budget_unit=u))
                    for u in units]
    for spec in world["orders"]:
        index = spec["buyer"] % len(units)
        buyer = union_buyers[index] if spec["union"] else buyers[index]
        lines = [(product(origin=origin, price_fen=price), qty)
                 for origin, qty, price, _, _ in spec["lines"]]
        moment = cst(spec["year"], spec["month"], 15)
        if spec["status"] == "shipped":
            shipped_order(buyer, lines, moment, purpose=spec["purpose"])
            continue
        accepted = {i: min(acc, qty) for i, (_, qty, _, acc, _) in enumerate(spec["lines"])}
        refunded = {i: refund for i, (*_, refund) in enumerate(spec["lines"])}
        accepted_order(buyer, lines, moment, purpose=spec["purpose"], status=spec["status"],
                       accepted=accepted, refunded=refunded)
    db.session.flush()
    return root, units


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(world=world_st)
def test_subtree_totals_are_the_sum_of_their_units_and_no_line_counts_twice(db, world):
    root, units = build(world)
    quotas = q.compute(2026, parent_id=root.id, now=NOW, months=True)
    by_id = {quota.unit_id: quota for quota in quotas}
    assert set(by_id) == {u.id for u in units}
    for org_unit in units:
        rows = q.quota_rows(2026, parent_id=org_unit.id, now=NOW)
        totals = q.quota_totals(rows)
        subtree = [u for u in units if u.tree_path.startswith(org_unit.tree_path)]
        assert totals["completed"] == sum((by_id[u.id].row()["completed"] for u in subtree),
                                          Decimal("0.00"))
        rolled = q.rollup(quotas, org_unit)
        assert Decimal(rolled["completed"]) / 100 == totals["completed"]
        assert Decimal(rolled["in_progress"]) / 100 == totals["in_progress"]
        assert sum(rolled["months"]) == rolled["completed"]
    # Every figure is the sum of its own lines, and a line belongs to one unit at most.
    seen = Counter()
    for org_unit in units:
        lines = q.quota_lines(2026, org_unit)
        seen.update(line["line_id"] for line in lines)
        assert sum((line["counted"] for line in lines), Decimal("0.00")) == \
            by_id[org_unit.id].row()["completed"]
    assert all(count == 1 for count in seen.values())
    assert len(seen) == len(list(q.iter_quota_lines(2026, [u.id for u in units])))
    # And the figures equal a plain re-reading of the rules over every line, one by one.
    expected = oracle(units, world["unions_counted"])
    assert {u.id: by_id[u.id].completed for u in units} == expected


def oracle(units, unions_counted):
    """completed (fen) per unit, computed line by line in Python straight from the rules."""
    from marketplace.compliance.models import Filing
    from marketplace.ordering.models import Order
    from marketplace.timeutil import cst_year

    ids = {u.id for u in units}
    filings = {f.budget_unit_id: f for f in Filing.query.filter_by(year=2026, is_current=True)}
    totals = {u.id: 0 for u in units}
    for order in Order.query.filter(Order.budget_unit_id.in_(ids)):
        if order.status == "cancelled" or order.accepted_at is None \
                or cst_year(order.accepted_at) != 2026:
            continue
        if order.purpose != "canteen" and not (order.purpose == "union_welfare" and unions_counted):
            continue
        unit_id = order.budget_unit_id
        filing = filings.get(unit_id)
        if filing is not None and filing.canteen_status == "shared_member":
            unit_id = filing.representative_unit_id
        for line in order.lines:
            if line.origin_aided and line.origin_region_code.startswith("54"):
                accepted = line.quantity if line.accepted_quantity is None else line.accepted_quantity
                totals[unit_id] += max(accepted * line.unit_price_fen - line.refunded_fen, 0)
    return totals
