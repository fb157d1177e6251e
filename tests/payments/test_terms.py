"""Payment terms: due dates, the one extension, overdue lists and e-mail reminders."""
from datetime import timedelta

import pytest

from marketplace.errors import StateError
from marketplace.extensions import db as _db
from marketplace.mail import outbox
from marketplace.payments import services
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.helpers import login


def test_pay_first_is_due_30_days_after_placing(parties):
    placed = utcnow() - timedelta(days=3)
    order = parties.order(status="placed", created_at=placed)
    services.assign_terms(order)
    assert order.due_date == to_cst(placed).date() + timedelta(days=30)


def test_goods_first_is_due_30_days_after_acceptance(parties):
    accepted = utcnow() - timedelta(days=2)
    order = parties.order(status="accepted", payment_terms="goods_first", accepted_at=accepted)
    services.assign_terms(order)
    assert order.due_date == to_cst(accepted).date() + timedelta(days=30)
    shipped = parties.order(status="shipped", payment_terms="goods_first")
    assert services.effective_due_date(shipped) is None


def test_supplier_grants_one_fifteen_day_extension(parties, client, post_form):
    order = parties.order(status="placed")
    services.assign_terms(order)
    first_due = order.due_date
    login(client, parties.supplier)
    response = post_form(f"/payments/orders/{order.id}/extend", follow_redirects=True)
    assert "付款期限已延长 15 天" in response.get_data(as_text=True)
    _db.session.expire_all()
    order = _db.session.get(type(order), order.id)
    assert order.due_date == first_due + timedelta(days=15) and order.due_extended
    with pytest.raises(StateError):
        services.extend_due_date(order, parties.supplier)


def test_overdue_orders_are_listed_for_supplier_and_admin_and_reminded(parties, client, app):
    late = parties.order(status="confirmed", created_at=utcnow() - timedelta(days=40))
    recent = parties.order(status="confirmed", created_at=utcnow() - timedelta(days=5))
    paid_late = parties.order(status="confirmed", created_at=utcnow() - timedelta(days=40),
                              quantity=1)
    payment = parties.transfer(paid_late, 12800)
    services.confirm_transfer(payment, parties.supplier)
    other_supplier = factories.user("supplier_staff")
    admin = factories.user("admin")
    _db.session.commit()

    assert [o.id for o in services.overdue_orders(parties.supplier)] == [late.id]
    assert services.overdue_orders(other_supplier) == []
    assert [o.id for o in services.overdue_orders(admin)] == [late.id]

    login(client, parties.supplier)
    page = client.get("/payments/overdue").get_data(as_text=True)
    assert late.number in page and recent.number not in page and paid_late.number not in page

    result = app.test_cli_runner().invoke(args=["payments", "remind-overdue"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    messages = [m for m in outbox() if "逾期" in m.get_content()]
    assert len(messages) == 1
    assert messages[0]["To"] == parties.buyer.email
    assert late.number in messages[0].get_content()
    # The due date as people read it, never ISO.
    _db.session.refresh(late)
    day = late.due_date
    assert f"{day.year}年{day.month}月{day.day}日" in messages[0].get_content()
    assert day.isoformat() not in messages[0].get_content()


def test_overdue_list_is_not_for_auditors(client, login_as):
    login_as("auditor")
    assert client.get("/payments/overdue").status_code == 403
