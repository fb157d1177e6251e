"""Journey: a canteen buyer types in pinyin, takes a suggestion, narrows the results by origin,
types origin + product without a space, and on a miss follows the looser search offered."""
import pytest

from tests.catalog import relevance_set

pytestmark = pytest.mark.browser


def test_a_buyer_finds_matsutake_the_way_they_type(page, db):
    relevance_set.build()
    db.session.commit()

    page.goto("/products")
    page.fill("input[name=q]", "song")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-suggestions option')]"
        ".some(option => option.value === '松茸')")
    page.fill("input[name=q]", "松茸")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("[data-testid=search-facets]")
    cards = page.locator("[data-testid=product-card]")
    assert cards.count() == 5
    assert cards.nth(0).locator("mark").first.inner_text() == "松茸"

    page.click("[data-testid=search-facets] a:has-text('林芝市')")
    page.wait_for_url("**region=540400**")
    assert page.locator("[data-testid=product-card]").count() == 5

    page.goto("/products?q=那曲松茸")
    assert "那曲松茸" in page.inner_text("[data-testid=search-empty]")
    page.click("[data-testid=looser-search]:has-text('松茸')")
    page.wait_for_selector("[data-testid=product-card]")
    assert page.locator("[data-testid=product-card]").count() == 5
