"""Signed-in buyers' catalog pages reuse the part every buyer sees alike (kept; forgotten by any
catalog change made through the app), while what is each user's own — the header, the cart
form with their CSRF token, the review form — is rendered for them on every request."""
import re

import pytest

from marketplace.catalog import services
from marketplace.catalog.caching import clear_catalog_caches
from marketplace.ordering import services as ordering
from marketplace.ordering.models import CartItem
from tests import factories
from tests.catalog.helpers import certified_staff, listed, page_text
from tests.catalog.test_caching import rename_behind_the_apps_back
from tests.conftest import Client
from tests.helpers import login, statements_during


@pytest.fixture
def kept_parts(app, db, monkeypatch):
    """The production setting for the shared parts (TestConfig turns it off), starting empty."""
    monkeypatch.setitem(app.config, "CATALOG_PART_CACHE_SECONDS", 60)
    monkeypatch.setattr(app, "test_client_class", Client)  # no per-request state shared
    clear_catalog_caches()
    staff = certified_staff(name="绿源合作社")
    product = listed(staff, name="野生松茸", stock="30")
    db.session.commit()
    yield staff, product
    clear_catalog_caches()


def browser_of(app, user):
    client = app.test_client()
    return login(client, user)


@pytest.mark.parametrize("url", ["/products", "/products?q=松茸", "PRODUCT"])
def test_buyers_share_the_part_and_see_app_changes_at_once(app, db, kept_parts, url):
    staff, product = kept_parts
    url = f"/products/{product.id}" if url == "PRODUCT" else url
    first = browser_of(app, factories.user("purchaser", name="王采购"))
    second = browser_of(app, factories.user("purchaser", name="李采购"))
    assert "野生松茸" in page_text(first, url)
    rename_behind_the_apps_back(product, "人工松茸")   # unseen by the app: the part is reused
    page = page_text(second, url)
    assert "野生松茸" in page and "李采购" in page and "王采购" not in page
    services.update_product(staff, product, {"name": "林芝松茸"})   # through the app
    db.session.commit()
    assert "林芝松茸" in page_text(second, url) and "林芝松茸" in page_text(first, url)


@pytest.mark.parametrize("url", ["/products", "/products?q=松茸", "PRODUCT"])
def test_a_part_made_for_a_visitor_serves_the_buyers_after_them(app, db, kept_parts, url,
                                                                monkeypatch):
    """Visitors and buyers see the same goods: the part a visitor's page made is the buyer's,
    with the buyer's own cart form and ☆ put in, and the visitor keeps a session untouched."""
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE_SECONDS", 60)
    _staff, product = kept_parts
    url = f"/products/{product.id}" if url == "PRODUCT" else url
    visitor = app.test_client()
    assert visitor.get(url).headers["X-Page-Cache"] == "miss"
    assert visitor.get(url).headers["X-Page-Cache"] == "hit"
    assert not visitor.get_cookie("session")
    rename_behind_the_apps_back(product, "人工松茸")   # unseen by the app: the part is reused
    buyer = browser_of(app, factories.user("purchaser"))
    page = page_text(buyer, url)
    assert "野生松茸" in page and 'data-testid="favourite-button"' in page
    assert "login-to-buy" not in page and "<!--" not in page.split("<main")[1]
    if url.startswith("/products/"):
        assert 'data-testid="cart-form"' in page


def test_what_the_admin_sees_is_kept_apart_from_everyone(app, db, kept_parts, post_form,
                                                         client):
    _staff, product = kept_parts
    admin = factories.user("admin")
    db.session.commit()
    login(client, admin)
    assert post_form(f"/admin/catalog/products/{product.id}/take-down",
                     {"reason": "假冒产地"}).status_code == 302
    assert browser_of(app, admin).get(f"/products/{product.id}").status_code == 200
    assert app.test_client().get(f"/products/{product.id}").status_code == 404
    assert browser_of(app, factories.user("purchaser")).get(
        f"/products/{product.id}").status_code == 404


def test_each_buyer_gets_a_cart_form_of_their_own_that_works(app, db, kept_parts):
    _staff, product = kept_parts
    first_user = factories.user("purchaser")
    second_user = factories.user("purchaser")
    db.session.commit()
    first, second = browser_of(app, first_user), browser_of(app, second_user)
    tokens = []
    for browser in (first, second):
        page = page_text(browser, f"/products/{product.id}")
        assert 'data-testid="cart-form"' in page and 'max="30"' in page
        tokens.append(re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                page.split('data-testid="cart-form"')[1]).group(1))
    assert tokens[0] != tokens[1]        # each session's own token, not the kept one
    added = second.post("/cart/add", data={"csrf_token": tokens[1], "product_id": product.id,
                                           "quantity": "2"})
    assert added.status_code == 302
    assert CartItem.query.filter_by(user_id=second_user.id).one().quantity == 2


def test_visitors_suppliers_and_reviewers_each_see_their_own_forms(app, db, kept_parts):
    staff, product = kept_parts
    reviewer = factories.user("purchaser")
    factories.order(reviewer, [(product, 1)], status="accepted")
    other_buyer = factories.user("purchaser")
    db.session.commit()
    url = f"/products/{product.id}"
    visitor_page = page_text(app.test_client(), url)
    assert 'data-testid="login-to-buy"' in visitor_page
    assert 'class="review-form"' in page_text(browser_of(app, reviewer), url)
    page = page_text(browser_of(app, other_buyer), url)
    assert 'class="review-form"' not in page and 'data-testid="login-to-buy"' not in page
    assert 'data-testid="cart-form"' not in page_text(browser_of(app, staff), url)


def test_a_suppliers_paused_product_is_shown_to_its_staff_only(app, db, kept_parts,
                                                                post_form, client):
    staff, product = kept_parts
    login(client, staff)
    assert post_form(f"/supplier/products/{product.id}/pause").status_code == 302
    own = browser_of(app, staff)
    assert own.get(f"/products/{product.id}").status_code == 200      # kept for its supplier
    rival = browser_of(app, certified_staff(name="别家合作社"))
    assert rival.get(f"/products/{product.id}").status_code == 404
    buyer = browser_of(app, factories.user("purchaser"))
    assert buyer.get(f"/products/{product.id}").status_code == 404
    assert "野生松茸" not in page_text(buyer, "/products")


def test_each_reviewer_posts_the_kept_review_form_with_their_own_token(app, db, kept_parts):
    _staff, product = kept_parts
    reviewers = [factories.user("purchaser") for _ in range(2)]
    for reviewer in reviewers:
        factories.order(reviewer, [(product, 1)], status="accepted")
    db.session.commit()
    url = f"/products/{product.id}"
    browsers = [browser_of(app, reviewer) for reviewer in reviewers]
    forms = [page_text(browser, url).split('class="review-form"')[1].split("</form>")[0]
             for browser in browsers]
    tokens = [re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
              for form in forms]
    assert tokens[0] != tokens[1] and "<!--" not in forms[1]
    posted = browsers[1].post(f"{url}/reviews", data={"csrf_token": tokens[1], "stars": "5",
                                                      "text": "很新鲜"})
    assert posted.status_code == 302
    assert 'class="review-form"' not in page_text(browsers[1], url)
    assert "很新鲜" in page_text(browsers[0], url)


def test_a_delivery_accepted_through_the_app_opens_the_review_form_at_once(app, db,
                                                                          kept_parts):
    """What a unit received is kept for its buyers' product pages (a hit asks the database
    nothing about it), and an acceptance forgets it at once."""
    _staff, product = kept_parts
    buyer = factories.user("purchaser")
    order = factories.order(buyer, [(product, 1)], status="shipped")
    db.session.commit()
    browser = browser_of(app, buyer)
    url = f"/products/{product.id}"
    assert 'class="review-form"' not in page_text(browser, url)
    asked = statements_during(lambda: page_text(browser, url))
    assert not any("order_lines" in statement for statement in asked)
    ordering.accept_delivery(order, buyer, {})
    db.session.commit()
    assert 'class="review-form"' in page_text(browser, url)
