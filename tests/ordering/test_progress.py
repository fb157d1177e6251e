"""The order page's progress stepper 下单 → 确认 → 发货 → 验收 → 完成: what a reader sees at each
status, a cancelled or rejected order shown where it stopped, and whose turn it is."""
import re

import pytest

from marketplace.extensions import db as _db
from marketplace.ordering import services as ordering
from tests.helpers import login


def stepper(client, order):
    """[(label, state)] of the stepper on the order's page."""
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    block = re.search(r'data-testid="order-stepper".*?</ol>', page, re.S).group(0)
    return [(label, state) for state, label in re.findall(
        r'data-state="(\w+)".*?<span class="step-label">(.*?)</span>', block, re.S)]


@pytest.mark.parametrize("status, states", [
    ("placed", ["current", "todo", "todo", "todo", "todo"]),
    ("confirmed", ["done", "current", "todo", "todo", "todo"]),
    ("shipped", ["done", "done", "current", "todo", "todo"]),
    ("accepted", ["done", "done", "done", "current", "todo"]),
    ("completed", ["done", "done", "done", "done", "done"]),
])
def test_the_stepper_follows_the_order(client, parties, status, states):
    order = parties.order(status=status)
    _db.session.commit()
    login(client, parties.buyer)
    steps = stepper(client, order)
    assert [label for label, _state in steps] == ["下单", "确认", "发货", "验收", "完成"]
    assert [state for _label, state in steps] == states


def test_a_cancelled_order_shows_where_it_stopped_to_both_sides(client, parties):
    order = parties.order(status="placed")
    ordering.confirm_order(order, parties.supplier)
    ordering.cancel_order(order, parties.buyer, "预算调整")
    _db.session.commit()
    for user in (parties.buyer, parties.supplier):
        login(client, user)
        assert stepper(client, order) == [("下单", "done"), ("确认", "done"),
                                          ("已取消", "stopped")]


def test_a_rejected_order_stops_after_placing(client, parties):
    order = parties.order(status="pending_approval")
    _db.session.commit()
    login(client, parties.buyer)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "待审批" in page and "单位负责人审批订单" in page
    ordering.record_transition(order, "rejected", parties.buyer, "超预算")
    _db.session.commit()
    assert stepper(client, order) == [("下单", "done"), ("已驳回", "stopped")]


def test_actions_are_grouped_by_who_does_them(client, parties):
    order = parties.order(status="shipped")
    _db.session.commit()
    login(client, parties.buyer)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    buyer_group = re.search(r'data-testid="actions-buyer">(.*?)</article>', page, re.S).group(1)
    assert "采购方操作" in buyer_group and 'data-testid="accept-link"' in buyer_group
    assert 'data-testid="actions-supplier"' not in page
    assert "下一步</strong>：<span>采购方验收" in page
    login(client, parties.supplier)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    # Nothing for the supplier to do on a shipped order: no empty group, only whose turn it is.
    assert 'data-testid="actions-supplier"' not in page and 'data-testid="accept-link"' not in page
    assert "下一步</strong>：<span>采购方验收" in page
    confirmed = parties.order(status="confirmed")
    _db.session.commit()
    page = client.get(f"/orders/{confirmed.id}").get_data(as_text=True)
    group = re.search(r'data-testid="actions-supplier">(.*?)</article>', page, re.S).group(1)
    assert "供应商操作" in group and 'data-testid="cancel-order"' in group
