"""The relevance test set: over a fixed catalog, every buyer query of relevance_set.QUERIES
shows its expected products first (in any order among themselves), on both databases."""
import pytest

from tests.catalog import relevance_set


@pytest.fixture
def catalog(db):
    return relevance_set.build()


def test_the_set_is_large_enough():
    assert len(relevance_set.QUERIES) >= 40
    names = {name for name, *_rest in relevance_set.PRODUCTS}
    for query, first in relevance_set.QUERIES:
        assert set(first) <= names, query


def test_every_query_finds_its_products_first(catalog):
    wrong = {}
    for query, first in relevance_set.QUERIES:
        shown = relevance_set.first_names(query, len(first))
        if set(shown) != set(first):
            wrong[query] = shown
    assert wrong == {}


def test_a_cooperative_named_for_the_word_comes_after_every_product_named_for_it(catalog):
    shown = relevance_set.first_names("松茸", 10)
    assert set(shown[:3]) == {"林芝野生松茸", "松茸干片", "米林松茸"}
    # 鲁朗松茸专业合作社 also sells apples and walnuts: found, but last.
    assert set(shown[3:]) == {"鲁朗苹果", "林芝核桃"}


def test_sizes_and_units_rank_but_never_empty_the_result(catalog):
    assert relevance_set.first_names("松茸 3kg", 10)[:3] == relevance_set.first_names("松茸", 3)
    assert relevance_set.first_names("松茸 250g", 1) == ["松茸干片"]
    assert relevance_set.first_names("大白菜 10斤", 1) == ["大白菜"]
    assert relevance_set.first_names("一箱 大白菜", 1) == ["大白菜"]


def test_a_query_spanning_origin_and_name_needs_every_word(catalog):
    assert relevance_set.first_names("那曲松茸", 5) == []
    assert set(relevance_set.first_names("林芝 苹果", 5)) == {"鲁朗苹果"}
