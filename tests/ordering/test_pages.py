"""Ordering pages through the test client: cart, checkout, queues, approvals, acceptance, prints."""
import io
import re

from marketplace.accounts.models import DeliveryAddress
from marketplace.catalog.models import Product
from marketplace.ordering.models import CartItem, Order, OrderEvent
from tests import factories
from tests.ordering.helpers import buyer, checkout, checkout_and_ship


def text(response):
    return response.get_data(as_text=True)


def test_cart_add_from_product_page_and_see_totals(client, db, login_as, post_form):
    user = login_as(buyer())
    first = factories.product(price_fen=1000, stock=10, name="松茸")
    second = factories.product(price_fen=250, stock=10, name="青稞")
    db.session.commit()
    response = post_form("/cart/add", {"product_id": first.id, "quantity": "3"})
    assert response.status_code == 302
    post_form("/cart/add", {"product_id": second.id, "quantity": "2"})
    page = text(client.get("/cart"))
    assert "¥30.00" in page and "¥5.00" in page and "¥35.00" in page
    assert CartItem.query.filter_by(user_id=user.id).count() == 2


def test_cart_add_bad_quantity_is_refused_with_a_message(client, db, login_as, post_form):
    login_as(buyer())
    product = factories.product(stock=10)
    db.session.commit()
    response = post_form("/cart/add", {"product_id": product.id, "quantity": "-2"},
                         follow_redirects=True)
    assert "数量必须大于零" in text(response)
    assert CartItem.query.count() == 0


def test_cart_add_needs_csrf_and_a_purchaser(client, db, login_as, post_form):
    login_as("supplier_staff")
    product = factories.product()
    db.session.commit()
    assert post_form("/cart/add", {"product_id": product.id, "quantity": 1}).status_code == 403
    login_as(buyer())
    without_token = client.post("/cart/add", data={"product_id": product.id, "quantity": 1})
    assert without_token.status_code == 400


def test_cart_update_and_remove(client, db, login_as, post_form):
    login_as(buyer())
    product = factories.product(stock=10)
    db.session.commit()
    post_form("/cart/add", {"product_id": product.id, "quantity": 1})
    item = CartItem.query.one()
    post_form(f"/cart/{item.id}/update", {"quantity": "4"})
    db.session.expire_all()
    assert CartItem.query.one().quantity == 4
    post_form(f"/cart/{item.id}/remove")
    assert CartItem.query.count() == 0


def _checkout_form(client):
    page = text(client.get("/checkout"))
    key = re.search(r'name="checkout_key" type="hidden" value="([^"]+)"', page)
    return page, key.group(1)


def _seen_prices(page):
    """The unit prices the checkout page showed (its hidden seen_price fields)."""
    return re.findall(r'name="seen_price" value="([^"]+)"', page)


def test_checkout_with_a_new_address_and_double_submit_orders_once(client, db, login_as, post_form):
    user = login_as(buyer())
    a = factories.product(price_fen=1000, stock=10)
    b = factories.product(price_fen=500, stock=10)
    db.session.commit()
    post_form("/cart/add", {"product_id": a.id, "quantity": 2})
    post_form("/cart/add", {"product_id": b.id, "quantity": 1})
    page, key = _checkout_form(client)
    assert "checkout_key" in page
    data = {"checkout_key": key, "purpose": "canteen", "address_id": "new",
            "new_label": "食堂", "new_recipient": "张三", "new_phone": "0891-1234567",
            "new_address": "拉萨市城关区 机关食堂", "payment_method": "bank_transfer",
            "payment_terms": "pay_first", "invoice_title": "拉萨市某局",
            "invoice_tax_id": "91540100MA6T000000", "unit_price": "0.01",
            "seen_price": _seen_prices(page)}
    first = post_form("/checkout", data)
    assert first.status_code == 302
    # The same submission again (double click): the cart is empty now, the key still matches.
    post_form("/cart/add", {"product_id": a.id, "quantity": 2})
    second = post_form("/checkout", data)
    assert second.status_code == 302
    assert Order.query.count() == 2
    assert sorted(o.total_fen for o in Order.query) == [500, 2000]  # the tampered price is ignored
    assert DeliveryAddress.query.filter_by(organization_id=user.organization_id).count() == 1
    listing = text(client.get("/orders"))
    assert all(order.number in listing for order in Order.query)


def test_checkout_out_of_stock_shows_the_form_again(client, db, login_as, post_form):
    login_as(buyer())
    product = factories.product(stock=10, name="松茸")
    db.session.commit()
    post_form("/cart/add", {"product_id": product.id, "quantity": 5})
    product.stock = 2
    db.session.commit()
    page, key = _checkout_form(client)
    response = post_form("/checkout", {"checkout_key": key, "purpose": "canteen",
                                       "address_id": "new", "new_label": "食堂",
                                       "new_recipient": "张三", "new_phone": "1",
                                       "new_address": "拉萨", "payment_method": "stripe",
                                       "payment_terms": "goods_first",
                                       "seen_price": _seen_prices(page)})
    assert response.status_code == 409
    assert "库存不足" in text(response) and 'value="拉萨"' in text(response)
    assert Order.query.count() == 0
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 2


def test_checkout_missing_address_is_422(client, db, login_as, post_form):
    login_as(buyer())
    product = factories.product(stock=10)
    db.session.commit()
    post_form("/cart/add", {"product_id": product.id, "quantity": 1})
    _, key = _checkout_form(client)
    response = post_form("/checkout", {"checkout_key": key, "purpose": "canteen",
                                       "address_id": "new", "payment_method": "stripe",
                                       "payment_terms": "goods_first"})
    assert response.status_code == 422
    # Each part of the new address missing is told beside its own field.
    for field in ("new_label", "new_recipient", "new_phone", "new_address"):
        assert re.search(rf'id="{field}-error" class="field-error">请填写此项', text(response))
    assert Order.query.count() == 0


def test_orders_list_filters_by_status(client, db, login_as):
    user = login_as(buyer())
    placed = checkout(user, [(factories.product(stock=5), 1)])[0]
    cancelled = checkout(user, [(factories.product(stock=5), 1)])[0]
    cancelled.status = "cancelled"
    db.session.commit()
    page = text(client.get("/orders?status=cancelled"))
    assert cancelled.number in page and placed.number not in page


def test_other_organisations_order_is_forbidden(client, db, login_as):
    order = checkout(buyer(), [(factories.product(stock=5), 1)])[0]
    db.session.commit()
    login_as(buyer())
    assert client.get(f"/orders/{order.id}").status_code == 403
    assert client.get("/orders/999999").status_code == 404


def test_supplier_confirms_and_ships_from_the_queue(client, db, login_as, post_form):
    product = factories.product(stock=5)
    order = checkout(buyer(), [(product, 2)])[0]
    staff = factories.user("supplier_staff", organization=product.supplier)
    db.session.commit()
    login_as(staff)
    assert order.number in text(client.get("/supplier/orders?tab=new"))
    assert post_form(f"/orders/{order.id}/confirm").status_code == 302
    assert order.number in text(client.get("/supplier/orders?tab=to_ship"))
    post_form(f"/orders/{order.id}/ship", {"carrier": "顺丰", "tracking_number": "SF1"})
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "shipped"
    assert order.number in text(client.get("/supplier/orders?tab=in_transit"))
    # Shipping again is out of order: a message, nothing changes.
    again = post_form(f"/orders/{order.id}/ship", {"carrier": "x", "tracking_number": "y"},
                      follow_redirects=True)
    assert "不能执行此操作" in text(again)


def test_manager_approves_from_the_approvals_page(client, db, login_as, post_form):
    user = buyer(threshold_fen=100)
    manager = factories.user("unit_manager", organization=user.organization)
    order = checkout(user, [(factories.product(price_fen=1000, stock=5), 1)])[0]
    db.session.commit()
    login_as(manager)
    assert order.number in text(client.get("/approvals"))
    post_form(f"/orders/{order.id}/approve")
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "placed"
    login_as("purchaser")
    assert client.get("/approvals").status_code == 403


def test_partial_acceptance_with_photo_and_printouts(client, db, login_as, post_form):
    from PIL import Image

    user = buyer()
    order, _ = checkout_and_ship(user, factories.product(price_fen=1000, stock=10), quantity=5)
    db.session.commit()
    login_as(user)
    assert client.get(f"/orders/{order.id}/accept").status_code == 200
    line = order.lines[0]
    bad = post_form(f"/orders/{order.id}/accept",
                    {f"line_{line.id}": "9", "note": "x"})
    assert bad.status_code == 422 and "验收数量应在" in text(bad)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG")
    response = post_form(f"/orders/{order.id}/accept",
                         {f"line_{line.id}": "3", "note": "两斤压坏",
                          "photo": (io.BytesIO(buffer.getvalue()), "bad.jpg")},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    detail = text(client.get(f"/orders/{order.id}"))
    assert "已验收" in detail and f"两斤压坏；部分验收：{line.product_name} 3/5" in detail
    # The shortfall is read from the lines in the reader's language; the note is the buyer's.
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = text(client.get(f"/orders/{order.id}"))
    assert f"两斤压坏；Accepted in part: {line.product_name} 3/5" in english
    assert "部分验收" not in english
    assert OrderEvent.query.filter_by(order_id=order.id, to_status="accepted").one().note \
        == "两斤压坏"
    with client.session_transaction() as session:
        session["lang"] = "zh"
    record = text(client.get(f"/orders/{order.id}/acceptance-record"))
    assert "验收单" in record and "¥30.00" in record
    assert "送货单" in text(client.get(f"/orders/{order.id}/delivery-note"))
    assert client.get(f"/orders/{order.id}/photo").status_code == 200


def test_buyer_cancels_and_stock_comes_back(client, db, login_as, post_form):
    user = login_as(buyer())
    product = factories.product(stock=5)
    order = checkout(user, [(product, 2)])[0]
    db.session.commit()
    post_form(f"/orders/{order.id}/cancel")
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "cancelled"
    assert db.session.get(Product, product.id).stock == 5


def test_pages_speak_english_when_chosen(client, db, login_as):
    user = login_as(buyer())
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = text(client.get("/cart"))
    assert "Your cart is empty." in page
    supplier = factories.org("supplier")
    checkout(user, [(factories.product(supplier=supplier, stock=5), 1)])
    checkout(user, [(factories.product(supplier=supplier, stock=5, name="青稞面"), 1),
                    (factories.product(supplier=supplier, stock=5, name="牦牛肉"), 1)])
    db.session.commit()
    orders = text(client.get("/orders"))
    assert "Orders" in orders and "product(s)" not in orders
    assert re.search(r"\b1 product\b", orders) and "2 products" in orders


def test_cart_shows_how_far_the_order_takes_the_units_reserved_share(client, db, login_as,
                                                                     post_form):
    from marketplace.compliance.services import file_quota
    from marketplace.timeutil import to_cst, utcnow

    user = login_as(buyer())
    manager = factories.user("unit_manager", organization=user.organization)
    file_quota(manager, user.organization, to_cst(utcnow()).year, "own", "10000")
    product = factories.product(price_fen=25000, stock=10, name="松茸")
    db.session.commit()
    post_form("/cart/add", {"product_id": product.id, "quantity": "2"})
    page = text(client.get("/cart"))
    assert 'data-testid="cart-quota-progress"' in page
    # ¥500 of Tibetan goods against ¥1,000 reserved (10% of ¥10,000).
    assert "¥500.00" in page and "¥1,000.00" in page


def test_the_order_filters_keep_what_was_chosen(client, db, login_as):
    login_as(buyer())
    page = text(client.get("/orders?status=placed&purpose=union_welfare"))
    assert '<option value="placed" selected>' in page and "全部状态" in page
    assert '<option value="union_welfare" selected>' in page


def test_a_transfer_waiting_for_confirmation_blocks_cancelling_and_one_next_step_shows(
        parties, client, db):
    """While the buyer's bank transfer waits for the supplier, nobody may cancel the order (the
    money may be on its way): no 取消 button, and the service refuses too. The page says what
    comes next in one box."""
    import pytest

    from marketplace.errors import StateError
    from marketplace.ordering import services
    from tests.helpers import login

    order = parties.order(status="placed", payment_terms="pay_first")
    parties.transfer(order, order.total_fen)
    db.session.commit()
    for user in (parties.buyer, parties.supplier):
        login(client, user)
        page = client.get(f"/orders/{order.id}").get_data(as_text=True)
        assert 'data-testid="cancel-order"' not in page
        assert page.count("下一步") == 1
        turn = re.search(r'data-testid="order-turn">(.*?)</p>', page, re.S).group(1)
        assert "供应商确认订单" in turn and "供应商确认转账" in turn
        assert "：" in turn and order.total_fen and f"{order.total_fen}" not in turn
    with pytest.raises(StateError):
        services.cancel_order(order, parties.buyer)
    with pytest.raises(StateError):
        services.cancel_order(order, parties.supplier, "缺货")
    assert order.status == "placed"


def test_an_invoice_asked_at_checkout_waits_on_each_order(client, db, login_as, post_form):
    login_as(buyer())
    product = factories.product(price_fen=1000, stock=10)
    db.session.commit()
    post_form("/cart/add", {"product_id": product.id, "quantity": 2})
    page, key = _checkout_form(client)
    assert "增值税专用发票" in page and "发票接收邮箱" in page
    data = {"checkout_key": key, "purpose": "canteen", "address_id": "new",
            "new_label": "食堂", "new_recipient": "张三", "new_phone": "0891-1234567",
            "new_address": "拉萨市城关区 机关食堂", "payment_method": "bank_transfer",
            "payment_terms": "goods_first", "invoice_kind": "special",
            "invoice_title": "拉萨市某局", "invoice_tax_id": "", "invoice_email": "not mail",
            "seen_price": _seen_prices(page)}
    # A special invoice without a tax number and a bad e-mail: both told beside their fields,
    # nothing ordered, what was typed kept.
    response = post_form("/checkout", data)
    page = text(response)
    assert response.status_code == 422 and Order.query.count() == 0
    assert re.search(r'id="invoice_tax_id-error" class="field-error">增值税专用发票须填写', page)
    assert re.search(r'id="invoice_email-error" class="field-error">请填写有效的电子邮箱', page)
    assert 'value="拉萨市某局"' in page
    data.update(invoice_tax_id="91540100MA6T000000", invoice_email="caiwu@example.cn")
    assert post_form("/checkout", data).status_code == 302
    order = Order.query.one()
    invoice = order.invoice
    assert (invoice.status, invoice.kind, invoice.tax_number, invoice.email) == \
        ("requested", "special", "91540100MA6T000000", "caiwu@example.cn")
    assert "已申请，待开具" in text(client.get(f"/payments/orders/{order.id}/invoice"))


def test_no_invoice_is_asked_when_the_buyer_leaves_it_for_later(db):
    user = buyer()
    [order] = checkout(user, [(factories.product(stock=5), 1)], invoice_title="拉萨市某局")
    assert order.invoice is None and order.invoice_kind is None
