"""What is owed, both ways: a pay-first order ships only once paid; a paid order accepted in
part owes the buyer a refund, shown to both sides and reminded to the supplier until made; line
amounts follow the accepted quantities; and reading an order never writes."""
import re

import pytest
from click.testing import CliRunner

from marketplace.extensions import db as _db
from marketplace.notifications.models import Notification
from marketplace.ordering import services as ordering
from marketplace.ordering.models import Order
from marketplace.payments import services
from marketplace.payments.commands import payments_group
from tests.helpers import assert_error, bearer, login, statements_during
from tests.payments.helpers import paid_then_accepted_short, pay_in_full, place


def test_terms_are_set_when_placed_and_accepted(parties):
    pay_first = place(parties, "pay_first")
    assert pay_first.payment_reference and pay_first.due_date is not None
    goods_first = place(parties, "goods_first")
    assert goods_first.payment_reference and goods_first.due_date is None
    ordering.confirm_order(goods_first, parties.supplier)
    ordering.ship_order(goods_first, parties.supplier, "顺丰", "SF1")
    ordering.accept_delivery(goods_first, parties.buyer)
    assert goods_first.due_date == services.terms_due_date(goods_first)


def test_an_unpaid_pay_first_order_does_not_ship_on_the_api_or_the_page(client, parties,
                                                                        post_form):
    order = place(parties, "pay_first")
    ordering.confirm_order(order, parties.supplier)
    _db.session.commit()
    headers = bearer(parties.supplier)
    refused = client.post(f"/api/v1/orders/{order.id}/ship", headers=headers,
                          json={"carrier": "顺丰", "tracking_number": "SF1"})
    assert assert_error(refused, 409, "payment_required")["fields"] == {"payment_status": "unpaid"}
    # The supplier's pages say why, with the payment state, and offer no shipping form.
    login(client, parties.supplier)
    for url in (f"/orders/{order.id}", "/supplier/orders?tab=to_ship"):
        page = client.get(url).get_data(as_text=True)
        assert f'data-testid="awaiting-payment-{order.number}"' in page, url
        assert "买方付款后才能发货" in page and "未付款" in page
        assert f'data-testid="ship-{order.number}"' not in page
    response = post_form(f"/orders/{order.id}/ship", {"carrier": "顺丰", "tracking_number": "1"},
                         follow_redirects=True)
    assert "买方付款后才能发货" in response.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(Order, order.id).status == "confirmed"
    # Once paid, it ships.
    order = _db.session.get(Order, order.id)
    pay_in_full(parties, order)
    _db.session.commit()
    shipped = client.post(f"/api/v1/orders/{order.id}/ship", headers=headers,
                          json={"carrier": "顺丰", "tracking_number": "SF1"})
    assert shipped.status_code == 200 and shipped.get_json()["status"] == "shipped"


def test_a_goods_first_order_ships_unpaid(parties):
    order = place(parties, "goods_first")
    ordering.confirm_order(order, parties.supplier)
    ordering.ship_order(order, parties.supplier, "顺丰", "SF1")
    assert order.status == "shipped" and order.payment_status == "unpaid"


@pytest.fixture
def short_paid_order(parties):
    """A pay-first order of 3 × 128.00, paid in full, then accepted 2 of 3."""
    return paid_then_accepted_short(parties)


def test_a_short_acceptance_of_a_paid_order_owes_a_refund_to_both_sides(client, parties,
                                                                        short_paid_order):
    order = short_paid_order
    assert order.status == "accepted"       # open until the buyer has its money back
    for user in (parties.buyer, parties.supplier):
        body = client.get(f"/api/v1/orders/{order.id}", headers=bearer(user)).get_json()
        assert (body["amount_due"], body["refund_due"], body["total"],
                body["accepted_total"]) == ("0.00", "128.00", "384.00", "256.00")
        assert body["lines"][0]["amount"] == "256.00"
        payments = client.get(f"/api/v1/orders/{order.id}/payments", headers=bearer(user))
        assert payments.get_json()["refund_due"] == "128.00"
    for user, words in ((parties.buyer, "待供应商退款"), (parties.supplier, "请办理退款")):
        login(client, user)
        page = client.get(f"/orders/{order.id}").get_data(as_text=True)
        assert re.search(r'data-testid="refund-due">¥128\.00<', page), user.role
        assert words in page
        # The line amount people read follows the accepted quantity.
        assert re.search(rf'data-testid="line-amount-{order.lines[0].id}">.*¥256\.00', page)
        assert re.search(r'data-testid="order-value">¥256\.00<', page)
    told = Notification.query.filter_by(user_id=parties.supplier.id, kind="payment.refund_due")
    assert told.count() == 1 and "128.00" in told.one().message


def test_the_supplier_is_reminded_until_the_refund_is_made(app, parties, short_paid_order):
    order = short_paid_order
    runner = CliRunner()
    result = runner.invoke(payments_group, ["remind-refunds"], obj=None,
                           catch_exceptions=False, standalone_mode=False)
    assert "refund reminders sent: 1" in result.output
    reminders = Notification.query.filter_by(user_id=parties.supplier.id,
                                             kind="payment.refund_due")
    assert reminders.count() == 2 and "提醒" in reminders.order_by(Notification.id.desc()).first().message
    order = _db.session.get(Order, order.id)
    services.create_refund(order, parties.supplier, order.lines[0].id, 12800, "一件变质",
                           transfer_reference="TK001")
    _db.session.commit()
    assert order.status == "completed" and services.refund_due_fen(order) == 0
    result = runner.invoke(payments_group, ["remind-refunds"], standalone_mode=False)
    assert "refund reminders sent: 0" in result.output


def _writes_during(action):
    """The tables written (INSERT/UPDATE/DELETE) while `action()` runs."""
    writes = [re.match(r"\s*(INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)", statement, re.I)
              for statement in statements_during(action)]
    return [match.group(2) for match in writes if match]


def test_reading_an_order_and_its_payments_never_writes(client, parties, short_paid_order):
    order = short_paid_order
    for user in (parties.buyer, parties.supplier):
        headers = bearer(user)
        client.get("/api/v1/orders", headers=headers)   # the token's first use is recorded
        login(client, user)
        for url in (f"/orders/{order.id}", f"/payments/orders/{order.id}", "/orders",
                    "/payments/"):
            assert _writes_during(lambda: client.get(url)) == [], url
        for url in (f"/api/v1/orders/{order.id}", f"/api/v1/orders/{order.id}/payments"):
            assert _writes_during(lambda: client.get(url, headers=headers)) == [], url


def test_after_a_short_acceptance_both_sides_read_the_accepted_money_and_who_refunds(
        client, parties, short_paid_order):
    order = short_paid_order
    line = order.lines[0]
    for user in (parties.buyer, parties.supplier):
        login(client, user)
        page = client.get(f"/orders/{order.id}").get_data(as_text=True)
        assert re.search(r'data-testid="order-value-figure">¥256\.00<', page)   # accepted
        assert re.search(r'data-testid="paid-amount">¥384\.00<', page)          # paid
        assert re.search(r'data-testid="refund-due">¥128\.00<', page)           # refund due
        turn = re.search(r'data-testid="money-turn">(.*?)</p>', page, re.S).group(1)
        assert "供应商退还多付的 ¥128.00" in turn
        assert ("请您办理" in turn) == (user is parties.supplier)
        payments = client.get(f"/payments/orders/{order.id}").get_data(as_text=True)
        assert re.search(rf'data-testid="line-value-{line.id}">¥256\.00<', payments)
        assert 'data-testid="pay-online"' not in page and 'data-testid="record-transfer"' not in page


def _payment_buttons(page):
    """{testid: is it the primary (filled) button} for the pay buttons on the page."""
    buttons = {}
    for match in re.finditer(r'<(?:a|button)[^>]*>', page):
        found = re.search(r'data-testid="(pay-online|record-transfer)"', match.group(0))
        if found:
            buttons[found.group(1)] = "outline" not in match.group(0)
    return buttons


def test_the_chosen_method_is_the_primary_action_and_none_is_offered_while_a_transfer_waits(
        client, parties):
    order = place(parties, "pay_first")             # chosen: bank transfer
    login(client, parties.buyer)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert _payment_buttons(page) == {"record-transfer": True, "pay-online": False}
    services.record_transfer(order, parties.buyer, services.amount_due_fen(order),
                             services.today_cst(), "6217 0000", order.payment_reference)
    _db.session.commit()
    for user in (parties.buyer, parties.supplier):
        login(client, user)
        page = client.get(f"/orders/{order.id}").get_data(as_text=True)
        assert _payment_buttons(page) == {}, user.role
        assert "供应商确认转账 ¥384.00 是否到账" in page
    login(client, parties.buyer)
    assert "确认前不能再次付款" in client.get(f"/orders/{order.id}").get_data(as_text=True)
