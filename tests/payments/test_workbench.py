"""The supplier's workbench (its start page): what waits for it, on both databases — orders to
confirm and to ship, bank transfers to confirm, refunds due — and nothing of another
supplier's; only supplier staff may open it."""
from marketplace.extensions import db as _db
from marketplace.ordering import services as ordering
from marketplace.payments import services
from tests import factories
from tests.helpers import login


def place(parties, quantity=3, terms="pay_first"):
    [order] = ordering.place_orders(parties.buyer, [(parties.product.id, quantity)], "canteen",
                                    "拉萨市城关区 食堂", "bank_transfer", terms)
    return order


def section(page, testid):
    """The text of one table of the workbench ('' when it shows none)."""
    start = page.find(f'data-testid="{testid}"')
    return page[start:page.find("</table>", start)] if start >= 0 else ""


def test_the_workbench_lists_what_waits_for_the_supplier(client, parties):
    to_confirm = place(parties)
    to_ship = place(parties, terms="goods_first")
    ordering.confirm_order(to_ship, parties.supplier)
    transfer_waits = place(parties, quantity=1)
    services.record_transfer(transfer_waits, parties.buyer, services.amount_due_fen(transfer_waits),
                             services.today_cst(), "6217 0000", transfer_waits.payment_reference)
    owing = place(parties)
    paid = services.record_transfer(owing, parties.buyer, services.amount_due_fen(owing),
                                    services.today_cst(), "6217 0000", owing.payment_reference)
    services.confirm_transfer(paid, parties.supplier)
    ordering.confirm_order(owing, parties.supplier)
    ordering.ship_order(owing, parties.supplier, "顺丰", "SF1")
    ordering.accept_delivery(owing, parties.buyer, {owing.lines[0].id: 2})
    # Another supplier's order waits too: not this supplier's business.
    stranger = factories.order(lines=[(factories.product(), 1)])
    _db.session.commit()

    login(client, parties.supplier)
    response = client.get("/supplier/workbench")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    confirm = section(page, "wb-to-confirm")
    assert to_confirm.number in confirm and transfer_waits.number in confirm
    assert to_ship.number in section(page, "wb-to-ship")
    assert to_confirm.number not in section(page, "wb-to-ship")
    assert transfer_waits.number in section(page, "wb-transfers")
    assert to_confirm.number not in section(page, "wb-transfers")
    refunds = section(page, "wb-refunds")
    assert owing.number in refunds and "¥128.00" in refunds
    assert stranger.number not in page
    # Each entry leads to where it is handled.
    assert f'/orders/{to_confirm.id}"' in confirm
    assert f'/payments/orders/{owing.id}"' in refunds


def test_an_empty_workbench_says_so(client, login_as):
    login_as("supplier_staff")
    page = client.get("/supplier/workbench").get_data(as_text=True)
    for words in ("没有待确认的订单", "没有待发货的订单", "没有待确认的转账", "没有应退的款项"):
        assert words in page


def test_only_supplier_staff_open_the_workbench(client, login_as):
    assert client.get("/supplier/workbench").status_code == 302      # to the login page
    for role in ("purchaser", "unit_manager", "auditor", "admin"):
        login_as(role)
        assert client.get("/supplier/workbench").status_code == 403, role
