"""Ordering services on both databases: cart, checkout, approvals, life cycle, stock."""
import pytest
from flask import session

from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Product
from marketplace.catalog.services import ProductUnavailable
from marketplace.errors import (InsufficientStock, NotFound, PermissionDenied, StateError,
                                ValidationError)
from marketplace.mail import outbox
from marketplace.notifications.models import Notification
from marketplace.ordering import services
from marketplace.ordering.models import CartItem, Order, OrderEvent, OrderLine
from tests import factories
from tests.ordering.helpers import buyer, checkout, checkout_and_ship, supplier_with_staff


def stock_of(db, product):
    db.session.expire_all()
    return db.session.get(Product, product.id).stock


# ---- cart

def test_cart_adds_up_and_is_kept_for_the_user(db):
    user = buyer()
    product = factories.product(stock=50)
    services.add_to_cart(user, product.id, 2)
    services.add_to_cart(user, str(product.id), "3")
    db.session.commit()
    db.session.expire_all()
    items = services.cart_items(user)
    assert [(item.product_id, item.quantity) for item in items] == [(product.id, 5)]


@pytest.mark.parametrize("quantity", [0, -1, "x", 1.5, ""])
def test_cart_refuses_bad_quantities(db, quantity):
    user = buyer()
    product = factories.product()
    with pytest.raises(ValidationError):
        services.add_to_cart(user, product.id, quantity)
    assert CartItem.query.count() == 0


def test_cart_enforces_minimum_stock_and_active(db):
    user = buyer()
    product = factories.product(stock=10, min_order_qty=3)
    with pytest.raises(ValidationError, match="起订量"):
        services.add_to_cart(user, product.id, 2)
    with pytest.raises(InsufficientStock):
        services.add_to_cart(user, product.id, 11)
    product.status = "paused"
    with pytest.raises(ProductUnavailable):
        services.add_to_cart(user, product.id, 3)
    with pytest.raises(NotFound):
        services.add_to_cart(user, 999999, 3)


def test_cart_update_and_remove_only_own_items(db):
    user, other = buyer(), buyer()
    product = factories.product(stock=10)
    item = services.add_to_cart(user, product.id, 2)
    services.update_cart_item(user, item.id, 4)
    assert item.quantity == 4
    with pytest.raises(NotFound):
        services.update_cart_item(other, item.id, 1)
    with pytest.raises(NotFound):
        services.remove_from_cart(other, item.id)
    services.update_cart_item(user, item.id, 0)
    assert CartItem.query.count() == 0


def test_supplier_cannot_fill_a_cart(db):
    _, staff = supplier_with_staff()
    with pytest.raises(PermissionDenied):
        services.add_to_cart(staff, factories.product().id, 1)


def test_cart_groups_by_supplier_with_totals(db):
    user = buyer()
    first = factories.product(price_fen=1000, stock=5)
    second = factories.product(price_fen=250, stock=5)
    services.add_to_cart(user, first.id, 3)
    services.add_to_cart(user, second.id, 4)
    groups = services.cart_by_supplier(user)
    assert sorted(group["total_fen"] for group in groups) == [1000, 3000]


# ---- checkout

def test_checkout_makes_one_order_per_supplier_with_snapshots(db):
    user = buyer()
    a1 = factories.product(price_fen=12800, stock=10, name="松茸")
    a2 = factories.product(supplier=a1.supplier, price_fen=500, stock=10, name="青稞")
    b1 = factories.product(price_fen=3000, stock=10, origin_region_code=factories.BEIJING_DISTRICT)
    services.add_to_cart(user, a1.id, 1)
    orders = checkout(user, [(a1, 2), (a2, 3), (b1, 1)])
    assert len(orders) == 2
    by_supplier = {order.supplier_id: order for order in orders}
    first = by_supplier[a1.supplier_id]
    assert first.total_fen == 2 * 12800 + 3 * 500
    assert first.status == "placed"
    assert first.budget_unit_id == user.organization_id
    assert {line.product_name for line in first.lines} == {"松茸", "青稞"}
    assert all(line.origin_aided for line in first.lines)
    assert by_supplier[b1.supplier_id].lines[0].origin_aided is False
    assert stock_of(db, a1) == 8 and stock_of(db, a2) == 7 and stock_of(db, b1) == 9
    assert db.session.get(Product, a1.id).sales_count == 2
    assert CartItem.query.count() == 0
    assert all(len(order.number) == 12 and order.number[4] == "-" for order in orders)
    assert OrderEvent.query.filter_by(to_status="placed").count() == 2
    assert AuditEntry.query.filter_by(action="order.place").count() == 2
    assert Notification.query.filter_by(kind="order.placed").count() == 0  # no staff yet


def test_snapshot_keeps_price_when_product_changes(db):
    user = buyer()
    product = factories.product(price_fen=1000, stock=10)
    order = checkout(user, [(product, 1)])[0]
    product.price_fen = 9999
    product.name = "改名"
    db.session.flush()
    line = OrderLine.query.filter_by(order_id=order.id).one()
    assert (line.unit_price_fen, line.product_name) == (1000, "林芝松茸")


def test_not_enough_stock_creates_nothing_and_takes_nothing(db):
    user = buyer()
    plenty = factories.product(stock=10)
    scarce = factories.product(stock=2)
    with pytest.raises(InsufficientStock):
        checkout(user, [(plenty, 3), (scarce, 3)])
    db.session.commit()
    assert Order.query.count() == 0 and OrderLine.query.count() == 0
    assert stock_of(db, plenty) == 10 and stock_of(db, scarce) == 2


def test_paused_product_and_minimum_are_refused(db):
    user = buyer()
    paused = factories.product(stock=10, status="paused")
    with pytest.raises(ProductUnavailable):
        checkout(user, [(paused, 1)])
    minimum = factories.product(stock=10, min_order_qty=5)
    with pytest.raises(ValidationError, match="起订量"):
        checkout(user, [(minimum, 4)])
    assert Order.query.count() == 0


@pytest.mark.parametrize("change", [
    {"purpose": "party"}, {"payment_method": "cash"}, {"payment_terms": "never"},
    {"delivery_address": ""}, {"invoice_tax_id": "123"},
])
def test_checkout_validates_its_choices(db, change):
    user = buyer()
    product = factories.product(stock=10)
    with pytest.raises(ValidationError):
        checkout(user, [(product, 1)], **change)
    assert stock_of(db, product) == 10


def test_same_checkout_key_orders_once(db):
    user = buyer()
    product = factories.product(stock=10)
    first = checkout(user, [(product, 2)], checkout_key="abc")
    again = checkout(user, [(product, 2)], checkout_key="abc")
    assert [order.id for order in first] == [order.id for order in again]
    assert Order.query.count() == 1 and stock_of(db, product) == 8


def test_orders_of_one_checkout_key_are_unique_per_supplier_in_the_database(db):
    from sqlalchemy.exc import IntegrityError

    user = buyer()
    product = factories.product(stock=10)
    order = checkout(user, [(product, 2)], checkout_key="abc")[0]
    db.session.commit()
    copy = Order(number="9901-0000-01", status="placed", purpose="canteen",
                 buyer_organization_id=order.buyer_organization_id,
                 supplier_id=order.supplier_id, placed_by_id=user.id, checkout_key="abc",
                 total_fen=1, delivery_address="x", payment_method="bank_transfer",
                 payment_terms="pay_first")
    db.session.add(copy)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    # Checkouts without a key are never compared with one another.
    checkout(user, [(product, 1)])
    checkout(user, [(product, 1)])
    assert Order.query.filter_by(checkout_key=None).count() == 2


def test_a_keyed_checkout_is_undone_by_the_request_rollback(db):
    """The savepoint around the order inserts never commits on its own (SQLite included)."""
    user = buyer()
    product = factories.product(stock=10)
    db.session.commit()
    checkout(user, [(product, 3)], checkout_key="k1")
    db.session.rollback()
    assert Order.query.count() == 0 and stock_of(db, product) == 10


def test_union_orders_are_union_welfare_bound_to_its_unit(db):
    user = buyer(kind="union")
    product = factories.product(stock=10)
    order = checkout(user, [(product, 1)], purpose="canteen")[0]
    assert order.purpose == "union_welfare"
    assert order.buyer_organization_id == user.organization_id
    assert order.budget_unit_id == user.organization.budget_unit_id


def test_order_over_threshold_waits_for_approval_and_managers_are_told(db):
    user = buyer(threshold_fen=100000)
    manager = factories.user("unit_manager", organization=user.organization)
    big = factories.product(price_fen=60000, stock=10)
    small = factories.product(price_fen=100, stock=10)
    orders = checkout(user, [(big, 2), (small, 1)])
    # The threshold covers the whole checkout: the small order waits with the big one.
    assert [order.status for order in orders] == ["pending_approval"] * 2
    told = Notification.query.filter_by(user_id=manager.id, kind="order.approval_needed")
    assert told.count() == 1 and all(order.number in told.one().message for order in orders)
    assert outbox() == []                 # e-mail leaves only once the work is committed
    db.session.commit()
    assert any(manager.email in message["To"] for message in outbox())


def test_only_purchasers_place_orders(db):
    manager = factories.user("unit_manager")
    with pytest.raises(PermissionDenied):
        checkout(manager, [(factories.product(), 1)])


# ---- approvals

def test_manager_approves_and_supplier_is_told(db):
    user = buyer(threshold_fen=100)
    manager = factories.user("unit_manager", organization=user.organization)
    product = factories.product(price_fen=1000, stock=5)
    staff = factories.user("supplier_staff", organization=product.supplier)
    order = checkout(user, [(product, 1)])[0]
    services.approve_order(order, manager)
    assert order.status == "placed" and order.approved_at is not None
    assert Notification.query.filter_by(user_id=staff.id, kind="order.placed").count() == 1
    with pytest.raises(StateError):
        services.approve_order(order, manager)


def test_the_supplier_is_told_in_its_own_language_not_the_buyers(app, db):
    user = buyer()
    product = factories.product(price_fen=1000, stock=5)
    chinese = factories.user("supplier_staff", organization=product.supplier)
    english = factories.user("supplier_staff", organization=product.supplier, locale="en")
    with app.test_request_context("/checkout"):
        session["lang"] = "en"                    # the buyer works in English
        order = checkout(user, [(product, 1)])[0]
    told = {n.user_id: n.message for n in Notification.query.filter_by(kind="order.placed")}
    assert told[chinese.id].startswith(f"新订单 {order.number}")
    assert told[english.id].startswith(f"New order {order.number}")


def test_rejection_needs_a_reason_and_gives_stock_back(db):
    user = buyer(threshold_fen=100)
    manager = factories.user("unit_manager", organization=user.organization)
    product = factories.product(price_fen=1000, stock=5)
    order = checkout(user, [(product, 2)])[0]
    with pytest.raises(ValidationError):
        services.reject_order(order, manager, " ")
    services.reject_order(order, manager, "超出预算")
    assert order.status == "rejected" and stock_of(db, product) == 5
    assert Notification.query.filter_by(user_id=user.id, kind="order.rejected").count() == 1


def test_a_unit_without_a_manager_is_approved_by_the_nearest_unit_above_with_one(db):
    bureau = factories.org("budget_unit", name="拉萨市教育局")
    school = factories.org("budget_unit", name="拉萨市第一中学", parent=bureau)
    canteen = factories.org("budget_unit", name="第一中学食堂", parent=school)
    canteen.approval_threshold_fen = 100
    director = factories.user("unit_manager", organization=bureau)
    buyer_user = factories.user("purchaser", organization=canteen)
    order = checkout(buyer_user, [(factories.product(price_fen=1000), 1)])[0]
    assert order.status == "pending_approval"
    # Neither the canteen nor the school has a manager: the bureau's is asked, and only it.
    told = Notification.query.filter_by(kind="order.approval_needed").all()
    assert [note.user_id for note in told] == [director.id]
    assert services.pending_approvals(director) == [order]
    services.approve_order(order, director)
    assert order.status == "placed"


def test_a_unit_with_its_own_manager_approves_its_own_orders_only(db):
    bureau = factories.org("budget_unit")
    school = factories.org("budget_unit", parent=bureau)
    school.approval_threshold_fen = 100
    director = factories.user("unit_manager", organization=bureau)
    head = factories.user("unit_manager", organization=school)
    order = checkout(factories.user("purchaser", organization=school),
                     [(factories.product(price_fen=1000), 1)])[0]
    assert services.pending_approvals(head) == [order]
    assert services.pending_approvals(director) == []
    with pytest.raises(PermissionDenied):
        services.approve_order(order, director)
    # The school's manager leaves: the bureau approves from then on.
    head.active = False
    assert services.pending_approvals(director) == [order]
    services.approve_order(order, director)
    assert order.status == "placed"


def test_other_units_manager_cannot_approve(db):
    user = buyer(threshold_fen=100)
    stranger = factories.user("unit_manager")
    order = checkout(user, [(factories.product(price_fen=1000), 1)])[0]
    with pytest.raises(PermissionDenied):
        services.approve_order(order, stranger)
    assert order.status == "pending_approval"


# ---- life cycle

def test_full_life_cycle_with_partial_acceptance(db):
    user = buyer()
    product = factories.product(price_fen=1000, stock=10)
    order, staff = checkout_and_ship(user, product, quantity=5)
    assert order.carrier == "顺丰" and order.shipped_at is not None
    line = order.lines[0]
    services.accept_delivery(order, user, {line.id: 3}, note="两斤变质")
    assert order.status == "accepted" and line.accepted_quantity == 3
    assert order.accepted_at is not None and order.acceptance_note == "两斤变质"
    assert stock_of(db, product) == 5  # rejected goods do not come back
    steps = [(event.from_status, event.to_status) for event in order.events]
    assert steps == [(None, "placed"), ("placed", "confirmed"), ("confirmed", "shipped"),
                     ("shipped", "accepted")]
    assert all(event.at is not None for event in order.events)
    assert order.events[1].actor_id == staff.id
    assert Notification.query.filter_by(user_id=staff.id, kind="order.accepted").count() == 1


def test_the_supplier_is_told_each_line_accepted_short_in_its_own_language(db):
    user = buyer()
    supplier, _staff = supplier_with_staff()
    english = factories.user("supplier_staff", organization=supplier, locale="en")
    flour = factories.product(supplier=supplier, name="青稞面", stock=10)
    beef = factories.product(supplier=supplier, name="牦牛肉", stock=10)
    order = checkout(user, [(flour, 5), (beef, 2)])[0]
    services.confirm_order(order, english)
    services.ship_order(order, english, "顺丰", "SF123")
    lines = {line.product_name: line.id for line in order.lines}
    services.accept_delivery(order, user, {lines["青稞面"]: 3, lines["牦牛肉"]: 1})
    told = Notification.query.filter_by(user_id=english.id, kind="order.accepted").one()
    assert told.message.endswith(": 青稞面 3/5 · 牦牛肉 1/2") and "，" not in told.message
    assert "部分验收" not in told.message


def test_lines_left_out_are_accepted_in_full(db):
    user = buyer()
    product = factories.product(stock=10)
    order, _ = checkout_and_ship(user, product, quantity=4)
    services.accept_delivery(order, user)
    assert order.lines[0].accepted_quantity == 4


@pytest.mark.parametrize("quantity", [-1, 6, "x"])
def test_acceptance_quantity_must_be_within_shipped(db, quantity):
    user = buyer()
    order, _ = checkout_and_ship(user, factories.product(stock=10), quantity=5)
    with pytest.raises(ValidationError):
        services.accept_delivery(order, user, {order.lines[0].id: quantity})
    assert order.status == "shipped"


def test_acceptance_refuses_a_file_that_is_not_an_image(db):
    user = buyer()
    order, _ = checkout_and_ship(user, factories.product(stock=10))
    with pytest.raises(ValidationError, match="图片"):
        services.accept_delivery(order, user, photo=b"not an image at all")


def test_acceptance_keeps_a_photo(db):
    import io

    from PIL import Image

    user = buyer()
    order, _ = checkout_and_ship(user, factories.product(stock=10))
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    services.accept_delivery(order, user, photo=buffer.getvalue())
    assert (services.photo_folder() / order.acceptance_photo).exists()


def placed(quantity):
    """A purchaser's order of `quantity` of a product in stock (10), and its supplier's staff:
    (buyer, product, staff, order)."""
    user = buyer()
    product = factories.product(stock=10)
    staff = factories.user("supplier_staff", organization=product.supplier)
    return user, product, staff, checkout(user, [(product, quantity)])[0]


def test_transitions_out_of_order_are_refused(db):
    user, product, staff, order = placed(1)
    with pytest.raises(StateError):
        services.ship_order(order, staff, "顺丰", "1")
    with pytest.raises(StateError):
        services.accept_delivery(order, user)
    services.cancel_order(order, user)
    with pytest.raises(StateError):
        services.confirm_order(order, staff)
    assert order.status == "cancelled"


def test_shipping_needs_carrier_and_tracking(db):
    user, product, staff, order = placed(1)
    services.confirm_order(order, staff)
    with pytest.raises(ValidationError):
        services.ship_order(order, staff, "", "1")
    assert order.status == "confirmed"


def test_buyer_cancel_gives_stock_back_and_shipped_cannot_be_cancelled(db):
    user = buyer()
    product = factories.product(stock=10)
    order = checkout(user, [(product, 4)])[0]
    services.cancel_order(order, user)
    assert stock_of(db, product) == 10 and order.cancelled_at is not None
    shipped, _ = checkout_and_ship(user, product, quantity=1)
    with pytest.raises(StateError):
        services.cancel_order(shipped, user)


def test_supplier_cancel_needs_a_reason(db):
    user, product, staff, order = placed(4)
    with pytest.raises(ValidationError):
        services.cancel_order(order, staff)
    services.cancel_order(order, staff, "缺货")
    assert order.cancel_reason == "缺货" and stock_of(db, product) == 10


def test_other_supplier_and_other_buyer_are_refused(db):
    user = buyer()
    order = checkout(user, [(factories.product(stock=10), 1)])[0]
    _, other_staff = supplier_with_staff()
    with pytest.raises(PermissionDenied):
        services.confirm_order(order, other_staff)
    with pytest.raises(PermissionDenied):
        services.cancel_order(order, buyer())
    with pytest.raises(PermissionDenied):
        services.get_order(order.id, buyer())


def test_an_accepted_order_completes_once_the_payments_say_it_is_settled(db):
    from marketplace.payments import services as payments

    user = buyer()
    order, staff = checkout_and_ship(user, factories.product(stock=10, price_fen=1000), quantity=2)
    services.accept_delivery(order, user)
    assert order.status == "accepted"          # 20.00 still due (goods-first)
    transfer = payments.record_transfer(order, user, 2000, payments.today_cst(), "6222 01",
                                        order.payment_reference)
    payments.confirm_transfer(transfer, staff)
    assert order.status == "completed" and order.completed_at is not None
    assert services.complete_order(order) is False    # only an accepted order completes


def test_visibility_by_role(db):
    user = buyer()
    parent = user.organization
    child_org = factories.org("budget_unit", parent=parent)
    child_buyer = factories.user("purchaser", organization=child_org)
    order = checkout(child_buyer, [(factories.product(stock=10), 1)])[0]
    manager = factories.user("unit_manager", organization=parent)
    auditor = factories.user("auditor")  # Tibet-wide office
    far_auditor = factories.user("auditor", organization=factories.org(
        "audit_office", region_code="110000"))
    assert services.can_view(order, manager)
    assert services.can_view(order, auditor)
    assert not services.can_view(order, far_auditor)
    assert not services.can_view(order, user)  # a purchaser of the parent unit
    assert services.visible_orders(manager).count() == 1
    assert services.visible_orders(far_auditor).count() == 0


def test_supplier_does_not_see_orders_waiting_for_approval(db):
    user = buyer(threshold_fen=100)
    product = factories.product(price_fen=1000, stock=5)
    staff = factories.user("supplier_staff", organization=product.supplier)
    order = checkout(user, [(product, 1)])[0]
    assert not services.can_view(order, staff)
    assert services.visible_orders(staff).count() == 0
    services.approve_order(order, factories.user("unit_manager", organization=user.organization))
    assert services.can_view(order, staff) and services.visible_orders(staff).count() == 1


def test_shipping_and_acceptance_are_told_by_mail_and_in_app(db):
    user = buyer()
    order, staff = checkout_and_ship(user, factories.product(stock=10), quantity=2)
    db.session.commit()
    shipped_mail = [m for m in outbox() if user.email in m["To"]]
    assert any(order.number in m["Subject"] and "已发货" in m["Subject"] for m in shipped_mail)
    assert Notification.query.filter_by(user_id=user.id, kind="order.shipped").count() == 1
    services.accept_delivery(order, user, {order.lines[0].id: 1})
    db.session.commit()
    to_supplier = [m for m in outbox() if staff.email in m["To"]]
    assert any("部分验收" in m["Subject"] for m in to_supplier)


# ---- delivery addresses typed at checkout

def test_an_address_typed_again_at_checkout_is_the_saved_one(db):
    user = buyer()
    colleague = factories.user("purchaser", organization=user.organization)
    first = services.add_delivery_address(user, "食堂", "张三", "0891-1234567", " 拉萨市城关区 ")
    again = services.add_delivery_address(colleague, "食堂", "张三", "0891-1234567", "拉萨市城关区")
    other = services.add_delivery_address(user, "食堂", "李四", "0891-1234567", "拉萨市城关区")
    elsewhere = services.add_delivery_address(buyer(), "食堂", "张三", "0891-1234567", "拉萨市城关区")
    assert again.id == first.id and first.address == "拉萨市城关区"
    assert len({first.id, other.id, elsewhere.id}) == 3
    assert [a.id for a in services.delivery_addresses(user.organization)] == [first.id, other.id]


@pytest.mark.parametrize("parts, wrong", [
    (("", "张三", "0891", "拉萨"), "label"),
    (("食堂", "张三", "0891", "拉" * 301), "address"),
])
def test_an_incomplete_address_is_refused_with_the_part_named(db, parts, wrong):
    with pytest.raises(ValidationError) as refused:
        services.add_delivery_address(buyer(), *parts)
    assert refused.value.fields == {wrong: "required" if wrong == "label" else "too_long"}
