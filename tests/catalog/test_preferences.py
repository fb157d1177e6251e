"""The catalog's extension point for suppliers a buyer's lists rank first: a source a higher
domain registers decides them; the default order puts them first, an explicit sort does not."""
import pytest

from marketplace.catalog import preferences, services
from marketplace.catalog.services import ProductFilters
from tests import factories


@pytest.fixture
def favoured(monkeypatch):
    """A registry holding only a test source: the buyer given favours the suppliers given."""
    chosen = {}
    monkeypatch.setattr(preferences, "_SOURCES", [])
    preferences.add_source(lambda user: chosen.get(user.id, ()), "首选")
    return chosen


def test_a_sources_suppliers_come_first_in_the_default_order_only(db, favoured):
    popular, small = factories.org("supplier"), factories.org("supplier")
    factories.product(supplier=popular, name="畅销松茸", sales_count=900)
    factories.product(supplier=small, name="小社松茸", sales_count=1)
    buyer = factories.user("purchaser")
    favoured[buyer.id] = {small.id}
    preferred = preferences.preferred_suppliers(buyer)
    assert preferred == {small.id: "首选"}

    def names(sort="relevance", prefer=tuple(preferred)):
        page = services.list_cards(ProductFilters(sort=sort, preferred_suppliers=prefer))
        return [card.name for card in page.items]

    assert names(prefer=()) == ["畅销松茸", "小社松茸"]
    assert names() == ["小社松茸", "畅销松茸"]
    assert names(sort="best_selling") == ["畅销松茸", "小社松茸"]
    other = factories.user("purchaser")
    assert preferences.preferred_suppliers(other) == {}


def test_visitors_have_no_preferred_suppliers(favoured):
    from flask_login import AnonymousUserMixin

    assert preferences.preferred_suppliers(AnonymousUserMixin()) == {}
    assert preferences.preferred_suppliers(None) == {}
