"""After-sales (售后): the buyer's case, the supplier's agreement or answer, escalation and the
admin's arbitration; refunds and stock back; limits, the window and who may act."""
from datetime import timedelta

import pytest

from marketplace.catalog.models import Product
from marketplace.errors import PermissionDenied, StateError, ValidationError
from marketplace.extensions import db as _db
from marketplace.ordering.models import OrderEvent
from marketplace.payments import services
from marketplace.payments.services import aftersales
from marketplace.timeutil import utcnow
from tests.factories import org, user
from tests.helpers import login, statements_during


def _stock(product):
    _db.session.expire_all()
    return _db.session.get(Product, product.id).stock


def test_agreed_return_on_an_unpaid_goods_first_order_lowers_what_is_owed_and_restocks(parties):
    order = parties.order(status="accepted", quantity=3, payment_terms="goods_first")
    due = services.amount_due_fen(order)
    stock = _stock(parties.product)
    case = aftersales.open_case(order, parties.buyer, order.lines[0].id, "return", 2, "变质")
    aftersales.agree(case, parties.supplier)
    _db.session.commit()
    assert case.status == "agreed"
    assert services.amount_due_fen(order) == due - 2 * 12800
    assert _stock(parties.product) == stock + 2
    steps = [e.to_status for e in OrderEvent.query.filter_by(order_id=order.id)]
    assert steps[-2:] == ["aftersale_opened", "aftersale_agreed"]


def test_quantity_is_limited_by_what_earlier_returns_took(parties):
    order = parties.order(status="accepted", quantity=3, payment_terms="goods_first")
    line_id = order.lines[0].id
    aftersales.open_case(order, parties.buyer, line_id, "return", 2, "破损")
    with pytest.raises(ValidationError) as error:
        aftersales.open_case(order, parties.buyer, line_id, "return", 2, "破损")
    assert error.value.fields == {"quantity": "above_limit"}
    aftersales.open_case(order, parties.buyer, line_id, "return", 1, "破损")


def test_a_return_refused_in_arbitration_gives_its_quantity_back_and_complaints_take_none(
        parties):
    order = parties.order(status="accepted", quantity=3, payment_terms="goods_first")
    line_id = order.lines[0].id
    aftersales.open_case(order, parties.buyer, line_id, "complaint", 3, "少秤")
    case = aftersales.open_case(order, parties.buyer, line_id, "return", 2, "破损")
    assert aftersales.returnable_quantities(order) == {line_id: 1}
    aftersales.answer(case, parties.supplier, "出库时完好")
    aftersales.escalate(case, parties.buyer)
    aftersales.arbitrate(case, user("admin"), False, "照片不足")
    assert aftersales.returnable_quantities(order) == {line_id: 3}
    # The order page asks once for the whole order, however many lines it has.
    asked = statements_during(lambda: aftersales.may_open(order, parties.buyer))
    assert sum("after_sale_cases" in statement for statement in asked) == 1


def test_bad_input_names_each_field_and_saves_nothing(parties):
    order = parties.order(status="accepted", quantity=1)
    with pytest.raises(ValidationError) as error:
        aftersales.open_case(order, parties.buyer, order.lines[0].id, "swap", 0, "")
    assert set(error.value.fields) == {"kind", "reason", "quantity"}
    assert aftersales.AfterSaleCase.query.count() == 0


def test_the_window_closes_after_the_set_days(parties, app):
    order = parties.order(status="accepted", quantity=1,
                          accepted_at=utcnow() - timedelta(days=app.config["AFTER_SALES_DAYS"],
                                                           hours=1))
    with pytest.raises(StateError):
        aftersales.open_case(order, parties.buyer, order.lines[0].id, "complaint", 1, "少秤")


def test_answer_escalate_and_arbitrate_for_the_supplier_closes_it(parties):
    order = parties.order(status="accepted", quantity=1)
    admin = user("admin")
    case = aftersales.open_case(order, parties.buyer, order.lines[0].id, "complaint", 1, "少秤")
    with pytest.raises(StateError):
        aftersales.escalate(case, parties.buyer)  # nothing answered yet
    aftersales.answer(case, parties.supplier, "称重单据齐全")
    aftersales.escalate(case, parties.buyer)
    with pytest.raises(PermissionDenied):
        aftersales.arbitrate(case, parties.supplier, False, "x")
    aftersales.arbitrate(case, admin, False, "单据属实")
    assert case.status == "closed"


def test_arbitration_for_the_buyer_refunds_like_an_agreement(parties):
    order = parties.order(status="accepted", quantity=2, payment_terms="goods_first")
    due = services.amount_due_fen(order)
    case = aftersales.open_case(order, parties.buyer, order.lines[0].id, "return", 1, "变质")
    aftersales.answer(case, parties.supplier, "不认可")
    aftersales.escalate(case, parties.buyer)
    aftersales.arbitrate(case, user("admin"), True, "照片显示变质")
    _db.session.commit()
    assert case.status == "agreed"
    assert services.amount_due_fen(order) == due - 12800


def test_only_the_right_side_may_act(parties):
    order = parties.order(status="accepted", quantity=1)
    stranger = user("purchaser", organization=org("budget_unit"))
    other_supplier = user("supplier_staff", organization=org("supplier"))
    with pytest.raises(PermissionDenied):
        aftersales.open_case(order, stranger, order.lines[0].id, "return", 1, "x")
    with pytest.raises(PermissionDenied):
        aftersales.open_case(order, parties.supplier, order.lines[0].id, "return", 1, "x")
    case = aftersales.open_case(order, parties.buyer, order.lines[0].id, "return", 1, "x")
    for who in (parties.buyer, other_supplier):
        with pytest.raises(PermissionDenied):
            aftersales.answer(case, who, "no")
    with pytest.raises((PermissionDenied, StateError)):
        aftersales.agree(case, other_supplier)
    with pytest.raises(PermissionDenied):
        aftersales.get_case(case.id, stranger)


def test_the_order_timeline_names_each_after_sales_step(parties, client):
    order = parties.order(status="accepted", quantity=3, payment_terms="goods_first")
    case = aftersales.open_case(order, parties.buyer, order.lines[0].id, "complaint", 1, "包装破损")
    aftersales.answer(case, parties.supplier, "出库时完好")
    _db.session.commit()
    login(client, parties.buyer)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "申请售后" in page and "供应商答复售后" in page
    assert "aftersale_" not in page
    # The notes hold the case's number and the people's own words, nothing the app wrote in
    # Chinese: an English reader sees the steps named in English beside them.
    assert f"#{case.id} · 出库时完好" in page and "供应商答复：" not in page
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert f"#{case.id} · {order.lines[0].product_name} ×1 · 包装破损" in english
    assert "售后申请（" not in english and "申请售后" not in english
