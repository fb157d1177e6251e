"""With REDIS_URL set, the catalog's kept pages and lists are shared by every process and
server, and a catalog change made on one — an edit, a pause, a suspension, stock taken by an
order — is seen by all the others on their next request; without Redis, so are the changes
made through another worker of the same server. Redis being away costs speed only."""
import pytest

from marketplace.accounts.models import User
from marketplace.accounts.services import set_organization_status
from marketplace.catalog import caching
from marketplace.ordering import services as ordering
from tests import factories
from tests.catalog.helpers import certified_staff, listed, page_text
from tests.helpers import bearer, login
from tests.pg import free_port
from tests.shared_apps import KEPT, forget_local_stores, two_apps


@pytest.fixture
def product(db):
    staff = certified_staff(name="绿源合作社")
    product = listed(staff, name="野生松茸", stock="30")
    db.session.commit()
    return product


def test_a_page_kept_by_one_server_is_served_by_the_other(redis_servers, product):
    first, second = redis_servers
    assert first.test_client().get("/products").headers["X-Page-Cache"] == "miss"
    assert second.test_client().get("/products").headers["X-Page-Cache"] == "hit"
    assert "野生松茸" in page_text(second.test_client(), f"/products/{product.id}")


def test_an_edit_on_one_server_shows_on_the_other_at_once(servers, product, post_form, client):
    first, second = servers
    visitor = second.test_client()
    assert "野生松茸" in page_text(visitor, "/products")
    assert "野生松茸" in page_text(visitor, f"/products/{product.id}")
    login(client, _staff_of(product))
    assert post_form(f"/supplier/products/{product.id}/pause").status_code == 302
    assert "野生松茸" not in page_text(visitor, "/products")
    assert visitor.get(f"/products/{product.id}").status_code == 404


def _staff_of(product):
    return User.query.filter_by(organization_id=product.supplier_id).first()


def test_a_suspension_in_the_console_reaches_the_other_server(servers, product, db):
    _first, second = servers
    visitor = second.test_client()
    assert "野生松茸" in page_text(visitor, "/products?q=松茸")
    set_organization_status(factories.user("admin"), product.supplier, "suspend", "抽检不合格")
    db.session.commit()
    assert "野生松茸" not in page_text(visitor, "/products?q=松茸")
    assert visitor.get(f"/products/{product.id}").status_code == 404


def test_stock_taken_by_an_order_shows_to_visitors_of_the_other_server(servers, product, db):
    first, second = servers
    visitor = second.test_client()
    assert "30 " in page_text(visitor, f"/products/{product.id}")
    buyer = factories.user("purchaser")
    db.session.commit()
    created = first.test_client().post("/api/v1/orders", headers=bearer(buyer), json={
        "purpose": "canteen", "delivery_address": "拉萨市城关区 机关食堂",
        "payment_method": "bank_transfer", "payment_terms": "goods_first",
        "lines": [{"product_id": product.id, "quantity": 4}]})
    assert created.status_code == 201, created.get_data(as_text=True)
    page = page_text(visitor, f"/products/{product.id}")
    assert "26 " in page and "30 " not in page


def test_a_delivery_accepted_on_one_server_opens_the_review_form_on_the_other(servers,
                                                                            product, db):
    first, second = servers
    buyer = factories.user("purchaser")
    order = factories.order(buyer, [(product, 1)], status="shipped")
    db.session.commit()
    on_second = login(second.test_client(), buyer)
    url = f"/products/{product.id}"
    assert 'class="review-form"' not in page_text(on_second, url)
    with first.test_request_context():
        ordering.accept_delivery(db.session.merge(order), db.session.merge(buyer), {})
        db.session.commit()
    assert 'class="review-form"' in page_text(on_second, url)


def test_pages_are_still_served_when_redis_is_away(app, db, product, monkeypatch, post_form,
                                                    client):
    for key, value in {**KEPT, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}.items():
        monkeypatch.setitem(app.config, key, value)
    forget_local_stores(app)
    try:
        visitor = app.test_client()
        assert "野生松茸" in page_text(visitor, "/products")
        assert "X-Page-Cache" not in visitor.get("/products").headers  # nothing kept
        login(client, _staff_of(product))
        assert post_form(f"/supplier/products/{product.id}/pause").status_code == 302
        assert "野生松茸" not in page_text(visitor, "/products")
    finally:
        forget_local_stores(app)


def test_workers_of_one_server_agree_on_the_version_through_its_file(app, db, monkeypatch,
                                                                    tmp_path):
    """The version file's time moves forward on every change, even twice in one instant."""
    monkeypatch.setitem(app.config, "CATALOG_VERSION_FILE", str(tmp_path / "v" / "version"))
    first, second = two_apps(app, monkeypatch, {"REDIS_URL": None})
    seen = []
    for _ in range(3):
        with first.app_context():
            caching.clear_catalog_caches()
        with second.test_request_context():
            seen.append(caching.catalog_version())
    assert seen == sorted(set(seen)) and seen[0] > 0
    forget_local_stores(first)
