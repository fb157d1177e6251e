"""The product cards of the public lists: what each card shows, and what is left out."""
from marketplace.catalog import services
from marketplace.catalog.models import ProductPhoto
from marketplace.catalog.services import ProductFilters
from tests import factories
from tests.catalog.helpers import certified_staff, leaf, listed


def card_named(name, **filters):
    page = services.list_cards(ProductFilters(**filters))
    return next(card for card in page.items if card.name == name), page


def test_a_card_carries_the_names_the_first_photo_and_the_price(db):
    staff = certified_staff(name="绿源合作社")
    product = listed(staff, name="野生松茸", price="128.00", stock="7", labels=["organic"])
    product.photos.extend([ProductPhoto(stored_name="b.jpg", thumb_name="b_t.jpg", position=1),
                           ProductPhoto(stored_name="a.jpg", thumb_name="a_t.jpg", position=0)])
    db.session.commit()
    card, page = card_named("野生松茸")
    assert (card.price_fen, card.unit, card.spec, card.stock) == (12800, "斤", "500g/袋", 7)
    assert card.supplier_name == "绿源合作社" and card.supplier_id == staff.organization_id
    assert card.origin_name == "巴宜区"
    assert card.thumb_name == "a_t.jpg"
    assert card.labels == "organic"
    assert page.total == 1 and not page.capped


def test_the_reference_is_the_products_own_else_its_categorys(db):
    boss = factories.user("admin")
    category = leaf("菌菇")
    own = listed(name="松茸甲", price="200")
    listed(name="松茸乙", price="200")
    services.set_reference_price(boss, category, "斤", "100")
    services.set_product_reference_price(boss, own, "180")
    db.session.commit()
    first, page = card_named("松茸甲")
    second, _page = card_named("松茸乙")
    assert page.references[first.id] == 18000 and not first.price_flagged
    assert page.references[second.id] == 10000 and second.price_flagged


def test_cards_keep_the_lists_order_and_leave_out_what_is_not_on_sale(db):
    staff = certified_staff()
    cheap = listed(staff, name="青稞面", price="10")
    dear = listed(staff, name="青稞酒", price="90")
    paused = listed(staff, name="青稞饼", price="50")
    services.pause_product(staff, paused)
    other = certified_staff(name="远方合作社")
    hidden = listed(other, name="青稞茶", price="30")
    other.organization.status = "suspended"
    db.session.commit()
    page = services.list_cards(ProductFilters(q="青稞", sort="price_desc"))
    assert [card.id for card in page.items] == [dear.id, cheap.id]
    assert hidden.id not in services.cards_of([hidden.id, paused.id])
    assert services.cards_of([]) == {}
