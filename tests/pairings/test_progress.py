"""Progress: what the enterprise buys from its paired suppliers counts toward the target with the
quota's rules — accepted value less refunds, in the CST year of acceptance, cancellations never —
exact to the fen, traceable to the order lines, with the pace against the year."""
from decimal import Decimal

from marketplace.pairings import schemas, services
from tests import factories
from tests.factories import accepted_order
from tests.helpers import cst
from tests.pairings.helpers import pair, world


def purchased(pairing):
    return services.purchased_fen([pairing])[pairing.id]


def test_accepted_value_less_refunds_counts_and_the_lines_add_up(db):
    w = world()
    pairing = pair(w, suppliers=[w.coop, w.coop2])
    accepted_order(w.buyer, [(w.matsutake, 10)], cst(2026, 3, 1), refunded={0: 1_280})
    # Accepted in part: 7 of 9 at ¥88.50, one refund of ¥0.01.
    accepted_order(w.buyer, [(w.pork, 9)], cst(2026, 6, 30, 23, 59), accepted={0: 7},
             refunded={0: 1})
    assert purchased(pairing) == 128_000 - 1_280 + 7 * 8_850 - 1
    lines = services.pairing_lines(pairing)
    assert [line["counted_fen"] for line in lines] == [126_720, 61_949]
    assert sum(line["counted_fen"] for line in lines) == purchased(pairing)
    assert [schemas.line_json(line)["counted"] for line in lines] == ["1267.20", "619.49"]
    assert lines[1]["accepted_quantity"] == 7 and lines[1]["supplier_name"] == "鲁朗藏香猪合作社"


def test_what_does_not_count(db):
    w = world()
    pairing = pair(w)
    stranger = factories.user("purchaser", organization=factories.org("enterprise"))
    accepted_order(w.buyer, [(w.matsutake, 1)], cst(2026, 5, 1), status="cancelled")  # cancelled
    accepted_order(w.buyer, [(w.barley, 100)], cst(2026, 5, 1))     # a supplier outside the pairing
    accepted_order(stranger, [(w.matsutake, 3)], cst(2026, 5, 1))    # another enterprise
    accepted_order(w.buyer, [(w.matsutake, 2)], cst(2025, 12, 31, 23, 59))  # last year (CST)
    factories.order(w.buyer, lines=[(w.matsutake, 4)], status="shipped")  # not yet accepted
    accepted_order(w.buyer, [(w.matsutake, 1)], cst(2026, 8, 8), refunded={0: 99_999})  # floor at 0
    assert purchased(pairing) == 0
    assert [line["counted_fen"] for line in services.pairing_lines(pairing)] == [0]


def test_the_year_of_acceptance_is_the_china_standard_time_year(db):
    w = world()
    this_year, last_year = pair(w), pair(w, year=2025)
    # 00:30 on 1 January in Beijing is still 31 December in UTC: it counts for the new year.
    accepted_order(w.buyer, [(w.matsutake, 1)], cst(2026, 1, 1, 0, 30))
    # 23:30 on 31 December in Beijing (15:30 UTC) belongs to the old year.
    accepted_order(w.buyer, [(w.matsutake, 2)], cst(2025, 12, 31, 23, 30))
    assert purchased(this_year) == 12_800
    assert purchased(last_year) == 25_600


def test_an_ended_pairing_counts_what_was_accepted_before_it_ended(db):
    w = world()
    pairing = pair(w)
    accepted_order(w.buyer, [(w.matsutake, 1)], cst(2026, 2, 1))
    services.end_pairing(w.admin, pairing, "终止")
    pairing.ended_at = cst(2026, 6, 1)
    accepted_order(w.buyer, [(w.matsutake, 5)], cst(2026, 7, 1))
    assert purchased(pairing) == 12_800
    assert len(services.pairing_lines(pairing)) == 1


def test_many_pairings_are_summed_in_one_go_exactly(db):
    w = world()
    other = factories.org("enterprise")
    other_buyer = factories.user("purchaser", organization=other)
    a = pair(w)
    b = pair(w, village="达孜村", county="540104", suppliers=[w.dagze], target="1000")
    c = pair(w, enterprise=other, suppliers=[w.coop], target="300")
    accepted_order(w.buyer, [(w.matsutake, 3)], cst(2026, 4, 1))
    accepted_order(w.buyer, [(w.barley, 7)], cst(2026, 4, 2))
    accepted_order(other_buyer, [(w.matsutake, 1)], cst(2026, 4, 3))
    assert services.purchased_fen([a, b, c]) == {a.id: 38_400, b.id: 8_750, c.id: 12_800}
    for pairing in (a, b, c):
        assert sum(line["counted_fen"] for line in services.pairing_lines(pairing)) == \
            services.purchased_fen([pairing])[pairing.id]


def test_the_rate_has_four_places_rounded_half_up(db):
    w = world()
    pairing = pair(w, target="200.00")
    accepted_order(w.buyer, [(w.matsutake, 1)], cst(2026, 4, 1), refunded={0: 12_799})  # ¥0.01
    state = services.progress_map([pairing], cst(2026, 4, 2))[pairing.id]
    # 1 / 20000 = 0.00005: half-up gives 0.0001 (banker's rounding would give 0.0000).
    assert state.rate == Decimal("0.0001")
    assert schemas.progress_json(state)["rate"] == "0.0001"
    assert schemas.progress_json(state)["purchased"] == "0.01"
    assert schemas.progress_json(state)["target"] == "200.00"


def test_pace_against_the_year(db):
    w = world()
    pairing = pair(w, target="3650.00")
    accepted_order(w.buyer, [(w.matsutake, 10)], cst(2026, 1, 20))  # ¥1,280.00
    mid_year = cst(2026, 7, 2, 12)  # about half the year gone: ¥1,825 expected
    state = services.progress_map([pairing], mid_year)[pairing.id]
    assert state.pace == "behind" and 182_000 < state.expected < 183_000
    early = services.progress_map([pairing], cst(2026, 3, 1))[pairing.id]
    assert early.pace == "on_track"
    late = services.progress_map([pairing], cst(2027, 1, 2))[pairing.id]
    assert late.pace == "not_met"
    accepted_order(w.buyer, [(w.matsutake, 19)], cst(2026, 2, 1))
    assert services.progress_map([pairing], mid_year)[pairing.id].pace == "met"
    assert services.progress_map([pairing], mid_year)[pairing.id].remaining == 0


def test_only_an_active_pairing_has_a_pace(db):
    w = world()
    village = services.find_village("扎西岗村", "540402", create_for=w.admin)
    request = services.request_pairing(w.buyer, village, [w.coop.id], 2026, "1000")
    accepted_order(w.buyer, [(w.matsutake, 1)], cst(2026, 4, 1))
    state = services.progress_map([request])[request.id]
    assert state.pace is None and state.purchased == 12_800


def test_the_real_order_flow_moves_progress(db):
    """Through the ordering and payment services: checkout, confirm, ship, accept in part,
    a refund on the accepted line."""
    from marketplace.ordering import services as ordering
    from marketplace.payments.services import create_refund

    w = world()
    pairing = pair(w)
    order = ordering.place_orders(w.buyer, [(w.matsutake.id, 5)], "other", "拉萨市 公司仓库",
                                  "bank_transfer", "goods_first")[0]
    ordering.confirm_order(order, w.staff)
    ordering.ship_order(order, w.staff, "EMS", "EMS1")
    assert purchased(pairing) == 0
    ordering.accept_delivery(order, w.buyer, {order.lines[0].id: 4})
    assert purchased(pairing) == 4 * 12_800
    create_refund(order, w.staff, order.lines[0].id, 12_800, "一斤品相不佳")
    assert purchased(pairing) == 3 * 12_800
