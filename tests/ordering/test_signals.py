"""The ordering services announce each step of an order's life, after the change is flushed,
so other domains react without ordering knowing them."""
from contextlib import contextmanager

import pytest

from marketplace.errors import StateError
from marketplace.ordering import services, signals
from marketplace.ordering.models import Order
from tests import factories
from tests.ordering.helpers import buyer, checkout, supplier_with_staff


@contextmanager
def heard(*names):
    """[(signal name, order id, status seen in the database, actor)] while inside."""
    calls, receivers = [], []
    for name in names:
        def receiver(order, actor=None, _name=name, **_):
            stored = Order.query.filter_by(id=order.id).with_entities(Order.status).scalar()
            calls.append((_name, order.id, stored, actor))
        getattr(signals, name).connect(receiver)
        receivers.append((name, receiver))
    try:
        yield calls
    finally:
        for name, receiver in receivers:
            getattr(signals, name).disconnect(receiver)


def test_each_step_is_announced_with_the_order_flushed_and_the_actor(db):
    supplier, staff = supplier_with_staff()
    user = buyer()
    product = factories.product(supplier=supplier, stock=50)
    with heard("order_placed", "order_confirmed", "order_shipped", "order_accepted",
               "order_completed") as calls:
        order = checkout(user, [(product, 2)], payment_terms="goods_first")[0]
        services.confirm_order(order, staff)
        services.ship_order(order, staff, "顺丰", "SF1")
        services.accept_delivery(order, user)
    # Goods first and unpaid: accepted, not completed.
    assert calls == [("order_placed", order.id, "placed", user),
                         ("order_confirmed", order.id, "confirmed", staff),
                         ("order_shipped", order.id, "shipped", staff),
                         ("order_accepted", order.id, "accepted", user)]


def test_approval_cancellation_and_completion_are_announced(db):
    supplier, staff = supplier_with_staff()
    product = factories.product(supplier=supplier, stock=50, price_fen=100000)
    user = buyer(threshold_fen=50000)
    manager = factories.user("unit_manager", organization=user.organization)
    with heard("order_approved", "order_cancelled", "order_completed") as calls:
        order = checkout(user, [(product, 1)])[0]
        services.approve_order(order, manager)
        services.cancel_order(order, staff, "缺货")
    assert calls == [("order_approved", order.id, "placed", manager),
                     ("order_cancelled", order.id, "cancelled", staff)]
    accepted = factories.order(user, [(product, 1)], status="accepted", payment_status="paid")
    with heard("order_completed") as calls:
        assert services.complete_order(accepted, actor=None)
    assert calls == [("order_completed", accepted.id, "completed", None)]


def test_a_step_refused_announces_nothing(db):
    supplier, staff = supplier_with_staff()
    product = factories.product(supplier=supplier, stock=50)
    order = checkout(buyer(), [(product, 1)])[0]
    with heard("order_shipped") as calls, pytest.raises(StateError):
        services.ship_order(order, staff, "顺丰", "SF1")  # not confirmed yet
    assert calls == []
