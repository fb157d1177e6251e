"""The search results page and the API's `q`: words marked (escaped), counts by category and
origin, help on zero results, suggestions while typing; the same results in the API."""
import pytest

from marketplace.catalog import services
from tests.catalog import relevance_set
from tests.catalog.helpers import certified_staff, leaf
from tests.helpers import bearer


@pytest.fixture
def catalog(db):
    products = relevance_set.build()
    db.session.commit()
    return products


def text(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_words_found_are_marked_in_names_and_origins(client, catalog):
    page = text(client.get("/products?q=林芝松茸"))
    assert "<mark>林芝</mark>野生<mark>松茸</mark>" in page
    assert 'data-testid="search-read"' in page and "林芝" in page


def test_pinyin_is_read_back_and_marked_in_chinese(client, catalog):
    page = text(client.get("/products?q=songrong"))
    assert "米林<mark>松茸</mark>" in page and "松茸 ← songrong" in page


def test_marking_escapes_what_it_marks(client, db):
    staff = certified_staff(name="<b>合作社</b>")
    services.create_product(staff, {"name": "<i>松茸</i>", "category": leaf().id, "unit": "斤",
                                    "price": "1.00", "stock": "1",
                                    "origin_region_code": "540402"})
    db.session.commit()
    page = text(client.get("/products?q=松茸 合作社"))
    assert "&lt;i&gt;<mark>松茸</mark>&lt;/i&gt;" in page
    assert "<i>" not in page and "<b>" not in page


def test_counts_per_category_and_origin_narrow_the_search(client, catalog):
    page = text(client.get("/products?q=牦牛"))
    assert 'data-testid="search-facets"' in page
    yak_meat = leaf("牦牛肉", "肉禽蛋").id
    assert f"category={yak_meat}" in page and "牦牛肉 <small>(2)</small>" in page
    assert "那曲市 <small>(5)</small>" in page and "拉萨市 <small>(2)</small>" in page
    narrowed = text(client.get(f"/products?q=牦牛&category={yak_meat}"))
    assert narrowed.count('data-testid="product-card"') == 2


def test_zero_results_say_what_was_searched_and_offer_looser_searches(client, catalog):
    page = text(client.get("/products?q=那曲松茸"))
    assert 'data-testid="search-empty"' in page and "“那曲松茸”" in page
    assert 'data-testid="looser-search"' in page
    assert "/products?q=%E6%9D%BE%E8%8C%B8" in page          # 松茸 alone finds 3
    assert "/products?q=%E9%82%A3%E6%9B%B2" in page          # 那曲 alone finds 5
    assert 'data-testid="close-category"' in page and ">松茸</a>" in page


def test_zero_results_of_one_word_offer_the_categories_that_come_close(client, catalog):
    page = text(client.get("/products?q=松子"))
    assert 'data-testid="search-empty"' in page and ">松茸</a>" in page


def test_suggestions_while_typing_in_characters_pinyin_and_initials(client, catalog):
    for typed in ("松", "song", "sr"):
        body = client.get("/products/suggestions", query_string={"q": typed}).get_json()
        assert body["query"] == typed and "松茸" in body["suggestions"], typed
        assert len(body["suggestions"]) <= 8
    assert client.get("/products/suggestions?q=%25").get_json()["suggestions"] == []
    assert client.get("/products/suggestions").get_json()["suggestions"] == []


def test_the_search_box_works_without_javascript_and_loads_only_our_script(client, catalog):
    page = text(client.get("/"))
    assert 'role="search"' in page and 'list="search-suggestions"' in page
    assert '<script src="/static/js/search-suggest.js" defer></script>' in page
    assert client.get("/static/js/search-suggest.js").status_code == 200


def test_the_api_q_gives_the_pages_order(client, catalog, login_as):
    buyer = login_as("purchaser")
    for query, first in relevance_set.QUERIES[:12]:
        body = client.get("/api/v1/products", query_string={"q": query, "per_page": len(first)},
                          headers=bearer(buyer)).get_json()
        assert set(item["name"] for item in body["items"]) == set(first), query
    body = client.get("/api/v1/products/suggestions?q=maoniu", headers=bearer(buyer)).get_json()
    assert "牦牛" in body["suggestions"] or "牦牛肉" in body["suggestions"]
