"""The list page's category and origin choices are cached per process, yet an admin's edit
shows at once."""
import pytest

from marketplace.catalog.caching import clear_catalog_caches
from marketplace.catalog.models import Category
from marketplace.extensions import db as _db
from tests.catalog.helpers import NYINGCHI, certified_staff, leaf, listed


@pytest.fixture
def cached(app, db, monkeypatch):
    """The production setting (TestConfig turns the cache off), starting empty."""
    monkeypatch.setitem(app.config, "CATALOG_CHOICES_CACHE_SECONDS", 60)
    clear_catalog_caches()
    staff = certified_staff(name="绿源合作社")
    listed(staff, name="野生松茸", category=leaf("菌菇").id)
    db.session.commit()
    yield
    clear_catalog_caches()


def list_page(client):
    response = client.get("/products")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_choices_are_reused_until_an_admin_edits_them(client, db, cached):
    assert "菌菇" in list_page(client)
    # A change behind the app's back (a database console's UPDATE): not seen yet.
    _db.session.execute(_db.update(Category).where(Category.name == "菌菇").values(name="蘑菇"))
    db.session.commit()
    assert "菌菇" in list_page(client)


def test_an_admins_category_rename_shows_on_the_list_page_at_once(client, cached, login_as,
                                                                   post_form):
    assert "菌菇" in list_page(client)
    category = Category.query.filter_by(name="菌菇").one()
    login_as("admin")
    response = post_form(f"/admin/catalog/categories/{category.id}",
                         {"name": "野生菌", "name_en": "", "sort_order": "0"})
    assert response.status_code == 302
    page = list_page(client)
    assert "野生菌" in page and "菌菇" not in page


def test_an_admins_region_rename_shows_in_the_origin_choices_at_once(client, cached, login_as,
                                                                      post_form):
    assert "巴宜区" in list_page(client)
    login_as("admin")
    response = post_form(f"/admin/regions/{NYINGCHI}", {"code": NYINGCHI, "name": "工布区",
                                                         "parent_code": "540400"})
    assert response.status_code == 302
    page = list_page(client)
    assert "工布区" in page and "巴宜区" not in page
