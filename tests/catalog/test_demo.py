"""The demo catalogue seeds on a context like the accounts demo builds."""
from marketplace.catalog import demo, services
from marketplace.catalog.models import Product
from marketplace.catalog.services import ProductFilters
from tests import factories

COUNTIES = ["540402", "540423", "540102", "540202", "540237", "540602", "540502", "540328",
            "542521", "540422"]


def test_demo_seed_lists_a_searchable_flagged_catalogue(db):
    ctx = {"admin": factories.user("admin"),
           "suppliers": [factories.org("supplier", name=f"演示合作社{n}", region_code=code)
                         for n, code in enumerate(COUNTIES)]}
    demo.seed(ctx)
    assert len(ctx["products"]) >= 100
    assert Product.query.count() == len(ctx["products"])
    tree = services.category_tree()
    assert {"菌菇", "粮油", "肉禽蛋", "乳制品", "果蔬", "茶饮"} <= {top.name for top, _c in tree}
    assert all(children for _top, children in tree)
    for product in ctx["products"]:
        assert services.is_certified(product.supplier, product.origin_region_code)
        assert product.price_fen > 0
    flagged, _refs = services.flagged_products()
    assert 0 < len(flagged) < len(ctx["products"])
    for word in ("松茸", "青稞", "牦牛", "林芝", "酥油", "糌粑"):
        assert services.list_products(ProductFilters(q=word)).total > 0, word
