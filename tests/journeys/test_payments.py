"""Journeys in Chromium: a union pays by card in test mode and sees the order paid after
Stripe's webhook; a canteen records a bank transfer that the cooperative confirms; a partial
refund appears on the buyer's order."""
import re
import time

import pytest

from marketplace.extensions import db as _db
from marketplace.payments import services
from tests.factories import Parties
from tests.helpers import PDF
from tests.journeys.helpers import log_in

pytestmark = pytest.mark.browser



def wait_for_text(page, selector, text, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        if text in page.inner_text(selector):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never appeared in {selector}")
        time.sleep(0.5)
        page.reload()


def test_union_pays_by_card_in_test_mode_and_sees_it_paid(page, stripe_webhooks, db):
    parties = Parties(buyer_kind="union")
    order = parties.order(status="confirmed", quantity=2)
    _db.session.commit()
    log_in(page, parties.buyer, afresh=True)
    page.goto(f"/payments/orders/{order.id}")
    assert "未付款" in page.inner_text("[data-testid=payment-status]")
    page.click("[data-testid=pay-online]")
    page.wait_for_selector("[data-testid=test-mode-pay]")
    assert "¥256.00" in page.inner_text("main")
    page.click("[data-testid=test-mode-pay]")
    page.wait_for_selector("text=测试卡付款已提交")
    wait_for_text(page, "[data-testid=payment-status]", "已支付")
    assert "¥256.00" in page.inner_text("[data-testid=paid-amount]")
    assert "¥0.00" in page.inner_text("[data-testid=due-amount]")


def test_canteen_records_a_transfer_and_the_cooperative_confirms_it(page, db, tmp_path):
    parties = Parties()
    order = parties.order(status="accepted", quantity=1)
    _db.session.commit()
    voucher = tmp_path / "回单.pdf"
    voucher.write_bytes(PDF)

    log_in(page, parties.buyer, afresh=True)
    page.goto(f"/payments/orders/{order.id}")
    reference = page.inner_text("[data-testid=payment-reference]").strip()
    assert reference
    assert "6228 0000 1111 2222" in page.inner_text("[data-testid=account-number]")
    page.click("[data-testid=record-transfer]")
    assert page.input_value("input[name=transferred_at]") == services.today_cst().isoformat()
    assert page.input_value("input[name=amount]") == "128.00"
    assert page.input_value("input[name=reference]") == reference
    page.fill("input[name=payer_account]", "6217 0000 1234 5678")
    page.set_input_files("input[name=voucher]", str(voucher))
    page.click("[data-testid=submit-transfer]")
    page.wait_for_selector("text=转账已登记")
    assert "待确认" in page.inner_text("[data-testid=payment-status]")

    log_in(page, parties.supplier, afresh=True)
    page.goto(f"/payments/orders/{order.id}")
    page.click("[data-testid=confirm-transfer]")
    page.wait_for_selector("text=已确认到账。")
    assert "已支付" in page.inner_text("[data-testid=payment-status]")

    log_in(page, parties.buyer, afresh=True)
    page.goto(f"/payments/orders/{order.id}")
    assert "已支付" in page.inner_text("[data-testid=payment-status]")


def test_partial_refund_appears_on_the_buyers_order(page, db):
    parties = Parties()
    order = parties.order(status="accepted", quantity=2)
    payment = parties.transfer(order, 25600)
    services.confirm_transfer(payment, parties.supplier)
    _db.session.commit()

    log_in(page, parties.supplier, afresh=True)
    page.goto(f"/payments/orders/{order.id}")
    page.click(".refund-form summary")
    page.fill("input[name=refund-amount]", "30.00")
    page.fill("textarea[name=refund-reason]", "一斤松茸开伞，按质论价")
    page.fill("input[name=refund-transfer_reference]", "HZ20261129001")
    page.click("[data-testid=submit-refund]")
    page.wait_for_selector("text=退款已记录")

    log_in(page, parties.buyer, afresh=True)
    page.goto(f"/payments/orders/{order.id}")
    refunds = page.inner_text("[data-testid=refund-list]")
    assert "¥30.00" in refunds and "一斤松茸开伞" in refunds
    assert re.search("部分退款", page.inner_text("[data-testid=payment-status]"))
