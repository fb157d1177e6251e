"""Journey: a canteen asks for a special VAT invoice from its accepted order (a missing tax
number is pointed out and nothing typed is lost), the cooperative issues it with the PDF for
the accepted amount, the canteen downloads it, and the auditor's list no longer names it."""
import pytest

from marketplace.payments import services
from tests import factories
from tests.factories import Parties
from tests.helpers import PDF
from tests.journeys.helpers import log_in, log_out

pytestmark = pytest.mark.browser



def test_a_canteen_asks_for_an_invoice_the_cooperative_issues_it(page, db, tmp_path):
    parties = Parties()
    order = parties.order(status="accepted", quantity=2)
    admin = factories.user("admin", name="平台管理员")
    db.session.commit()

    log_in(page, parties.buyer)
    page.goto(f"/orders/{order.id}")
    page.click("[data-testid=invoice-link]")
    page.fill("input[name=ask-title]", "拉萨市第一中学")
    page.select_option("select[name=ask-kind]", "special")
    page.fill("input[name=ask-email]", "caiwu@example.cn")
    page.click("[data-testid=request-invoice]")
    assert "增值税专用发票须填写纳税人识别号" in page.inner_text("main")
    assert page.input_value("input[name=ask-email]") == "caiwu@example.cn"
    page.fill("input[name=ask-tax_number]", "12540100MB0000000X")
    page.click("[data-testid=request-invoice]")
    page.wait_for_selector("text=发票申请已提交")
    assert page.inner_text("[data-testid=invoice-status]") == "已申请，待开具"
    log_out(page)

    log_in(page, parties.supplier)
    page.goto(f"/payments/orders/{order.id}/invoice")
    assert page.input_value("input[name=issue-amount]") == "256.00"
    page.fill("input[name=issue-number]", "12345678")
    page.fill("input[name=issue-code]", "1234567890")
    invoice_pdf = tmp_path / "发票.pdf"
    invoice_pdf.write_bytes(PDF)
    page.set_input_files("input[name=issue-file]", str(invoice_pdf))
    page.click("[data-testid=issue-invoice]")
    page.wait_for_selector("text=发票已开具，买方可以下载")
    page.screenshot(path="/tmp/invoice_issued.png", full_page=True)
    log_out(page)

    log_in(page, parties.buyer)
    page.goto(f"/payments/orders/{order.id}/invoice")
    assert page.inner_text("[data-testid=invoice-number]") == "12345678"
    with page.expect_download() as download_info:
        page.click("[data-testid=invoice-download]")
    assert open(download_info.value.path(), "rb").read() == PDF
    log_out(page)

    log_in(page, admin)
    page.goto("/invoices/missing")
    assert order.number not in page.inner_text("main")
    assert services.orders_without_invoice(admin) == []


def test_goods_first_orders_are_stated_invoiced_and_paid_in_one_transfer(page, db, tmp_path):
    parties = Parties()
    first = parties.order(status="accepted", quantity=2, payment_terms="goods_first")
    second = parties.order(status="accepted", quantity=1, payment_terms="goods_first")
    db.session.commit()
    today = services.today_cst()

    log_in(page, parties.supplier)
    page.goto("/payments/statements/new")
    page.fill("input[name=period_start]", (today.replace(day=1)).isoformat())
    page.fill("input[name=period_end]", today.isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=结算单已生成")
    statement_url = page.url
    assert page.inner_text("[data-testid=statement-due]") == "¥384.00"
    log_out(page)

    log_in(page, parties.buyer)
    page.goto(statement_url)
    page.click("[data-testid=confirm-statement]")
    page.wait_for_selector("text=结算单已确认")
    page.fill("input[name=ask-email]", "caiwu@example.cn")
    page.click("[data-testid=request-statement-invoice]")
    page.wait_for_selector("text=发票申请已提交")
    log_out(page)

    log_in(page, parties.supplier)
    page.goto(statement_url)
    assert page.input_value("input[name=issue-amount]") == "384.00"
    page.fill("input[name=issue-number]", "12345678901234567890")
    invoice_pdf = tmp_path / "结算单发票.pdf"
    invoice_pdf.write_bytes(PDF)
    page.set_input_files("input[name=issue-file]", str(invoice_pdf))
    page.click("[data-testid=issue-statement-invoice]")
    page.wait_for_selector("text=发票已开具，买方可以下载")
    log_out(page)

    log_in(page, parties.buyer)
    page.goto(statement_url)
    with page.expect_download() as download_info:
        page.click("[data-testid=statement-invoice-download]")
    assert open(download_info.value.path(), "rb").read() == PDF
    page.fill("input[name=pay-payer_account]", "6217 0000 1234")
    page.click("[data-testid=pay-statement]")
    page.wait_for_selector("text=等待供应商确认到账")
    log_out(page)

    log_in(page, parties.supplier)
    page.goto(statement_url)
    page.click("[data-testid=confirm-statement-transfer]")
    page.wait_for_selector("[data-testid=statement-settled]")
    assert "12345678901234567890" in page.inner_text("[data-testid=statement-settled]")
    db.session.expire_all()
    assert {first.status, second.status} == {"completed"}
