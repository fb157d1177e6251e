"""The demo catalogue seeds on top of the accounts demo."""
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
