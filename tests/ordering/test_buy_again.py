"""Buy again: a past order's lines still on sale go back into the cart at today's prices; what
is off sale or out of stock is named with why; the page and the API say the same."""
import pytest

from marketplace.errors import PermissionDenied
from marketplace.extensions import db as _db
from marketplace.ordering import services
from tests import factories
from tests.helpers import bearer
from tests.ordering.helpers import buyer, checkout


def _past_order():
    purchaser = buyer()
    supplier = factories.org("supplier", region_code=factories.NYINGCHI_COUNTY)
    songrong = factories.product(supplier=supplier, name="林芝松茸", price_fen=12800, stock=50)
    qingke = factories.product(supplier=supplier, name="青稞面", price_fen=2550, stock=50)
    paused = factories.product(supplier=supplier, name="牦牛肉", price_fen=9900, stock=50)
    [order] = checkout(purchaser, [(songrong, 3), (qingke, 20), (paused, 1)])
    songrong.price_fen = 13800                      # dearer today
    qingke.stock = 5                                # fewer left than ordered
    paused.status = "paused"
    _db.session.flush()
    return purchaser, order, songrong, qingke


def test_buy_again_fills_the_cart_at_todays_prices(db):
    purchaser, order, songrong, qingke = _past_order()
    result = services.buy_again(purchaser, order)
    cart = {item.product_id: item.quantity for item in services.cart_items(purchaser)}
    assert cart == {songrong.id: 3, qingke.id: 5}
    assert ("林芝松茸", 3, 12800, 13800) in result.repriced
    assert [name for name, _why in result.skipped] == ["牦牛肉"]
    colleague = factories.user("purchaser")
    with pytest.raises(PermissionDenied):
        services.buy_again(colleague, order)


def test_the_page_and_the_api_say_what_changed(client, db, login_as, post_form):
    purchaser, order, songrong, _qingke = _past_order()
    _db.session.commit()
    login_as(purchaser)
    response = post_form(f"/orders/{order.id}/buy-again", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "按今日价格计价" in page
    assert "林芝松茸 的价格已从 ¥128.00 变为今日的 ¥138.00" in page
    assert "牦牛肉 未加入：供应商已暂停销售该商品" in page
    answer = client.post(f"/api/v1/orders/{order.id}/buy-again",
                         headers=bearer(purchaser))
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["added"][0] == {"product_name": "林芝松茸", "quantity": 3,
                                "ordered_price": "128.00", "price": "138.00", "repriced": True}
    # The cart already holds the 5 青稞面 left: adding them again would exceed the stock.
    assert body["skipped"] == [{"product_name": "青稞面", "reason": "青稞面 库存不足（剩余 5斤）"},
                               {"product_name": "牦牛肉", "reason": "供应商已暂停销售该商品"}]
