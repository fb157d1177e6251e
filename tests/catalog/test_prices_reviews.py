"""Fair prices (reference prices and the 30% flag) and reviews by buyers who accepted a delivery."""
import pytest

from marketplace.catalog import services
from marketplace.errors import PermissionDenied, StateError, ValidationError
from tests import factories
from tests.catalog.helpers import certified_staff, leaf, listed


def test_a_category_reference_flags_listings_more_than_30_percent_above(db):
    staff = certified_staff()
    fair = listed(staff, name="松茸A", price="130.00")
    dear = listed(staff, name="松茸B", price="130.01")
    services.set_reference_price(factories.user("admin"), leaf(), "斤", "100.00")
    assert (fair.price_flagged, dear.price_flagged) == (False, True)
    products, refs = services.flagged_products()
    assert products == [dear] and refs[dear.id] == 10000
    services.update_product(staff, dear, {"price": "120"})
    assert not dear.price_flagged


def test_a_product_reference_outranks_the_category_one(db):
    product = listed(price="150.00")
    services.set_reference_price(factories.user("admin"), leaf(), "斤", "200.00")
    assert not product.price_flagged
    services.set_product_reference_price(factories.user("admin"), product, "100.00")
    assert product.price_flagged and services.reference_price_of(product) == 10000


def test_a_reference_applies_to_its_unit_only(db):
    product = listed(unit="箱")
    services.set_reference_price(factories.user("admin"), leaf(), "斤", "1.00")
    assert not product.price_flagged


def test_a_buyer_whose_organisation_accepted_a_delivery_can_review_once_for_it(db):
    product = listed()
    buyer = factories.user("purchaser")
    colleague = factories.user("purchaser", organization=buyer.organization)
    other = factories.user("purchaser")
    factories.order(buyer, [(product, 2)], status="accepted")
    factories.order(other, [(product, 1)], status="completed")
    assert services.can_review(colleague, product.id)
    review = services.add_review(colleague, product, 4, "新鲜")
    assert review.stars == 4 and review.organization_id == buyer.organization_id
    assert not services.can_review(buyer, product.id)
    for again in (buyer, colleague):  # the organisation has had its say
        with pytest.raises(StateError):
            services.add_review(again, product, 3)
    services.add_review(other, product, "5", "很好")
    assert services.supplier_rating(product.supplier) == (4.5, 2)


@pytest.mark.parametrize("status", ["placed", "shipped", "cancelled"])
def test_no_review_without_an_accepted_delivery(db, status):
    product = listed()
    buyer = factories.user("purchaser")
    factories.order(buyer, [(product, 1)], status=status)
    with pytest.raises(PermissionDenied):
        services.add_review(buyer, product, 5)


def test_stars_must_be_one_to_five(db):
    product = listed()
    buyer = factories.user("purchaser")
    factories.order(buyer, [(product, 1)], status="completed")
    for stars in (0, 6, "x"):
        with pytest.raises(ValidationError):
            services.add_review(buyer, product, stars)


def test_the_rating_counted_from_the_reviews_shown_is_the_rating_of_every_review(db,
                                                                                 monkeypatch):
    product = listed()
    assert services.rating_of_product(product, services.reviews_of(product)) == (None, 0)
    for stars in (5, 4, 4):
        buyer = factories.user("purchaser")
        factories.order(buyer, [(product, 1)], status="completed")
        services.add_review(buyer, product, stars)
    shown = services.reviews_of(product)
    assert services.rating_of_product(product, shown) == services.rating_of_product(product) \
        == (4.3, 3)
    # More reviews than the page shows: the rating still counts every one of them.
    monkeypatch.setattr(services.reviews, "REVIEWS_SHOWN", 2)
    shown = services.reviews_of(product, limit=2)
    assert services.rating_of_product(product, shown) == (4.3, 3)
