"""Points follow the marketplace events, each kept with its reason, order or product and time."""
import pytest

from marketplace.accounts.models import Organization
from marketplace.catalog import services as catalog
from marketplace.credit import services
from marketplace.credit.models import CreditEvent
from marketplace.notifications.models import Notification
from marketplace.ordering import services as ordering
from marketplace.ordering.signals import order_accepted
from tests.credit.helpers import deliver, events, place, review, trade


def standing(db, supplier):
    db.session.expire_all()
    org = db.session.get(Organization, supplier.id)
    return org.credit_points, org.credit_tier


def test_an_order_accepted_in_full_earns_two_points_kept_with_its_order_and_time(db):
    world = trade()
    order = deliver(world)
    event = CreditEvent.query.one()
    assert (event.reason, event.points, event.order_id) == ("accepted_in_full", 2, order.id)
    assert event.at == order.accepted_at and event.supplier_id == world.supplier.id
    assert services.ledger_points(world.supplier.id) == 2
    assert standing(db, world.supplier) == (2, "standard")


def test_an_order_with_any_quantity_refused_costs_three_points(db):
    world = trade()
    order = deliver(world, quantity=5, accepted=4)
    event = CreditEvent.query.one()
    assert (event.reason, event.points, event.order_id) == ("accepted_with_refusal", -3, order.id)
    assert standing(db, world.supplier) == (-3, "standard")


def test_only_the_suppliers_own_cancellation_costs_a_point(db):
    world = trade()
    by_supplier = place(world)
    ordering.cancel_order(by_supplier, world.staff, "缺货")
    by_buyer, by_admin = place(world), place(world)
    ordering.cancel_order(by_buyer, world.buyer, "计划调整")
    ordering.cancel_order(by_admin, world.admin, "纠纷处理")
    event = CreditEvent.query.one()
    assert (event.reason, event.points, event.order_id) == \
        ("cancelled_by_supplier", -1, by_supplier.id)
    assert event.note == "缺货" and event.at == by_supplier.cancelled_at


@pytest.mark.parametrize("hours, late", [(71, False), (73, True)])
def test_shipping_more_than_72_hours_after_confirming_costs_a_point(db, hours, late):
    world = trade()
    order = deliver(world, hours_to_ship=hours)
    reasons = {event.reason: event for event in CreditEvent.query}
    assert ("shipped_late" in reasons) is late
    if late:
        assert reasons["shipped_late"].points == -1
        assert reasons["shipped_late"].at == order.shipped_at
    assert services.ledger_points(world.supplier.id) == (1 if late else 2)


@pytest.mark.parametrize("stars, reason, points", [
    (5, "good_review", 1), (4, "good_review", 1), (3, None, 0), (2, "poor_review", -2),
    (1, "poor_review", -2)])
def test_reviews_of_four_or_five_stars_earn_and_of_one_or_two_cost(db, stars, reason, points):
    world = trade()
    deliver(world)
    posted = review(world, world.products[0], stars)
    found = CreditEvent.query.filter(CreditEvent.reason != "accepted_in_full").all()
    if reason is None:
        assert found == []
    else:
        assert [(e.reason, e.points, e.review_id, e.product_id) for e in found] == \
            [(reason, points, posted.id, world.products[0].id)]
        assert found[0].at == posted.created_at
    assert services.ledger_points(world.supplier.id) == 2 + points


def test_each_take_down_by_the_admin_costs_five_points(db):
    world = trade()
    product = world.products[1]
    catalog.take_down_product(world.admin, product, "图片与实物不符")
    catalog.restore_product(world.admin, product)
    catalog.take_down_product(world.admin, product, "价格虚高")
    found = CreditEvent.query.order_by(CreditEvent.id).all()
    assert [(e.reason, e.points, e.product_id, e.note) for e in found] == [
        ("taken_down", -5, product.id, "图片与实物不符"),
        ("taken_down", -5, product.id, "价格虚高")]
    assert standing(db, world.supplier) == (-10, "standard")


def test_an_event_sent_twice_counts_once(db):
    world = trade()
    order = deliver(world)
    order_accepted.send(order, actor=world.buyer)
    assert CreditEvent.query.count() == 1
    assert services.ledger_points(world.supplier.id) == 2


def test_the_events_always_sum_to_the_points_and_the_kept_standing(db):
    world = trade()
    deliver(world)
    deliver(world, quantity=4, accepted=2)
    deliver(world, hours_to_ship=80)
    review(world, world.products[0], 5)
    catalog.take_down_product(world.admin, world.products[1], "资质过期")
    services.correct(world.admin, world.supplier, 3, "线下核实后补记")
    total = sum(event.points for event in CreditEvent.query)
    assert total == 2 - 3 + 2 - 1 + 1 - 5 + 3
    assert services.ledger_points(world.supplier.id) == total
    assert standing(db, world.supplier) == (total, services.tier_for(total))


@pytest.mark.parametrize("points, tier", [
    (-12, "standard"), (0, "standard"), (19, "standard"), (20, "silver"), (49, "silver"),
    (50, "gold"), (99, "gold"), (100, "diamond"), (350, "diamond")])
def test_the_tier_follows_the_points(points, tier):
    assert services.tier_for(points) == tier


def test_next_tier_says_how_many_points_are_missing():
    assert services.next_tier(0) == ("silver", 20)
    assert services.next_tier(-4) == ("silver", 24)
    assert services.next_tier(20) == ("gold", 30)
    assert services.next_tier(99) == ("diamond", 1)
    assert services.next_tier(100) == (None, 0)


def test_reaching_a_new_tier_moves_the_badge_and_tells_the_supplier(db):
    world = trade()
    services.correct(world.admin, world.supplier, 19, "迁移原平台的履约记录")
    assert standing(db, world.supplier) == (19, "standard")
    deliver(world)
    assert standing(db, world.supplier) == (21, "silver")
    notice = Notification.query.filter_by(user_id=world.staff.id, kind="credit.tier_changed").one()
    assert "银卡" in notice.message and "21" in notice.message


def test_the_supplier_of_another_order_is_not_touched(db):
    world, other = trade(), trade()
    deliver(world)
    assert events(other.supplier) == []
    assert standing(db, other.supplier) == (0, "standard")

