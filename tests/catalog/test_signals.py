"""The catalog announces reviews and take-downs, so other domains react without it knowing them."""
from marketplace.catalog import services
from marketplace.catalog.signals import product_restored, product_taken_down, review_posted
from tests import factories


def test_a_review_is_announced_with_its_author(db):
    buyer = factories.user("purchaser")
    product = factories.product()
    factories.order(buyer, [(product, 1)], status="accepted")
    heard = []

    def receiver(review, actor=None, **_):
        heard.append((review.id, review.stars, actor))

    review_posted.connect(receiver)
    try:
        review = services.add_review(buyer, product, 4, "不错")
    finally:
        review_posted.disconnect(receiver)
    assert heard == [(review.id, 4, buyer)]


def test_a_take_down_and_its_lifting_are_announced_with_the_admin_and_reason(db):
    admin = factories.user("admin")
    product = factories.product()
    heard = []

    def down(product, actor=None, reason=None, **_):
        heard.append(("down", product.id, product.status, actor, reason))

    def up(product, actor=None, **_):
        heard.append(("up", product.id, product.status, actor, None))

    product_taken_down.connect(down)
    product_restored.connect(up)
    try:
        services.take_down_product(admin, product, "价格虚高")
        services.restore_product(admin, product)
    finally:
        product_taken_down.disconnect(down)
        product_restored.disconnect(up)
    assert heard == [("down", product.id, "taken_down", admin, "价格虚高"),
                     ("up", product.id, "paused", admin, None)]
