"""The state table: every order action × every order status, over the API and the pages.

Each cell says whether the action passes or is refused as a state conflict (409; a page
flashes the refusal and changes nothing). A supplier never meets an order awaiting approval
or rejected, so its actions on those are a 403 on both. Each status has its own order, of its
own buyer unit (a statement takes a buyer's completed and accepted goods-first orders: only
that order is in play), built once per module; every action runs in a transaction rolled back afterwards.
"""
import pytest

from marketplace.accounts.models import User
from marketplace.api.core import issue_token
from marketplace.extensions import db as _db
from marketplace.ordering import services as ordering
from marketplace.ordering.models import Order
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, Refund, SettlementItem
from tests import factories
from tests.conftest import Client, _clean
from tests.helpers import csrf_token, login
from tests.permissions_world import rolled_back_requests

STATUSES = ("pending_approval", "placed", "confirmed", "shipped", "accepted", "completed",
            "cancelled", "rejected")
ACTIONS = ("approve", "reject", "confirm", "ship", "accept", "cancel", "pay", "refund",
           "statement")
HIDDEN = ("pending_approval", "rejected")   # not the supplier's business

# The table: for each action, the statuses it passes from; the others answer 409, or 403
# where the acting supplier cannot see the order.
PASSES = {
    "approve": {"pending_approval"},
    "reject": {"pending_approval"},
    "confirm": {"placed"},
    "ship": {"confirmed"},
    "accept": {"shipped"},
    "cancel": {"pending_approval", "placed", "confirmed"},
    "pay": {"placed", "confirmed", "shipped", "accepted"},
    "refund": {"placed", "confirmed", "shipped", "accepted", "completed"},
    "statement": {"accepted", "completed"},   # accepted goods-first: stated before payment
}
ON_THE_ORDER_BY_SUPPLIER = ("confirm", "ship", "refund")
ACTORS = {"approve": "manager", "reject": "manager", "confirm": "supplier", "ship": "supplier",
          "accept": "buyer", "cancel": "buyer", "pay": "buyer", "refund": "supplier",
          "statement": "supplier"}


def expected(action, status):
    if status in PASSES[action]:
        return "pass"
    if action in ON_THE_ORDER_BY_SUPPLIER and status in HIDDEN:
        return 403
    return 409


def _order(seller, product, status, terms="goods_first"):
    """A new buyer unit's order taken through the services to `status`."""
    school = factories.org("budget_unit", region_code="540102")
    buyer = factories.user("purchaser", organization=school)
    manager = factories.user("unit_manager", organization=school)
    school.approval_threshold_fen = 0 if status in ("pending_approval", "rejected") else None
    [order] = ordering.place_orders(buyer, [(product.id, 2)], "canteen", "拉萨市城关区 食堂",
                                    "bank_transfer", terms)
    if status == "rejected":
        ordering.reject_order(order, manager, "超预算")
    if status == "cancelled":
        ordering.cancel_order(order, buyer, "不需要了")
    if status in ("confirmed", "shipped", "accepted", "completed"):
        ordering.confirm_order(order, seller)
    if status in ("shipped", "accepted", "completed"):
        ordering.ship_order(order, seller, "顺丰", "SF1")
    if status in ("accepted", "completed"):
        ordering.accept_delivery(order, buyer)
    if status == "completed":
        payment = payments.record_transfer(order, buyer, payments.amount_due_fen(order),
                                           payments.today_cst(), "6217", order.payment_reference)
        payments.confirm_transfer(payment, seller)
    assert order.status == status
    return {"order": order.id, "buyer": buyer.id, "manager": manager.id, "unit": school.id}


@pytest.fixture(scope="module")
def orders(app):
    with app.app_context():
        _clean(app)
        supplier = factories.org("supplier", region_code="540402")
        seller = factories.user("supplier_staff", organization=supplier)
        product = factories.product(supplier, price_fen=12800, stock=1000)
        built = {status: _order(seller, product, status) for status in STATUSES}
        built["unpaid_pay_first"] = _order(seller, product, "confirmed", terms="pay_first")
        paid = _order(seller, product, "confirmed", terms="pay_first")
        order = _db.session.get(Order, paid["order"])
        transfer = payments.record_transfer(order, order.placed_by,
                                            payments.amount_due_fen(order),
                                            payments.today_cst(), "6217", order.payment_reference)
        payments.confirm_transfer(transfer, seller)
        built["paid_pay_first"] = paid
        for cell in built.values():
            cell["supplier"] = seller.id
            cell["tokens"] = {role: issue_token(_db.session.get(User, cell[role]))
                              for role in ("buyer", "manager", "supplier")}
        _db.session.commit()
        yield built
        _db.session.remove()


@pytest.fixture
def client(app, orders):
    app.test_client_class = Client
    return app.test_client()


def _api_call(client, action, order, token):
    today = payments.today_cst().isoformat()
    base = f"/api/v1/orders/{order.id}"
    calls = {
        "approve": (f"{base}/approve", None),
        "reject": (f"{base}/reject", {"reason": "超预算"}),
        "confirm": (f"{base}/confirm", None),
        "ship": (f"{base}/ship", {"carrier": "顺丰", "tracking_number": "SF2"}),
        "accept": (f"{base}/accept", None),
        "cancel": (f"{base}/cancel", {"reason": "不需要了"}),
        "pay": (f"{base}/payments", {"method": "bank_transfer", "amount": "1.00",
                                     "transferred_at": today, "payer_account": "6217"}),
        "refund": (f"{base}/refunds", {"line_id": order.lines[0].id, "amount": "1.00",
                                       "reason": "少一件", "transfer_reference": "TK1"}),
        # The supplier settles the buyer's completed orders of this month.
        "statement": ("/api/v1/settlement-statements", {
            "buyer_organization_id": order.buyer_organization_id,
            "period_start": payments.today_cst().replace(day=1).isoformat(),
            "period_end": payments.today_cst().isoformat()}),
    }
    url, body = calls[action]
    return client.post(url, headers={"Authorization": f"Bearer {token}"}, json=body)


def _statement_page(client, cell):
    """The supplier settles the buyer's completed orders of this month (the page)."""
    day = payments.today_cst()
    return client.post("/payments/statements/new", data={
        "csrf_token": csrf_token(client), "buyer_organization_id": str(cell["unit"]),
        "period_start": day.replace(day=1).isoformat(), "period_end": day.isoformat()})


def _before(order_id):
    return {"status": _db.session.get(Order, order_id).status,
            "payments": Payment.query.filter_by(order_id=order_id).count(),
            "refunds": Refund.query.filter_by(order_id=order_id).count()}


def _changed(action, order_id, before):
    """Whether the action did what it does to the order."""
    _db.session.expire_all()
    if action == "pay":
        return Payment.query.filter_by(order_id=order_id).count() > before["payments"]
    if action == "refund":
        return Refund.query.filter_by(order_id=order_id).count() > before["refunds"]
    if action == "statement":
        return SettlementItem.query.filter_by(order_id=order_id).count() > 0
    return _db.session.get(Order, order_id).status != before["status"]


def _run_table(app, orders, ask):
    got, want = {}, {}
    with app.app_context():
        for action in ACTIONS:
            for status in STATUSES:
                with rolled_back_requests(_db.session):
                    got[action, status] = ask(action, orders[status])
                want[action, status] = expected(action, status)
        _db.session.remove()
    return got, want


def _as(client, user_id):
    login(client, _db.session.get(User, user_id))
    return client


def test_every_action_in_every_status_over_the_api(app, orders, client):
    def ask(action, cell):
        order = _db.session.get(Order, cell["order"])
        response = _api_call(client, action, order, cell["tokens"][ACTORS[action]])
        return "pass" if response.status_code in (200, 201) else response.status_code

    got, want = _run_table(app, orders, ask)
    assert got == want


PAGE_ACTIONS = {
    "approve": lambda order: (f"/orders/{order.id}/approve", {}),
    "reject": lambda order: (f"/orders/{order.id}/reject", {"reason": "超预算"}),
    "confirm": lambda order: (f"/orders/{order.id}/confirm", {}),
    "ship": lambda order: (f"/orders/{order.id}/ship", {"carrier": "顺丰",
                                                       "tracking_number": "SF2"}),
    "accept": lambda order: (f"/orders/{order.id}/accept", {
        f"line_{line.id}": str(line.quantity) for line in order.lines}),
    "cancel": lambda order: (f"/orders/{order.id}/cancel", {"reason": "不需要了"}),
    "pay": lambda order: (f"/payments/orders/{order.id}/transfer", {
        "amount": "1.00", "transferred_at": payments.today_cst().isoformat(),
        "payer_account": "6217", "reference": "x"}),
    "refund": lambda order: (f"/payments/orders/{order.id}/refund", {
        "refund-line_id": str(order.lines[0].id), "refund-amount": "1.00",
        "refund-reason": "少一件", "refund-transfer_reference": "TK1"}),
}


def test_every_action_in_every_status_on_the_pages(app, orders, client):
    """A page's refusal is a message and nothing changed; the API's is a 409."""
    def ask(action, cell):
        order = _db.session.get(Order, cell["order"])
        _as(client, cell[ACTORS[action]])
        before = _before(cell["order"])
        if action == "statement":
            response = _statement_page(client, cell)
        else:
            url, data = PAGE_ACTIONS[action](order)
            response = client.post(url, data={**data, "csrf_token": csrf_token(client)})
        if response.status_code == 403:
            return 403
        if _changed(action, cell["order"], before):
            return "pass"
        assert response.status_code in (302, 409, 422), (action, response.status_code)
        return 409

    got, want = _run_table(app, orders, ask)
    assert got == want


def test_a_pay_first_order_ships_only_once_paid(app, orders, client):
    with app.app_context():
        answers = {}
        for name in ("unpaid_pay_first", "paid_pay_first"):
            cell = orders[name]
            with rolled_back_requests(_db.session):
                answers[name] = client.post(
                    f"/api/v1/orders/{cell['order']}/ship",
                    headers={"Authorization": f"Bearer {cell['tokens']['supplier']}"},
                    json={"carrier": "顺丰", "tracking_number": "SF3"})
        _db.session.remove()
    unpaid, paid = answers["unpaid_pay_first"], answers["paid_pay_first"]
    assert (unpaid.status_code, unpaid.get_json()["error"]["code"]) == (409, "payment_required")
    assert paid.status_code == 200 and paid.get_json()["status"] == "shipped"
