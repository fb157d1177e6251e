"""Settlement statements (结算单) and the paid / due / overdue sums."""
from datetime import timedelta

import pytest

from marketplace.extensions import db as _db
from marketplace.payments import services
from marketplace.payments.models import SettlementStatement
from marketplace.timeutil import to_cst, utcnow
from tests.helpers import login


def test_supplier_groups_completed_orders_and_settles_with_an_invoice(parties, client,
                                                                      post_form):
    first, second = parties.completed_order(1), parties.completed_order(2)
    parties.order(status="accepted")  # not completed: stays out
    today = to_cst(utcnow()).date()
    login(client, parties.supplier)
    response = post_form("/payments/statements/new",
                         {"buyer_organization_id": parties.buyer.organization_id,
                          "period_start": (today - timedelta(days=30)).isoformat(),
                          "period_end": today.isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)
    statement = SettlementStatement.query.one()
    assert sorted(item.order_id for item in statement.items) == [first.id, second.id]
    assert statement.total_fen == 3 * 12800

    response = post_form(f"/payments/statements/{statement.id}/settle",
                         {"invoice_number": "No.44012345"}, follow_redirects=True)
    assert "No.44012345" in response.get_data(as_text=True)
    _db.session.expire_all()
    statement = _db.session.get(SettlementStatement, statement.id)
    assert statement.status == "settled"

    # The same orders cannot be put on a second statement: nothing is left to settle (409).
    with pytest.raises(services.PaymentStateError):
        services.create_statement(parties.supplier, parties.buyer.organization_id,
                                  today - timedelta(days=30), today)

    login(client, parties.buyer)
    page = client.get("/payments/").get_data(as_text=True)
    assert statement.number in page


def test_buyer_and_supplier_see_paid_due_and_overdue_sums(parties, client):
    parties.completed_order(1)
    parties.order(status="confirmed", quantity=2, created_at=utcnow() - timedelta(days=45))
    parties.order(status="confirmed", quantity=1)
    summary = services.account_summary(parties.buyer.organization)
    assert (summary["paid"], summary["due"], summary["overdue"]) == (12800, 3 * 12800, 2 * 12800)
    assert sorted(late for _, _, _, late in summary["open"]) == [False, True]
    assert services.account_summary(parties.supplier_org)["due"] == 3 * 12800
    login(client, parties.buyer)
    page = client.get("/payments/").get_data(as_text=True)
    assert "¥384.00" in page and "¥256.00" in page and "¥128.00" in page


def test_statement_of_another_supplier_is_hidden(parties, client, login_as):
    parties.completed_order()
    today = to_cst(utcnow()).date()
    statement = services.create_statement(parties.supplier, parties.buyer.organization_id,
                                          today - timedelta(days=1), today)
    _db.session.commit()
    login_as("supplier_staff")
    assert client.get(f"/payments/statements/{statement.id}").status_code == 404
