"""The demo catalogue seeds on top of the accounts demo."""
import hashlib
import re

from marketplace.accounts import demo as accounts_demo
from marketplace.catalog import demo, services
from marketplace.catalog.models import Product
from marketplace.catalog.services import ProductFilters
from marketplace.catalog.standard_tree import STANDARD_TREE


def test_demo_seed_lists_a_searchable_flagged_catalogue(db):
    ctx = {"password": "xizang-demo-2026", "logins": []}
    accounts_demo.seed(ctx)
    demo.seed(ctx)
    assert len(ctx["products"]) >= 100
    assert Product.query.count() == len(ctx["products"])
    assert len({product.supplier_id for product in ctx["products"]}) >= 5
    tree = services.category_tree()
    assert [top.name for top, _c in tree] == [top for top, _en, _leaves in STANDARD_TREE]
    assert all(children for _top, children in tree)
    for product in ctx["products"]:
        assert services.is_certified(product.supplier, product.origin_region_code)
        assert product.price_fen > 0
    flagged, _refs = services.flagged_products()
    assert 0 < len(flagged) < len(ctx["products"])
    for word in ("松茸", "青稞", "牦牛", "林芝", "酥油", "糌粑"):
        assert services.list_products(ProductFilters(q=word)).total > 0, word


def test_every_demo_product_shows_its_own_drawn_picture(db, client):
    ctx = {"password": "xizang-demo-2026", "logins": []}
    accounts_demo.seed(ctx)
    demo.seed(ctx)
    db.session.commit()
    thumbs = [product.photos[0].thumb_name for product in ctx["products"]]
    assert all(thumbs)
    html = client.get("/products?per_page=100").get_data(as_text=True)
    shown = re.findall(r'<img src="/media/catalog/([0-9a-f]{32}_t\.jpg)"', html)
    assert len(shown) == 100 and set(shown) <= set(thumbs)
    assert "product-thumb placeholder" not in html
    pictures = {hashlib.sha256(client.get(f"/media/catalog/{name}").data).hexdigest()
                for name in thumbs}
    assert len(pictures) == len(thumbs)  # no two alike
    page = client.get(f"/products/{ctx['products'][0].id}").get_data(as_text=True)
    assert f'/media/catalog/{ctx["products"][0].photos[0].stored_name}' in page


def test_refresh_draws_pictures_for_a_demo_loaded_without_them(db):
    ctx = {"password": "xizang-demo-2026", "logins": []}
    accounts_demo.seed(ctx)
    demo.seed(ctx)
    for product in ctx["products"][:3]:
        product.photos.clear()
    db.session.flush()
    assert demo.refresh() == 3
    assert all(product.photos for product in ctx["products"])
