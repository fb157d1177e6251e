"""Quantities refused at acceptance go back in stock when the supplier says so, once."""
import pytest

from marketplace.catalog.caching import clear_catalog_caches
from marketplace.errors import PermissionDenied, StateError
from marketplace.notifications.models import Notification
from marketplace.ordering import services
from tests import factories
from tests.ordering.helpers import accepted_short, buyer, checkout_and_ship, stock_of


def test_supplier_puts_refused_quantity_back_once_and_the_timeline_says_who(db):
    order, staff, user, product = accepted_short()
    assert stock_of(db, product) == 5
    assert services.can_restock(order, staff) and not services.can_restock(order, user)
    services.restock_refused(order, staff)
    assert stock_of(db, product) == 7
    event = services.restocked_event(order)
    assert event.actor_id == staff.id and "青稞面 ×2" in event.note
    assert not services.can_restock(order, staff)
    with pytest.raises(StateError):
        services.restock_refused(order, staff)
    assert stock_of(db, product) == 7
    told = Notification.query.filter_by(user_id=user.id, kind="order.restocked").one()
    assert order.number in told.message and told.link == f"/orders/{order.id}"


def test_only_the_supplier_and_only_when_something_was_refused(db):
    order, staff, user, product = accepted_short()
    with pytest.raises(PermissionDenied):
        services.restock_refused(order, user)
    with pytest.raises(PermissionDenied):
        services.restock_refused(order, factories.user("supplier_staff"))
    full, full_staff, _user, full_product = accepted_short(accepted=5)
    with pytest.raises(StateError):
        services.restock_refused(full, full_staff)
    shipped, shipped_staff = checkout_and_ship(buyer(), factories.product(stock=4), quantity=2)
    with pytest.raises(StateError):
        services.restock_refused(shipped, shipped_staff)
    assert stock_of(db, product) == 5 and stock_of(db, full_product) == 5


def test_a_visitor_sees_the_stock_back_at_once_although_pages_are_kept(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.config, "CATALOG_LIST_CACHE_SECONDS", 60)
    clear_catalog_caches()
    order, staff, _user, product = accepted_short()
    db.session.commit()
    visitor = app.test_client()
    url = f"/products/{product.id}"
    assert "5 " + product.unit in visitor.get(url).get_data(as_text=True)
    assert visitor.get(url).headers.get("X-Page-Cache") == "hit"
    services.restock_refused(order, staff)
    db.session.commit()
    assert "7 " + product.unit in visitor.get(url).get_data(as_text=True)
    clear_catalog_caches()


def test_restock_button_on_the_order_page(client, db, login_as, post_form):
    order, staff, user, product = accepted_short()
    db.session.commit()
    login_as(user)
    assert 'data-testid="restock"' not in client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert post_form(f"/orders/{order.id}/restock").status_code == 403
    login_as(staff)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-testid="restock"' in page and "青稞面 ×2" in page
    response = post_form(f"/orders/{order.id}/restock", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "已退回库存" in page
    assert 'data-testid="restock"' not in page and staff.name in page
    assert stock_of(db, product) == 7
    again = post_form(f"/orders/{order.id}/restock", follow_redirects=True)
    assert "已退回库存" in again.get_data(as_text=True) and stock_of(db, product) == 7

