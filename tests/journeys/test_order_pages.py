"""Journeys in Chromium at 1366×900 and 390×844: both sides read a paid order accepted in part
(the stepper, the accepted amount, the refund due and who must make it); a buyer whose transfer
waits is offered no second payment; a supplier fills the new-product form (two columns on a
desktop, one on a phone), sees every mistake at once and a preview of the photo."""
import pytest

from marketplace.extensions import db as _db
from tests.catalog.helpers import NYINGCHI, certified_staff, leaf
from tests.factories import Parties
from tests.helpers import image_bytes
from tests.journeys.helpers import log_in, shoot
from tests.payments.helpers import paid_then_accepted_short, place

pytestmark = pytest.mark.browser
SHOTS = "/tmp/orders-{}-{}.png"
STEPPER = "[data-testid=order-stepper]"


def test_both_sides_read_a_short_acceptance_and_who_must_refund(page, db):
    parties = Parties()
    order = paid_then_accepted_short(parties)
    for user, who in ((parties.buyer, "buyer"), (parties.supplier, "supplier")):
        log_in(page, user, afresh=True)
        page.goto(f"/orders/{order.id}")
        current = page.locator("[data-testid=order-stepper] [aria-current=step]")
        assert "验收" in current.inner_text()
        assert page.inner_text("[data-testid=order-value-figure]") == "¥256.00"
        assert page.inner_text("[data-testid=refund-due]") == "¥128.00"
        turn = page.inner_text("[data-testid=money-turn]")
        assert "供应商退还多付的 ¥128.00" in turn and ("请您办理" in turn) == (who == "supplier")
        shoot(page, SHOTS, f"short-acceptance-{who}", fits=[STEPPER])


def test_a_buyer_whose_transfer_waits_is_offered_no_second_payment(page, db):
    parties = Parties()
    order = place(parties, "pay_first")
    _db.session.commit()
    log_in(page, parties.buyer, afresh=True)
    page.goto(f"/orders/{order.id}")
    shoot(page, SHOTS, "to-pay", fits=[STEPPER])
    page.click("[data-testid=record-transfer]")            # the chosen method, the main button
    page.fill("input[name=payer_account]", "6217 0000 1111")
    page.click("[data-testid=submit-transfer]")
    page.wait_for_selector("text=转账已登记")
    page.goto(f"/orders/{order.id}")
    assert page.locator("[data-testid=pay-online]").count() == 0
    assert page.locator("[data-testid=record-transfer]").count() == 0
    assert "确认前不能再次付款" in page.inner_text("[data-testid=payment-panel]")
    shoot(page, SHOTS, "transfer-waits", fits=[STEPPER])


def test_a_supplier_fills_the_product_form_on_a_desktop_and_a_phone(page, db, tmp_path):
    staff = certified_staff()
    category = leaf()
    _db.session.commit()
    log_in(page, staff, afresh=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/supplier/products/new")
    price, stock = page.locator("input[name=price]"), page.locator("input[name=stock]")
    # Two columns on a desktop: price and stock side by side, each a usable width.
    assert price.bounding_box()["width"] > 250
    page.set_viewport_size({"width": 390, "height": 844})
    assert price.bounding_box()["width"] > 250 and \
        stock.bounding_box()["y"] > price.bounding_box()["y"]          # one column
    page.fill("input[name=name]", "林芝松茸")
    page.select_option("select[name=category]", str(category.id))
    page.fill("input[name=unit]", "斤")
    page.fill("input[name=price]", "十二元")
    page.fill("input[name=stock]", "很多")
    page.select_option("select[name=origin_region_code]", NYINGCHI)
    photo = tmp_path / "songrong.png"
    photo.write_bytes(image_bytes("PNG"))
    page.set_input_files("input[name=photos]", str(photo))
    page.wait_for_selector("#photo-preview img")                        # the preview
    assert page.eval_on_selector("#photo-preview img", "img => img.decode().then(() => "
                                 "img.naturalWidth)") == 64
    shoot(page, SHOTS, "product-form-filled")
    page.click("[data-testid=save-product]")
    errors = page.inner_text("main")
    assert "必须是金额" in errors and "库存 必须是整数" in errors       # both at once
    assert page.input_value("input[name=name]") == "林芝松茸"            # kept
    shoot(page, SHOTS, "product-form-errors")
