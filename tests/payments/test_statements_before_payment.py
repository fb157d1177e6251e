"""Statements before payment (先货后款): a supplier puts a buyer's accepted goods-first orders on
a statement, the buyer confirms it, asks for one invoice for it, pays it with one transfer,
and the supplier's confirmation pays every order and settles the statement."""
from datetime import timedelta

import pytest

from marketplace.errors import Conflict, NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db as _db
from marketplace.notifications.models import Notification
from marketplace.payments import services
from marketplace.payments.models import Payment, SettlementStatement
from tests.helpers import PDF, bearer, login
from tests.payments.test_invoices import Upload


def _period():
    today = services.today_cst()
    return today - timedelta(days=30), today


def _goods_first(parties, quantity=2):
    return parties.order(status="accepted", quantity=quantity, payment_terms="goods_first")


def _statement(parties):
    start, end = _period()
    return services.create_statement(parties.supplier, parties.buyer.organization_id, start, end)


def test_accepted_goods_first_orders_go_on_a_statement_beside_completed_ones(parties):
    owing, paid = _goods_first(parties, 2), parties.completed_order(1)
    parties.order(status="accepted", quantity=1)          # pay-first, unpaid: not stated
    parties.order(status="shipped", payment_terms="goods_first")  # not accepted yet
    statement = _statement(parties)
    assert sorted(item.order_id for item in statement.items) == sorted([owing.id, paid.id])
    assert statement.total_fen == 3 * 12800
    assert services.statement_due_fen(statement) == 2 * 12800
    # The buyer is told there is a statement to check.
    assert Notification.query.filter_by(user_id=parties.buyer.id,
                                        kind="settlement.created").count() == 1


def test_an_order_with_a_transfer_waiting_is_left_to_that_transfer(parties):
    order = _goods_first(parties)
    parties.transfer(order, 2 * 12800)
    with pytest.raises(services.PaymentStateError):
        _statement(parties)


def test_confirm_invoice_pay_and_settle(parties):
    first, second = _goods_first(parties, 2), _goods_first(parties, 1)
    statement = _statement(parties)
    # Nothing is paid before the buyer confirms.
    with pytest.raises(services.PaymentStateError):
        services.pay_statement_by_transfer(statement, parties.buyer, services.today_cst(),
                                           "6217", "")
    with pytest.raises(Conflict):
        services.request_statement_invoice(parties.buyer, statement, "拉萨一中", "", "normal",
                                           "caiwu@example.cn")
    with pytest.raises(PermissionDenied):
        services.confirm_statement(statement, parties.supplier)
    services.confirm_statement(statement, parties.buyer)
    assert statement.status == "confirmed"

    # One invoice for the whole statement: the accepted values less refunds.
    services.request_statement_invoice(parties.buyer, statement, "拉萨一中", "", "normal",
                                       "caiwu@example.cn")
    with pytest.raises(ValidationError) as error:
        services.issue_statement_invoice(parties.supplier, statement, "12345678", "1234567890",
                                         services.today_cst(), "256.00", Upload(PDF, "发票.pdf"))
    assert error.value.fields == {"amount": "mismatch"}
    services.issue_statement_invoice(parties.supplier, statement, "12345678", "1234567890",
                                     services.today_cst(), "384.00", Upload(PDF, "发票.pdf"))
    # Its orders are invoiced: not on the auditor's list, and not invoiced again alone.
    missing = services.orders_without_invoice(parties.supplier)
    assert first not in missing and second not in missing
    with pytest.raises(Conflict):
        services.request_invoice(parties.buyer, first, "拉萨一中", "", "normal", "a@example.cn")

    # One transfer pays both orders, each its own due.
    total = services.pay_statement_by_transfer(statement, parties.buyer, services.today_cst(),
                                               "6217 0000", "")
    assert total == 3 * 12800
    pending = services.statement_transfers(statement, "pending")
    assert sorted((p.order_id, p.amount_fen) for p in pending) == sorted(
        [(first.id, 2 * 12800), (second.id, 12800)])
    assert all(p.reference == statement.number for p in pending)
    with pytest.raises(services.PaymentStateError):   # no second transfer while one waits
        services.pay_statement_by_transfer(statement, parties.buyer, services.today_cst(),
                                           "6217", "")
    services.confirm_statement_transfer(statement, parties.supplier)
    assert (first.status, second.status) == ("completed", "completed")
    assert statement.status == "settled" and statement.invoice_number == "12345678"
    assert services.statement_due_fen(statement) == 0


def test_a_transfer_that_did_not_arrive_is_rejected_and_recorded_again(parties):
    order = _goods_first(parties)
    statement = _statement(parties)
    services.confirm_statement(statement, parties.buyer)
    services.pay_statement_by_transfer(statement, parties.buyer, services.today_cst(), "6217", "")
    with pytest.raises(ValidationError) as error:
        services.reject_statement_transfer(statement, parties.supplier, " ")
    assert "reason" in error.value.fields
    services.reject_statement_transfer(statement, parties.supplier, "未收到款项")
    assert order.status == "accepted" and services.statement_due_fen(statement) == 2 * 12800
    assert statement.status == "confirmed"
    services.pay_statement_by_transfer(statement, parties.buyer, services.today_cst(), "6217", "")
    assert len(services.statement_transfers(statement, "pending")) == 1


def test_bad_transfer_fields_are_all_told_and_nothing_is_written(parties):
    _goods_first(parties)
    statement = _statement(parties)
    services.confirm_statement(statement, parties.buyer)
    with pytest.raises(ValidationError) as error:
        services.pay_statement_by_transfer(statement, parties.buyer,
                                           services.today_cst() + timedelta(days=2), " ", "")
    assert set(error.value.fields) == {"transferred_at", "payer_account"}
    assert Payment.query.filter_by(statement_id=statement.id).count() == 0


def test_money_still_due_is_not_settled_by_an_invoice_number(parties):
    _goods_first(parties)
    statement = _statement(parties)
    with pytest.raises(services.PaymentStateError) as error:
        services.settle_statement(statement, parties.supplier, "No.1")
    assert error.value.code == "statement_unpaid"


def test_an_order_invoiced_alone_keeps_the_statement_from_invoicing(parties):
    order = _goods_first(parties)
    services.request_invoice(parties.buyer, order, "拉萨一中", "", "normal", "a@example.cn")
    statement = _statement(parties)
    services.confirm_statement(statement, parties.buyer)
    with pytest.raises(Conflict) as error:
        services.request_statement_invoice(parties.buyer, statement, "拉萨一中", "", "normal",
                                           "a@example.cn")
    assert error.value.code == "invoiced_alone" and order.number in error.value.message


def test_the_pages_take_both_sides_through_it(parties, client, post_form):
    order = _goods_first(parties)
    login(client, parties.supplier)
    start, end = _period()
    response = post_form("/payments/statements/new",
                         {"buyer_organization_id": parties.buyer.organization_id,
                          "period_start": start.isoformat(), "period_end": end.isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)
    statement = SettlementStatement.query.one()
    url = f"/payments/statements/{statement.id}"
    page = client.get(url).get_data(as_text=True)
    assert "等待采购单位确认结算单" in page and "¥256.00" in page

    login(client, parties.buyer)
    assert "确认结算单" in client.get(url).get_data(as_text=True)
    assert post_form(f"{url}/confirm", {}).status_code == 302
    # A bad transfer is told beside its fields, with what was typed kept.
    response = post_form(f"{url}/transfer", {"pay-transferred_at": "",
                                             "pay-payer_account": "", "pay-reference": "JS-1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="JS-1"' in page and "field-error" in page
    response = post_form(f"{url}/transfer", {
        "pay-transferred_at": services.today_cst().isoformat(),
        "pay-payer_account": "6217 0000", "pay-reference": ""}, follow_redirects=True)
    assert "等待供应商确认到账" in response.get_data(as_text=True)

    login(client, parties.supplier)
    response = post_form(f"{url}/transfer/confirm", {}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已确认到账" in page and 'data-testid="statement-settled"' in page
    _db.session.expire_all()
    assert _db.session.get(type(order), order.id).status == "completed"


def test_another_buyer_cannot_see_or_pay_it(parties, login_as, post_form, client):
    _goods_first(parties)
    statement = _statement(parties)
    stranger = login_as("purchaser")
    with pytest.raises(NotFound):
        services.get_statement(statement.id, stranger)
    assert client.get(f"/payments/statements/{statement.id}").status_code == 404
    assert post_form(f"/payments/statements/{statement.id}/confirm", {}).status_code == 404
    assert statement.status == "open"


def test_the_api_confirms_pays_and_settles(parties, client):
    _goods_first(parties)
    statement = _statement(parties)
    _db.session.commit()
    base = f"/api/v1/settlement-statements/{statement.id}"
    buyer, supplier = bearer(parties.buyer), bearer(parties.supplier)
    early = client.post(f"{base}/transfer", headers=buyer,
                        json={"transferred_at": services.today_cst().isoformat(),
                              "payer_account": "6217"})
    assert early.status_code == 409
    body = client.post(f"{base}/confirm", headers=buyer).get_json()
    assert body["status"] == "confirmed" and body["amount_due"] == "256.00"
    response = client.post(f"{base}/invoice", headers=buyer,
                           json={"title": "拉萨一中", "email": "caiwu@example.cn"})
    assert response.status_code == 201 and response.get_json()["expected_amount"] == "256.00"
    response = client.post(f"{base}/transfer", headers=buyer,
                           json={"transferred_at": "not a day", "payer_account": "6217"})
    assert response.status_code == 422
    response = client.post(f"{base}/transfer", headers=buyer,
                           json={"transferred_at": services.today_cst().isoformat(),
                                 "payer_account": "6217"})
    assert response.status_code == 201 and response.get_json()["transfer_pending"] is True
    body = client.post(f"{base}/transfer/confirm", headers=supplier).get_json()
    assert body["status"] == "settled" and body["amount_due"] == "0.00"
    assert body["orders"][0]["amount_due"] == "0.00"
    assert client.get(f"{base}/invoice", headers=buyer).get_json()["status"] == "requested"


def test_a_statement_invoice_left_waiting_is_reminded_of(parties):
    _goods_first(parties)
    statement = _statement(parties)
    services.confirm_statement(statement, parties.buyer)
    invoice = services.request_statement_invoice(parties.buyer, statement, "拉萨一中", "",
                                                 "normal", "caiwu@example.cn")
    invoice.requested_at -= timedelta(days=services.REMINDER_DAYS + 1)
    assert services.remind_invoices() == 1
    notice = Notification.query.filter_by(user_id=parties.supplier.id,
                                          kind="invoice.reminder").one()
    assert statement.number in notice.message
    assert notice.link == f"/payments/statements/{statement.id}"
