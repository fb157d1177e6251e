"""Journey: a supplier reads its credit page and downloads its statement; a bank officer
without an account verifies it on the verify page, by the file and by its code."""
import re

import pytest

from marketplace.catalog import services as catalog
from tests.credit.helpers import deliver, review, trade
from tests.journeys.helpers import follow_menu, log_in, log_out

pytestmark = pytest.mark.browser


def test_a_supplier_downloads_its_statement_and_a_visitor_verifies_it(page, db, tmp_path):
    world = trade()
    for _number in range(3):
        deliver(world)
    deliver(world, quantity=3, accepted=2)
    review(world, world.products[0], 5)
    catalog.take_down_product(world.admin, world.products[1], "图片与实物不符")
    db.session.commit()
    points = 3 * 2 - 3 + 1 - 5

    log_in(page, world.staff)
    follow_menu(page, "信用积分")
    assert page.inner_text("[data-testid=credit-points]") == str(points)
    assert "普通" in page.inner_text("[data-testid=credit-tier]")
    assert page.locator("[data-testid=credit-events] tbody tr").count() == 6
    assert page.locator("figure.credit-chart svg rect").count() == 12
    with page.expect_download() as download_info:
        page.click("[data-testid=statement-download]")
    statement = tmp_path / "statement.pdf"
    download_info.value.save_as(statement)
    assert statement.read_bytes().startswith(b"%PDF-")
    log_out(page)

    # A bank officer, not signed in, follows the footer link to the verify page.
    page.click("[data-testid=footer-verify]")
    page.set_input_files("input[type=file]", str(statement))
    page.click("[data-testid=verify-submit]")
    result = page.inner_text("[data-testid=verify-result]")
    assert "文件未被改动" in result and world.supplier.name in result
    assert page.inner_text("[data-testid=statement-points]") == str(points)
    code = page.inner_text("[data-testid=verify-export-id]")

    tampered = tmp_path / "tampered.pdf"
    data = statement.read_bytes()
    position = data.index(b"stream") + 50
    tampered.write_bytes(data[:position] + bytes([data[position] ^ 0x20]) + data[position + 1:])
    page.set_input_files("input[type=file]", str(tampered))
    page.click("[data-testid=verify-submit]")
    assert "文件已被改动" in page.inner_text("[data-testid=verify-result]")

    page.fill("[data-testid=verify-code]", code.upper())
    page.click("[data-testid=verify-submit]")
    result = page.inner_text("[data-testid=verify-result]")
    assert "核验码有效" in result and world.supplier.name in result
    assert re.sub(r"\s", "", page.inner_text("[data-testid=verify-export-id]")) == \
        re.sub(r"\s", "", code)
