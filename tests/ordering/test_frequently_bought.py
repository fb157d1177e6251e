"""Frequently bought (常买): the products a purchaser's organisation ordered most often in the
last 12 months, still on sale, on their home page with an add-to-cart form at today's price,
and the same list over the API."""
from datetime import timedelta

from marketplace.extensions import db as _db
from marketplace.ordering import services
from marketplace.timeutil import utcnow
from tests import factories
from tests.helpers import bearer


def _history():
    """A unit's year of orders: 青稞面 in three, 松茸 in two (the latest), 牦牛肉 in two but
    paused now, 酥油 in four but over a year ago, 藏香猪 in a cancelled order only."""
    purchaser = factories.user("purchaser")
    colleague = factories.user("purchaser", organization=purchaser.organization)
    supplier = factories.org("supplier", region_code=factories.NYINGCHI_COUNTY)
    made = {name: factories.product(supplier=supplier, name=name, price_fen=price, stock=50)
            for name, price in (("青稞面", 2550), ("林芝松茸", 12800), ("牦牛肉", 9900),
                                ("酥油", 6000), ("藏香猪", 8800))}
    now = utcnow()

    def ordered(name, days_ago, who=purchaser, status="accepted"):
        order = factories.order(who, [(made[name], 2)], status=status)
        order.created_at = now - timedelta(days=days_ago)

    for days in (200, 100, 50):
        ordered("青稞面", days, who=colleague)      # a colleague's orders count too
    ordered("林芝松茸", 300)
    ordered("林芝松茸", 3)
    ordered("牦牛肉", 10)
    ordered("牦牛肉", 11)
    for days in (400, 420, 500, 600):
        ordered("酥油", days)
    ordered("藏香猪", 5, status="cancelled")
    made["牦牛肉"].status = "paused"
    made["青稞面"].price_fen = 2800                   # today's price, not the ordered one
    factories.order(factories.user("purchaser"), [(made["酥油"], 1)])   # another unit's
    _db.session.flush()
    return purchaser, made


def test_most_ordered_first_ties_by_recency_still_on_sale_only(db):
    purchaser, made = _history()
    frequent = services.frequently_bought(purchaser)
    assert [(item.product.name, item.orders) for item in frequent] == [
        ("青稞面", 3), ("林芝松茸", 2)]


def test_the_home_page_offers_them_at_todays_price_and_says_what_will_appear(
        client, db, login_as):
    purchaser, made = _history()
    _db.session.commit()
    login_as(purchaser)
    page = client.get("/").get_data(as_text=True)
    section = page.split('data-testid="frequently-bought"')[1].split("</section>")[0]
    assert section.index("青稞面") < section.index("林芝松茸")
    assert "¥28.00" in section and "过去 12 个月下单 3 次" in section
    assert section.count('action="/cart/add"') == 2 and "牦牛肉" not in section
    login_as("purchaser")
    page = client.get("/").get_data(as_text=True)
    assert "过去 12 个月下单次数最多的商品会列在这里" in page
    login_as("supplier_staff")
    assert 'data-testid="frequently-bought"' not in client.get("/").get_data(as_text=True)


def test_the_api_lists_the_same(client, db):
    purchaser, made = _history()
    _db.session.commit()
    answer = client.get("/api/v1/frequently-bought", headers=bearer(purchaser))
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["total"] == 2
    first = body["items"][0]
    assert (first["name"], first["price"], first["orders"]) == ("青稞面", "28.00", 3)
    assert first["product_id"] == made["青稞面"].id and first["min_order_qty"] == 1
    supplier = factories.user("supplier_staff")
    _db.session.commit()
    assert client.get("/api/v1/frequently-bought", headers=bearer(supplier)).status_code == 403


def test_in_english_one_order_is_once_and_more_are_times(client, db, login_as):
    purchaser, made = _history()
    factories.order(purchaser, [(made["藏香猪"], 1)], status="accepted")  # once, not cancelled
    _db.session.commit()
    login_as(purchaser)
    client.get("/language/en")
    page = client.get("/").get_data(as_text=True)
    assert "Ordered 3 times in the last 12 months" in page
    assert "Ordered once in the last 12 months" in page and "1 times" not in page
