"""Who may open and use the payment pages."""
import re

from marketplace.extensions import db as _db
from marketplace.payments import services
from marketplace.payments.models import Payment, Refund
from tests import factories
from tests.helpers import login


def test_other_buyers_cannot_see_or_pay_an_order(parties, client, post_form):
    order = parties.order(status="placed")
    stranger = factories.user("purchaser")
    login(client, stranger)
    assert client.get(f"/payments/orders/{order.id}").status_code == 403
    assert client.get(f"/payments/orders/{order.id}/transfer").status_code == 403
    assert post_form(f"/payments/orders/{order.id}/stripe").status_code == 403
    assert Payment.query.count() == 0


def test_supplier_cannot_pay_and_buyer_cannot_confirm_or_refund(parties, client, post_form):
    order = parties.order(status="accepted")
    payment = parties.transfer(order, 25600)
    login(client, parties.supplier)
    assert client.get(f"/payments/orders/{order.id}/transfer").status_code == 403
    login(client, parties.buyer)
    assert post_form(f"/payments/{payment.id}/confirm").status_code == 403
    assert post_form(f"/payments/orders/{order.id}/refund",
                     {"refund-line_id": order.lines[0].id, "refund-amount": "1.00",
                      "refund-reason": "x"}).status_code == 403
    _db.session.expire_all()
    assert _db.session.get(Payment, payment.id).status == "pending"
    assert Refund.query.count() == 0


def test_auditor_outside_the_jurisdiction_cannot_see_payments(parties, client, login_as):
    order = parties.order(status="placed")
    auditor_office = factories.org("audit_office", region_code="110000")
    login_as(factories.user("auditor", organization=auditor_office))
    assert client.get(f"/payments/orders/{order.id}").status_code == 403


def test_voucher_is_only_for_the_parties(parties, client, post_form, app):
    import io

    order = parties.order(status="placed")
    login(client, parties.buyer)
    post_form(f"/payments/orders/{order.id}/transfer",
              {"transferred_at": services.today_cst().isoformat(), "amount": "256.00",
               "payer_account": "6217", "voucher": (io.BytesIO(b"%PDF-1.4 x\n%%EOF\n"), "v.pdf")},
              content_type="multipart/form-data")
    payment = Payment.query.one()
    login(client, parties.supplier)
    answer = client.get(f"/payments/{payment.id}/voucher")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].startswith("attachment")  # a PDF: downloaded
    login(client, factories.user("supplier_staff"))
    assert client.get(f"/payments/{payment.id}/voucher").status_code == 404


def test_unknown_order_is_404(client, login_as):
    login_as("purchaser")
    assert client.get("/payments/orders/999999").status_code == 404


def test_a_refused_refund_comes_back_beside_its_fields_with_what_was_typed(parties, client,
                                                                          post_form):
    order = parties.order(status="accepted")
    payment = parties.transfer(order, 25600)
    services.confirm_transfer(payment, parties.supplier)
    _db.session.commit()
    login(client, parties.supplier)
    answer = post_form(f"/payments/orders/{order.id}/refund", {
        "refund-line_id": order.lines[0].id, "refund-amount": "99999.00",
        "refund-reason": "两袋受潮"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    form = page[page.index('class="refund-form"'):]
    assert form.startswith('class="refund-form" open')   # open, not folded away
    assert 'id="refund-amount-error"' in form               # the message beside the amount
    assert 'value="99999.00"' in form and "两袋受潮" in form
    assert Refund.query.count() == 0
    blank = post_form(f"/payments/orders/{order.id}/refund", {
        "refund-line_id": order.lines[0].id, "refund-amount": "", "refund-reason": ""})
    assert blank.status_code == 422
    assert blank.get_data(as_text=True).count('class="field-error"') == 2
    done = post_form(f"/payments/orders/{order.id}/refund", {
        "refund-line_id": order.lines[0].id, "refund-amount": "12.80",
        "refund-reason": "两袋受潮"})
    # A transfer's refund needs its reference: told beside that field.
    assert re.findall(r'id="refund-transfer_reference-error"[^>]*>([^<]*)',
                      done.get_data(as_text=True)) == ["退回银行转账时请填写退款转账的流水号。"]
    done = post_form(f"/payments/orders/{order.id}/refund", {
        "refund-line_id": order.lines[0].id, "refund-amount": "12.80",
        "refund-reason": "两袋受潮", "refund-transfer_reference": "TR2026120501"})
    assert done.status_code == 302 and Refund.query.count() == 1
