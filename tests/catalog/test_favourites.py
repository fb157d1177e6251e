"""Favourites (收藏): a purchaser marks a product with the ☆/★ button of its page — drawn for
them on every request although the rest of the page is kept and shared — and finds it on
我的收藏, still on sale first; the API says the same from the same services."""
import re

import pytest

from marketplace.catalog import services
from marketplace.catalog.caching import clear_catalog_caches
from marketplace.catalog.models import Favourite
from marketplace.errors import NotFound, PermissionDenied
from tests import factories
from tests.catalog.helpers import certified_staff, listed, page_text
from tests.conftest import Client
from tests.helpers import bearer, login, statements_during


@pytest.fixture
def kept(app, db, monkeypatch):
    """The product page's part kept as in production, with two products of one supplier."""
    monkeypatch.setitem(app.config, "CATALOG_PART_CACHE_SECONDS", 60)
    monkeypatch.setattr(app, "test_client_class", Client)
    clear_catalog_caches()
    staff = certified_staff(name="绿源合作社")
    songrong = listed(staff, name="野生松茸", stock="30")
    qingke = listed(staff, name="青稞面", stock="40", price="25.50")
    db.session.commit()
    yield staff, songrong, qingke
    clear_catalog_caches()


def _button(page):
    form = page.split('data-testid="favourite-form"')[1].split("</form>")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    action = re.search(r'action="([^"]+)"', page.split('data-testid="favourite-form"')[0]
                       .rsplit("<form", 1)[1]).group(1)
    return action, token, form


def test_each_buyer_sees_their_own_star_on_the_kept_product_page(app, db, kept):
    _staff, songrong, _qingke = kept
    first_user, second_user = factories.user("purchaser"), factories.user("purchaser")
    db.session.commit()
    first, second = login(app.test_client(), first_user), login(app.test_client(), second_user)
    url = f"/products/{songrong.id}"
    action, token, form = _button(page_text(first, url))
    assert "☆" in form and "收藏" in form and action.endswith("/favourite")
    marked = first.post(action, data={"csrf_token": token},
                        headers={"Referer": "http://localhost" + url})
    assert marked.status_code == 302
    action, _token, form = _button(page_text(first, url))
    assert "★" in form and "已收藏，取消收藏" in form and action.endswith("/unfavourite")
    # The other buyer's page comes from the same kept part: their own state, one small query.
    asked = statements_during(lambda: page_text(second, url))
    assert "☆" in _button(page_text(second, url))[2]
    assert sum("favourites" in statement for statement in asked) == 1


def test_the_list_shows_products_on_sale_first_and_says_why_the_others_are_not(
        client, db, login_as, post_form):
    staff = certified_staff()
    songrong = listed(staff, name="野生松茸")
    qingke = listed(staff, name="青稞面")
    purchaser = login_as("purchaser")
    services.add_favourite(purchaser, qingke.id)
    services.add_favourite(purchaser, songrong.id)
    services.add_favourite(purchaser, songrong.id)     # twice: still one
    services.pause_product(staff, songrong)
    db.session.commit()
    assert Favourite.query.filter_by(user_id=purchaser.id).count() == 2
    page = page_text(client, "/favourites")
    assert page.index("青稞面") < page.index("野生松茸")
    assert re.search(r'data-testid="favourite-off-sale">[^<]*暂停', page)
    removed = post_form(f"/products/{songrong.id}/unfavourite", follow_redirects=True,
                        headers={"Referer": "http://localhost/favourites"})
    assert "已从我的收藏中移除。" in removed.get_data(as_text=True)
    assert "野生松茸" not in page_text(client, "/favourites")


def test_an_empty_list_says_what_will_appear_in_either_language(client, db, login_as):
    login_as("purchaser")
    assert "在商品页点击“☆ 收藏”" in page_text(client, "/favourites")
    client.get("/language/en")
    page = page_text(client, "/favourites")
    assert "My favourites" in page and "Press “☆ Add to favourites”" in page


def test_only_purchasers_keep_favourites_of_products_they_may_see(db):
    staff = certified_staff()
    product = listed(staff, name="野生松茸")
    services.pause_product(staff, product)
    with pytest.raises(NotFound):
        services.add_favourite(factories.user("purchaser"), product.id)
    with pytest.raises(PermissionDenied):
        services.add_favourite(staff, product.id)


def test_the_api_marks_lists_and_unmarks(client, db):
    staff = certified_staff()
    songrong = listed(staff, name="野生松茸", price="128.00")
    purchaser = factories.user("purchaser")
    db.session.commit()
    marked = client.put(f"/api/v1/favourites/{songrong.id}", headers=bearer(purchaser))
    assert marked.status_code == 200 and marked.get_json()["price"] == "128.00"
    services.pause_product(staff, songrong)
    db.session.commit()
    listed_now = client.get("/api/v1/favourites", headers=bearer(purchaser)).get_json()
    assert listed_now["total"] == 1
    assert listed_now["items"][0] | {"marked_at": None} == {
        "product_id": songrong.id, "name": "野生松茸", "unit": "斤", "spec": "500g/袋",
        "price": "128.00", "stock": 50, "supplier_name": staff.organization.name,
        "on_sale": False, "unavailable_reason": "paused", "marked_at": None}
    assert client.put(f"/api/v1/favourites/{songrong.id}",
                      headers=bearer(purchaser)).status_code == 404
    assert client.delete(f"/api/v1/favourites/{songrong.id}",
                         headers=bearer(purchaser)).status_code == 204
    assert client.get("/api/v1/favourites", headers=bearer(purchaser)).get_json() == {
        "items": [], "total": 0}
    assert client.get("/api/v1/favourites", headers=bearer(staff)).status_code == 403


def test_the_kept_list_shows_each_buyer_their_own_stars_on_the_cards(app, db, kept):
    _staff, songrong, qingke = kept
    first_user, second_user = factories.user("purchaser"), factories.user("purchaser")
    services.add_favourite(first_user, qingke.id)
    db.session.commit()
    first, second = login(app.test_client(), first_user), login(app.test_client(), second_user)

    def stars(browser):
        page = page_text(browser, "/products")
        return {name: "已收藏，取消收藏" in card.split("</article>")[0]
                for card in page.split('data-testid="product-card"')[1:]
                for name in ("野生松茸", "青稞面") if name in card.split("</article>")[0]}

    assert stars(first) == {"野生松茸": False, "青稞面": True}
    asked = statements_during(lambda: stars(second))
    assert stars(second) == {"野生松茸": False, "青稞面": False}
    assert sum("favourites" in statement for statement in asked) == 1
    page = page_text(second, "/products")
    action = re.search(rf'action="(/products/{songrong.id}/favourite)"', page).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    second.post(action, data={"csrf_token": token},
                headers={"Referer": "http://localhost/products"})
    assert stars(second) == {"野生松茸": True, "青稞面": False}
    assert 'data-testid="favourite-form"' not in page_text(app.test_client(), "/products")
