"""Visitors' catalog pages are served again for a few seconds; signed-in users always get
fresh ones, built on which products a list shows (reused a few seconds) read afresh; a
catalog change made through the app shows at once."""
import pytest

from marketplace.catalog.models import Product
from marketplace.catalog.caching import clear_catalog_caches
from marketplace.extensions import db as _db
from marketplace.regions.models import Region
from tests import factories
from tests.catalog.helpers import certified_staff, listed
from tests.helpers import login


@pytest.fixture
def cached(app, db, monkeypatch):
    """The production setting (TestConfig turns the cache off), starting empty."""
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.config, "CATALOG_LIST_CACHE_SECONDS", 60)
    clear_catalog_caches()
    staff = certified_staff(name="绿源合作社")
    product = listed(staff, name="野生松茸")
    db.session.commit()
    yield staff, product
    clear_catalog_caches()


def change_behind_the_apps_back(product, **values):
    """An UPDATE the app's services never made (as a database console would)."""
    _db.session.execute(_db.update(Product).where(Product.id == product.id).values(**values))
    _db.session.commit()


def rename_behind_the_apps_back(product, name):
    change_behind_the_apps_back(product, name=name)


def page(client, url):
    """The page's text, with a search's highlighting (<mark>) taken out of the names."""
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize("url", ["/products", "/products?q=松茸", "/", "/origins/540400",
                                 "PRODUCT", "STORE"])
def test_a_visitor_gets_the_kept_page_until_it_expires(client, cached, url):
    staff, product = cached
    url = {"PRODUCT": f"/products/{product.id}",
           "STORE": f"/stores/{staff.organization_id}"}.get(url, url)
    assert "野生松茸" in page(client, url)
    rename_behind_the_apps_back(product, "人工松茸")
    assert "野生松茸" in page(client, url)
    assert client.get(url).headers["X-Page-Cache"] == "hit"
    clear_catalog_caches()                 # what expiry does
    assert "人工松茸" in page(client, url)


def test_a_signed_in_buyer_always_sees_the_live_page(app, client, cached):
    _staff, product = cached
    visitor = app.test_client()
    assert "野生松茸" in page(visitor, "/products")
    rename_behind_the_apps_back(product, "人工松茸")
    login(client, factories.user("purchaser"))
    assert "人工松茸" in page(client, "/products")
    assert "X-Page-Cache" not in client.get("/products").headers
    assert "野生松茸" in page(visitor, "/products")


def test_a_suppliers_change_through_the_app_shows_to_visitors_at_once(app, client, cached,
                                                                     post_form):
    staff, product = cached
    visitor = app.test_client()
    assert "野生松茸" in page(visitor, "/products")
    assert "野生松茸" in page(visitor, f"/products/{product.id}")
    login(client, staff)
    assert post_form(f"/supplier/products/{product.id}/pause").status_code == 302
    assert "野生松茸" not in page(visitor, "/products")
    assert visitor.get(f"/products/{product.id}").status_code == 404


def test_each_language_has_its_own_page(app, client, cached):
    assert "商品" in page(client, "/products")
    client.get("/language/en")
    english = page(client, "/products")
    assert "Filter and sort" in english and "筛选与排序" not in english
    assert "筛选与排序" in page(app.test_client(), "/products")


def test_a_visitor_with_a_message_waiting_sees_it_and_it_is_not_kept(app, client, cached):
    page(client, "/products")            # the visitor's page is kept
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "您已退出登录。")]
    assert "您已退出登录。" in page(client, "/products")
    assert "您已退出登录。" not in page(app.test_client(), "/products")


def test_missing_pages_and_other_queries_are_not_confused(client, cached):
    _staff, product = cached
    assert client.get("/products/999999").status_code == 404
    assert client.get("/products/999999").status_code == 404
    assert "野生松茸" in page(client, "/products?q=松茸")
    assert "野生松茸" not in page(client, "/products?q=青稞")
    assert "野生松茸" in page(client, f"/products/{product.id}")


def test_a_buyers_list_reuses_its_ranking_but_shows_todays_price_and_hides_what_left(
        client, cached):
    staff, product = cached
    other = listed(staff, name="干松茸")
    _db.session.commit()
    login(client, factories.user("purchaser"))
    first = page(client, "/products?q=松茸")
    assert "野生松茸" in first and "干松茸" in first and "共 2 件商品" in first
    change_behind_the_apps_back(product, price_fen=9900)
    change_behind_the_apps_back(other, status="paused")
    later = page(client, "/products?q=松茸")
    assert "¥99.00" in later                     # the product is read afresh
    assert "干松茸" not in later                  # no longer on sale: left out at once
    assert "共 2 件商品" in later                 # the kept count, until it expires
    clear_catalog_caches()
    assert "共 1 件商品" in page(client, "/products?q=松茸")


def test_a_new_listing_shows_in_a_buyers_search_at_once(client, cached, post_form):
    staff, _product = cached
    login(client, factories.user("purchaser"))
    assert "共 1 件商品" in page(client, "/products?q=松茸")
    listed(staff, name="冻干松茸")
    _db.session.commit()                          # what the supplier's request does
    later = page(client, "/products?q=松茸")
    assert "冻干松茸" in later and "共 2 件商品" in later


def test_each_list_marks_its_own_filter_choices_in_the_kept_options(app, client, cached):
    _staff, product = cached
    other = factories.category("菌类", parent=product.category.parent)
    _db.session.commit()
    clear_catalog_caches()
    first = page(client, f"/products?category={product.category_id}")
    second = page(client, f"/products?category={other.id}&region=540400")
    assert f'<option value="{product.category_id}" selected>' in first
    assert f'<option value="{other.id}">' in first
    assert f'<option value="{other.id}" selected>' in second
    assert f'<option value="{product.category_id}">' in second
    assert '<option value="540400" selected>' in second and "selected>" not in \
        first.split('name="region"')[1].split("</select>")[0]
    region = _db.session.get(Region, "540000")  # 西藏自治区, Xizang
    client.get("/language/en")            # the options are kept per language
    english = page(client, f"/products?category={other.id}")
    assert f'<option value="{other.id}" selected>' in english
    assert local_option(english, region.code) != local_option(second, region.code)


def local_option(html, value):
    """The text of the option `value` of a filter bar."""
    return html.split(f'<option value="{value}"')[1].split("</option>")[0]
