"""Bank transfers (对公转账): the settlement account and reference, recording with a voucher,
the supplier's confirmation, and amounts that do not match."""
import io
from datetime import datetime, timedelta

import pytest

from marketplace.audit.models import AuditEntry
from marketplace.errors import ValidationError
from marketplace.extensions import db as _db
from marketplace.ordering.models import Order
from marketplace.payments import services
from marketplace.payments.models import Payment
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.helpers import PDF, bearer, image_bytes, login

PNG = image_bytes(size=(8, 8), color=(200, 30, 30, 128))  # transparent: kept as PNG


def _today():
    return to_cst(utcnow()).date()


def _transfer_form(amount, voucher=(PDF, "voucher.pdf"), **overrides):
    data = {"transferred_at": _today().isoformat(), "amount": amount,
            "payer_account": "6217 0000 9999 8888", "reference": ""}
    data.update(overrides)
    if voucher is not None:
        data["voucher"] = (io.BytesIO(voucher[0]), voucher[1])
    return data


def test_order_page_shows_settlement_account_and_unique_reference(parties, client):
    first = parties.order(status="placed")
    second = parties.order(status="placed")
    login(client, parties.buyer)
    page = client.get(f"/payments/orders/{first.id}").get_data(as_text=True)
    _db.session.expire_all()
    first, second = _db.session.get(Order, first.id), _db.session.get(Order, second.id)
    client.get(f"/payments/orders/{second.id}")
    _db.session.expire_all()
    assert "6228 0000 1111 2222" in page
    assert "林芝松茸合作社" in page
    assert first.payment_reference and first.payment_reference in page
    assert _db.session.get(Order, second.id).payment_reference != first.payment_reference


def test_buyer_records_transfer_and_supplier_confirms_it(parties, client, post_form, app):
    order = parties.order(status="accepted", quantity=2)
    login(client, parties.buyer)
    response = post_form(f"/payments/orders/{order.id}/transfer", _transfer_form("256.00"),
                         content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    payment = Payment.query.filter_by(order_id=order.id).one()
    assert payment.status == "pending" and not payment.amount_mismatch
    assert payment.voucher_path.startswith("vouchers/")
    assert "voucher" not in payment.voucher_path.split("/")[-1]  # a random name, not the upload's
    assert _db.session.get(Order, order.id).payment_status == "pending"
    voucher = client.get(f"/payments/{payment.id}/voucher")
    assert voucher.status_code == 200 and voucher.data == PDF

    login(client, parties.supplier)
    response = post_form(f"/payments/{payment.id}/confirm", follow_redirects=True)
    assert "已确认到账" in response.get_data(as_text=True)
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.payment_status == "paid"
    assert order.paid_fen == 25600
    assert order.status == "completed"
    assert AuditEntry.query.filter_by(action="payment.transfer_confirmed").count() == 1


def test_amount_mismatch_is_flagged_and_needs_explicit_confirmation(parties, client, post_form):
    order = parties.order(status="placed", quantity=2)
    login(client, parties.buyer)
    post_form(f"/payments/orders/{order.id}/transfer", _transfer_form("200.00"),
              content_type="multipart/form-data")
    payment = Payment.query.filter_by(order_id=order.id).one()
    assert payment.amount_mismatch is True

    login(client, parties.supplier)
    page = client.get(f"/payments/orders/{order.id}").get_data(as_text=True)
    assert "金额与应付不一致" in page
    response = post_form(f"/payments/{payment.id}/confirm", follow_redirects=True)
    assert "金额与应付金额不一致" in response.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(Payment, payment.id).status == "pending"

    post_form(f"/payments/{payment.id}/confirm", {"confirm-acknowledge_mismatch": "y"})
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert _db.session.get(Payment, payment.id).status == "confirmed"
    assert order.paid_fen == 20000
    assert order.payment_status != "paid"  # 56.00 still due
    assert services.amount_due_fen(order) == 5600


def test_voucher_that_is_not_pdf_or_image_is_refused(parties, client, post_form):
    order = parties.order(status="placed")
    login(client, parties.buyer)
    response = post_form(f"/payments/orders/{order.id}/transfer",
                         _transfer_form("256.00", voucher=(b"MZ\x90\x00not a pdf", "voucher.pdf")),
                         content_type="multipart/form-data")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "凭证只能是 PDF 或图片" in body
    assert "6217 0000 9999 8888" in body  # what was typed is kept
    assert Payment.query.count() == 0


def test_image_voucher_is_accepted(parties, client, post_form):
    order = parties.order(status="placed")
    login(client, parties.buyer)
    response = post_form(f"/payments/orders/{order.id}/transfer",
                         _transfer_form("256.00", voucher=(PNG, "回单.png")),
                         content_type="multipart/form-data")
    assert response.status_code == 302
    assert Payment.query.one().voucher_path.endswith(".png")


def test_oversized_voucher_is_refused(parties, client, post_form, app):
    order = parties.order(status="placed")
    login(client, parties.buyer)
    big = PDF + b"0" * app.config["MAX_UPLOAD_BYTES"]
    response = post_form(f"/payments/orders/{order.id}/transfer",
                         _transfer_form("256.00", voucher=(big, "big.pdf")),
                         content_type="multipart/form-data")
    assert response.status_code in (413, 422)
    assert Payment.query.count() == 0


def test_transfer_date_in_the_future_is_refused(parties, client, post_form):
    order = parties.order(status="placed")
    login(client, parties.buyer)
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    response = post_form(f"/payments/orders/{order.id}/transfer",
                         _transfer_form("256.00", transferred_at=tomorrow),
                         content_type="multipart/form-data")
    assert response.status_code == 422
    assert Payment.query.count() == 0


def test_api_bank_transfer_then_supplier_confirm(parties, client):
    order = parties.order(status="accepted", quantity=1)
    _db.session.commit()
    response = client.post(f"/api/v1/orders/{order.id}/payments",
                           json={"method": "bank_transfer", "amount": "128.00",
                                 "transferred_at": _today().isoformat(),
                                 "payer_account": "6217 1111", "reference": "FK-1"},
                           headers=bearer(parties.buyer))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "pending" and body["method"] == "bank_transfer"
    assert body["amount"] == "128.00" and body["amount_mismatch"] is False

    other_supplier = factories.user("supplier_staff")
    _db.session.commit()
    url = f"/api/v1/orders/{order.id}/payments/{body['id']}/confirm"
    assert client.post(url, headers=bearer(other_supplier)).status_code == 403
    assert client.post(url, headers=bearer(parties.buyer)).status_code == 403
    response = client.post(url, headers=bearer(parties.supplier))
    assert response.status_code == 200
    assert response.get_json()["status"] == "confirmed"
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.payment_status == "paid" and order.status == "completed"
    again = client.post(url, headers=bearer(parties.supplier))
    assert again.status_code == 409
    assert _db.session.get(Order, order.id).paid_fen == 12800


def test_api_transfer_moment_counts_on_its_day_in_china(parties, client):
    """A moment with its UTC offset is the day it was in Beijing: 23:30 UTC on 5 March is
    6 March there, the day the order was placed (read as 5 March, it was refused)."""
    order = parties.order(status="accepted", quantity=1)
    order.created_at = datetime(2026, 3, 5, 16, 30)   # UTC: 6 March 00:30 in Beijing
    _db.session.commit()
    response = client.post(f"/api/v1/orders/{order.id}/payments",
                           json={"method": "bank_transfer", "amount": "128.00",
                                 "transferred_at": "2026-03-05T23:30:00+00:00",
                                 "payer_account": "6217 1111", "reference": "FK-2"},
                           headers=bearer(parties.buyer))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["transferred_at"].startswith("2026-03-06")


def test_api_bank_transfer_with_bad_fields_is_422(parties, client):
    order = parties.order(status="placed")
    _db.session.commit()
    headers = bearer(parties.buyer)
    for body in ({"method": "bank_transfer", "amount": 12.5, "transferred_at": "2026-01-01",
                  "payer_account": "x"},
                 {"method": "bank_transfer", "amount": "-3", "transferred_at": "2026-01-01",
                  "payer_account": "x"},
                 {"method": "bank_transfer", "amount": "10.001",
                  "transferred_at": _today().isoformat(), "payer_account": "x"},
                 {"method": "bank_transfer", "amount": "10", "transferred_at": "not a date",
                  "payer_account": "x"},
                 {"method": "cash"}):
        response = client.post(f"/api/v1/orders/{order.id}/payments", json=body,
                               headers=headers)
        assert response.status_code == 422, body
    assert Payment.query.count() == 0


def test_rejected_transfer_leaves_the_order_unpaid(parties, client, post_form):
    order = parties.order(status="placed")
    payment = parties.transfer(order, 25600)
    login(client, parties.supplier)
    post_form(f"/payments/{payment.id}/reject", {"reject-reason": "未查到此笔到账"})
    _db.session.expire_all()
    assert _db.session.get(Payment, payment.id).status == "rejected"
    assert _db.session.get(Order, order.id).payment_status == "unpaid"


def test_payment_panel_speaks_english(parties, client):
    order = parties.order(status="placed")
    login(client, parties.buyer)
    client.get("/language/en")
    page = client.get(f"/payments/orders/{order.id}").get_data(as_text=True)
    assert "Bank account for transfers" in page
    assert "Record a bank transfer" in page


def test_two_partial_transfers_match_together_and_a_third_is_refused(parties):
    from marketplace.errors import StateError

    order = parties.order(status="placed", quantity=2)
    first = parties.transfer(order, 10000)
    second = parties.transfer(order, 15600)
    assert first.amount_mismatch is True   # less than the 256.00 due
    assert second.amount_mismatch is False  # exactly what the first left open
    with pytest.raises(StateError):
        parties.transfer(order, 100)
    with pytest.raises(ValidationError):  # a part payment: the supplier ticks that it arrived
        services.confirm_transfer(first, parties.supplier)
    services.confirm_transfer(first, parties.supplier, acknowledge_mismatch=True)
    services.confirm_transfer(second, parties.supplier)
    assert order.payment_status == "paid" and order.paid_fen == 25600


def test_api_confirmation_of_a_differing_amount_needs_the_same_acknowledgement(parties, client):
    from tests.helpers import bearer

    order = parties.order(status="placed")  # ¥256.00 due
    payment = parties.transfer(order, 999999999999, "6217 1", "多付")
    _db.session.commit()
    headers = bearer(parties.supplier)
    url = f"/api/v1/orders/{order.id}/payments/{payment.id}/confirm"
    refused = client.post(url, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {"acknowledge_mismatch": "required"}
    assert client.post(url, headers=headers,
                       json={"acknowledge_mismatch": False}).status_code == 422
    _db.session.expire_all()
    assert _db.session.get(Payment, payment.id).status == "pending"
    assert _db.session.get(Order, order.id).paid_fen == 0
    done = client.post(url, headers=headers, json={"acknowledge_mismatch": True})
    assert done.status_code == 200 and done.get_json()["status"] == "confirmed"


def test_api_confirmation_of_the_amount_due_needs_no_acknowledgement(parties, client):
    from tests.helpers import bearer

    order = parties.order(status="placed")
    payment = parties.transfer(order, 25600, "6217 1", "货款")
    _db.session.commit()
    answer = client.post(f"/api/v1/orders/{order.id}/payments/{payment.id}/confirm",
                         headers=bearer(parties.supplier))
    assert answer.status_code == 200
