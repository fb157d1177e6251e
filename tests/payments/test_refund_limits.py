"""How much a line may refund (DESIGN, Orders): what was paid for it once money was paid, its
value (accepted, or ordered before acceptance) before payment; less what was refunded.

Prices: the product costs ¥128.00 (12800 fen), the other one ¥25.50 (2550 fen).
"""
from decimal import Decimal

import pytest

from marketplace.compliance import services as quota
from marketplace.errors import ValidationError
from marketplace.extensions import db as _db
from marketplace.ordering.models import Order
from marketplace.payments import services
from marketplace.timeutil import to_cst, utcnow
from tests.helpers import bearer


def _pay_by_transfer(parties, order, amount_fen):
    payment = parties.transfer(order, amount_fen, "6217 1")
    services.confirm_transfer(payment, parties.supplier, acknowledge_mismatch=True)
    _db.session.commit()
    return payment


def _accept(order, quantities):
    order.status = "accepted"
    order.accepted_at = utcnow()
    for line, quantity in zip(order.lines, quantities):
        line.accepted_quantity = quantity
    services.on_order_accepted(order)
    _db.session.commit()


def _refund(client, parties, order, amount, line=0):
    return client.post(f"/api/v1/orders/{order.id}/refunds",
                       json={"line_id": order.lines[line].id, "amount": amount,
                             "reason": "验收短少", "transfer_reference": "HZ20261129"},
                       headers=bearer(parties.supplier))


def _paid_in_full_then_accepted_short(parties):
    """Pay-first: 2 × ¥128 paid (¥256) while shipped, then 1 accepted (value ¥128)."""
    order = parties.order(status="shipped", quantity=2, payment_terms="pay_first")
    _pay_by_transfer(parties, order, 25600)
    _accept(order, [1])
    return order


def test_paid_then_short_acceptance_refunds_the_rejected_part(parties, client):
    order = _paid_in_full_then_accepted_short(parties)
    assert services.figures(order)["overpaid"] == 12800
    assert services.refundable_fen(order.lines[0]) == 25600  # what was paid for the line

    response = _refund(client, parties, order, "128.00")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert [part["kind"] for part in response.get_json()["parts"]] == ["bank_transfer"]
    assert response.get_json()["line_refunded_amount"] == "128.00"
    assert response.get_json()["amount_due"] == "0.00"
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    numbers = services.figures(order)
    assert (numbers["owed"], numbers["net_paid"], numbers["due"], numbers["overpaid"]) \
        == (12800, 12800, 0, 0)
    assert order.refunded_fen == 12800 and order.paid_fen == 12800
    # The line shows every refund made on it, yet nothing is due and the order completes.
    assert order.lines[0].refunded_fen == 12800
    assert services.amount_due_fen(order) == 0
    assert order.status == "completed"
    assert services.refundable_fen(order.lines[0]) == 12800
    shown = client.get(f"/api/v1/orders/{order.id}", headers=bearer(parties.buyer))
    assert shown.get_json()["lines"][0]["refunded_amount"] == "128.00"


def test_refund_above_what_was_paid_for_the_line_is_422_and_changes_nothing(parties, client):
    order = _paid_in_full_then_accepted_short(parties)
    assert _refund(client, parties, order, "256.01").status_code == 422
    assert _refund(client, parties, order, "128.00").status_code == 201
    response = _refund(client, parties, order, "128.01")
    assert response.status_code == 422
    assert "128.00" in response.get_json()["error"]["message"]
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.refunded_fen == 12800 and order.paid_fen == 12800


def test_refunding_all_that_was_paid_for_a_short_line_leaves_nothing_owed(parties, client):
    order = _paid_in_full_then_accepted_short(parties)
    assert _refund(client, parties, order, "256.00").status_code == 201
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    numbers = services.figures(order)
    assert (numbers["owed"], numbers["net_paid"], numbers["due"]) == (0, 0, 0)
    assert order.lines[0].refunded_fen == 25600  # every refund on the line
    assert order.payment_status == "refunded"
    assert services.refundable_fen(order.lines[0]) == 0


def test_compliance_subtracts_every_refund_on_the_line_even_an_overpayment(parties, client):
    order = _paid_in_full_then_accepted_short(parties)
    year = to_cst(utcnow()).year

    def counted():
        rows = quota.quota_rows(year)
        return next(row for row in rows
                    if row["unit_id"] == order.buyer_organization_id)["completed"]

    assert counted() == Decimal("128.00")
    assert _refund(client, parties, order, "128.00").status_code == 201
    # DESIGN: accepted 1 × ¥128 − ¥128 refunded on the line = ¥0.00.
    assert counted() == Decimal("0.00")
    assert _refund(client, parties, order, "128.00").status_code == 201
    assert counted() == Decimal("0.00")  # ¥128 − ¥256: floored at zero, not below


def test_partial_payment_is_shared_between_lines_by_their_value(parties):
    # 2 × ¥128 + 2 × ¥25.50 = ¥307.00; half of it paid: each line gets half of its value.
    order = parties.order(status="accepted", quantity=2, other_quantity=2)
    _pay_by_transfer(parties, order, 15350)
    lines = services.figures(order)["lines"]
    first, second = order.lines
    assert lines[first.id]["paid"] == 12800 and lines[second.id]["paid"] == 2550
    # Before the whole value is paid, a line may still refund its value: ¥153.50 lowers what
    # is due (a credit), the other ¥102.50 goes back.
    assert services.refundable_fen(first) == 25600
    rows = services.create_refund(order, parties.supplier, first.id, 25600, "整行退货",
                                  transfer_reference="HZ1")
    assert [(services.refund_kind(row), row.amount_fen) for row in rows] \
        == [("credit", 15350), ("bank_transfer", 10250)]
    numbers = services.figures(order)
    # What is left paid (¥153.50 − ¥102.50 = ¥51.00) is exactly the second line's value.
    assert (numbers["owed"], numbers["net_paid"], numbers["due"]) == (5100, 5100, 0)
    assert services.refundable_fen(first) == 0


def test_partial_payment_shares_round_to_the_fen_and_add_up(parties):
    # ¥128 + ¥25.50 = ¥153.50 ordered, ¥100.01 paid: 10001 × 12800 / 15350 = 8339.97… and
    # 10001 × 2550 / 15350 = 1661.02…; the odd fen goes to the larger remainder.
    order = parties.order(status="accepted", quantity=1, other_quantity=1)
    _pay_by_transfer(parties, order, 10001)
    lines = services.figures(order)["lines"]
    first, second = order.lines
    assert (lines[first.id]["paid"], lines[second.id]["paid"]) == (8340, 1661)


def test_unpaid_line_refunds_its_accepted_value_and_lowers_what_is_due(parties):
    order = parties.order(status="accepted", quantity=2)
    order.lines[0].accepted_quantity = 1
    services.refresh_order(order)
    assert services.refundable_fen(order.lines[0]) == 12800
    with pytest.raises(ValidationError):
        services.create_refund(order, parties.supplier, order.lines[0].id, 12801, "超额")
    rows = services.create_refund(order, parties.supplier, order.lines[0].id, 12800, "质量问题")
    assert [services.refund_kind(row) for row in rows] == ["credit"]
    assert services.amount_due_fen(order) == 0


def test_unpaid_line_before_acceptance_refunds_its_ordered_value(parties):
    order = parties.order(status="placed", quantity=2)
    assert services.refundable_fen(order.lines[0]) == 25600
    services.create_refund(order, parties.supplier, order.lines[0].id, 5000, "降价")
    assert services.refundable_fen(order.lines[0]) == 20600
    assert services.amount_due_fen(order) == 20600


def test_goods_first_paid_after_short_acceptance_refunds_only_the_accepted_value(
        parties, client):
    order = parties.order(status="shipped", quantity=2, payment_terms="goods_first")
    _accept(order, [1])
    _pay_by_transfer(parties, order, 12800)
    assert services.refundable_fen(order.lines[0]) == 12800
    assert _refund(client, parties, order, "128.01").status_code == 422
    assert _refund(client, parties, order, "128.00").status_code == 201
