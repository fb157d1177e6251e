"""Suppliers' credit tiers in the catalog: the badge on the store, the product page and the
cards; among equally relevant products, higher tiers first.

The catalog only reads the tier its organisation carries (kept by the credit domain), so these
tests set it directly.
"""
import pytest

from marketplace.catalog import services
from marketplace.catalog.services import ProductFilters
from tests import factories


def supplier(tier, name):
    org = factories.org("supplier", name=name, region_code=factories.NYINGCHI_COUNTY)
    org.credit_tier = tier
    org.credit_points = {"standard": 3, "silver": 25, "gold": 60, "diamond": 120}[tier]
    return org


@pytest.fixture
def shelf(db):
    """The same product (same name, price, sales) from four suppliers of each tier."""
    sellers = {tier: supplier(tier, f"{tier}合作社") for tier in
               ("standard", "gold", "silver", "diamond")}
    products = {tier: factories.product(supplier=org, name="林芝松茸", price_fen=12800)
                for tier, org in sellers.items()}
    services.reindex_products(list(products.values()))
    db.session.commit()
    return sellers, products


@pytest.mark.parametrize("sort", ["relevance", "price_asc", "price_desc", "newest_same_time",
                                  "best_selling"])
def test_among_equal_products_higher_tiers_come_first(db, shelf, sort):
    sellers, products = shelf
    if sort == "newest_same_time":
        moment = products["standard"].created_at
        for product in products.values():
            product.created_at = moment
        db.session.commit()
        sort = "newest"
    for query in ("", "松茸"):
        ids, _total, _capped = services.matching_ids(ProductFilters(q=query, sort=sort), 1, 10)
        by_id = {product.id: tier for tier, product in products.items()}
        assert [by_id[i] for i in ids] == ["diamond", "gold", "silver", "standard"], (sort, query)


def test_relevance_still_comes_before_the_tier(db, shelf):
    sellers, products = shelf
    exact = factories.product(supplier=sellers["standard"], name="松茸", price_fen=9900)
    services.reindex_products([exact])
    db.session.commit()
    ids, _total, _capped = services.matching_ids(ProductFilters(q="松茸"), 1, 10)
    assert ids[0] == exact.id  # named exactly what was asked, from a standard supplier
    cheaper = services.matching_ids(ProductFilters(q="松茸", sort="price_asc"), 1, 10)[0]
    assert cheaper[0] == exact.id


def test_cards_carry_the_suppliers_tier_and_show_its_badge(client, db, shelf):
    page = client.get("/products?q=松茸").get_data(as_text=True)
    assert page.count('data-testid="tier-badge"') == 3  # the standard tier shows no badge
    for label in ("钻石卡", "金卡", "银卡"):
        assert label in page
    cards = services.cards_of([product.id for product in shelf[1].values()])
    assert {card.supplier_tier for card in cards.values()} == \
        {"standard", "silver", "gold", "diamond"}


def test_the_store_shows_its_tier_and_points(client, db, shelf):
    sellers, _products = shelf
    page = client.get(f"/stores/{sellers['gold'].id}").get_data(as_text=True)
    assert 'class="tier-badge tier-gold"' in page and "金卡" in page
    assert "信用积分 60 分" in page
    standard = client.get(f"/stores/{sellers['standard'].id}").get_data(as_text=True)
    assert 'class="tier-badge tier-standard"' in standard and "普通" in standard


def test_the_product_page_shows_its_suppliers_badge(client, db, shelf):
    _sellers, products = shelf
    page = client.get(f"/products/{products['diamond'].id}").get_data(as_text=True)
    assert 'class="tier-badge tier-diamond"' in page


def test_the_badge_reads_in_english(client, db, shelf):
    client.get("/language/en")
    page = client.get("/products?q=松茸").get_data(as_text=True)
    assert "Diamond" in page and "Gold" in page and "Silver" in page
