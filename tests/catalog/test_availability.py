"""What is on sale: a suspended supplier or certification takes the goods off sale everywhere at
once — lists, search, pages, carts, checkout and the API — and reinstating puts them back."""
import pytest

from marketplace.accounts.models import Organization
from marketplace.accounts.services import set_organization_status
from marketplace.catalog import services
from marketplace.catalog.models import Product, SupplierCertification
from marketplace.ordering.models import CartItem, Order
from marketplace.ordering.services import add_to_cart, cart_by_supplier
from tests import factories
from tests.catalog.helpers import certified_staff, listed
from tests.helpers import assert_error, bearer, csrf_token, login

ORDER_BODY = {"purpose": "canteen", "delivery_address": "拉萨市城关区 机关食堂",
              "payment_method": "bank_transfer", "payment_terms": "goods_first"}


def suspend_supplier(product):
    set_organization_status(factories.user("admin"), product.supplier, "suspend", "抽检不合格")


def reactivate_supplier(product):
    set_organization_status(factories.user("admin"), product.supplier, "reactivate")


def suspend_certification(product):
    cert = SupplierCertification.query.filter_by(supplier_id=product.supplier_id).one()
    services.suspend_certification(factories.user("admin"), cert, "产地复查")


def reinstate_certification(product):
    cert = SupplierCertification.query.filter_by(supplier_id=product.supplier_id).one()
    services.approve_certification(factories.user("admin"), cert)


CASES = {"supplier": (suspend_supplier, reactivate_supplier, "supplier_suspended",
                      "供应商已被暂停"),
         "certification": (suspend_certification, reinstate_certification, "not_certified",
                           "产地认证已暂停")}


@pytest.fixture
def shop(db):
    """A product on sale, a buyer with it in the cart, another product that stays on sale."""
    product = listed(name="林芝松茸")
    other = listed(name="青稞面", stock="40")
    buyer = factories.user("purchaser")
    add_to_cart(buyer, product.id, 2)
    add_to_cart(buyer, other.id, 1)
    db.session.commit()
    return product, other, buyer


def listed_names(client, url):
    """The page's text, with a search's highlighting (<mark>) taken out of the names."""
    return client.get(url).get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize("cause", CASES)
def test_off_sale_everywhere_at_once_and_back_on_reinstatement(client, db, shop, cause):
    product, other, buyer = shop
    take_off, put_back, reason, text = CASES[cause]
    take_off(product)
    db.session.commit()
    stock_before = product.stock

    # Lists, search and pages, for visitors and buyers.
    for body in (listed_names(client, "/products"), listed_names(client, "/")):
        assert "林芝松茸" not in body and "青稞面" in body
    assert "林芝松茸" not in listed_names(client, "/products?q=松茸")
    assert client.get(f"/products/{product.id}").status_code == 404
    headers = bearer(buyer)
    api_list = client.get("/api/v1/products?q=松茸", headers=headers).get_json()
    assert api_list["total"] == 0
    assert client.get(f"/api/v1/products/{product.id}", headers=headers).status_code == 404

    # The cart shows it as unavailable with the reason; it counts in no total.
    login(client, buyer)
    cart = client.get("/cart").get_data(as_text=True)
    assert "林芝松茸" in cart and text in cart and 'data-testid="unavailable"' in cart
    groups = {group["supplier"].id: group for group in cart_by_supplier(buyer)}
    assert groups[product.supplier_id]["total_fen"] == 0

    # It cannot be added again, nor ordered: by page or API, nothing is created.
    response = client.post("/cart/add", data={"product_id": product.id, "quantity": "1",
                                              "csrf_token": _csrf(client)})
    assert response.status_code == 302
    assert CartItem.query.filter_by(user_id=buyer.id, product_id=product.id).one().quantity == 2
    error = assert_error(client.post("/api/v1/orders", headers=headers, json={
        **ORDER_BODY, "lines": [{"product_id": product.id, "quantity": 1},
                                {"product_id": other.id, "quantity": 1}]}), 409,
        "product_unavailable")
    assert error["fields"]["reason"] == reason
    page = client.get("/checkout")
    assert text in page.get_data(as_text=True)
    checkout = client.post("/checkout", data=_checkout_form(client, page))
    assert checkout.status_code == 409
    assert Order.query.count() == 0
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == stock_before

    # Reinstated: back on sale everywhere, the cart line available as it was.
    put_back(product)
    db.session.commit()
    assert "林芝松茸" in listed_names(client, "/products?q=松茸")
    assert client.get(f"/products/{product.id}").status_code == 200
    assert 'data-testid="unavailable"' not in client.get("/cart").get_data(as_text=True)
    created = client.post("/api/v1/orders", headers=headers, json={
        **ORDER_BODY, "lines": [{"product_id": product.id, "quantity": 1}]})
    assert created.status_code == 201


def _csrf(client):
    return csrf_token(client)


def _checkout_form(client, page):
    import re

    html = page.get_data(as_text=True)
    key = re.search(r'name="checkout_key"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="checkout_key"', html)
    return {"csrf_token": _csrf(client), "checkout_key": key.group(1), "purpose": "canteen",
            "address_id": "new", "new_label": "食堂", "new_recipient": "张三",
            "new_phone": "0891-1234567", "new_address": "拉萨市城关区", "payment_method":
            "bank_transfer", "payment_terms": "goods_first"}


def test_the_sql_rule_and_the_check_agree(db):
    staff = certified_staff()
    on_sale = listed(staff, name="甲")
    paused = listed(staff, name="乙")
    services.pause_product(staff, paused)
    taken = listed(staff, name="丙")
    services.take_down_product(factories.user("admin"), taken, "图片不符")
    uncertified = factories.product(name="丁")
    SupplierCertification.query.filter_by(supplier_id=uncertified.supplier_id).one().status = \
        "suspended"
    suspended = factories.product(name="戊")
    suspended.supplier.status = "suspended"
    db.session.flush()
    everything = Product.query.all()
    selling = {p.id for p in Product.query.filter(services.on_sale())}
    assert selling == {on_sale.id}
    joined = Product.query.join(Organization, Organization.id == Product.supplier_id)
    assert {p.id for p in joined.filter(services.on_sale(joined_supplier=Organization))} == \
        selling                                       # the form for a query joining the supplier
    assert {p.id for p in everything if services.unavailable_reason(p) is None} == selling
    assert [services.unavailable_reason(p) for p in (paused, taken, uncertified, suspended)] == \
        ["paused", "taken_down", "not_certified", "supplier_suspended"]


def test_stock_is_not_taken_for_a_product_that_left_sale_meanwhile(db):
    """The reservation itself reads the rule: a checkout that checked a moment before the
    suspension still takes nothing."""
    from marketplace.ordering.services.stock import reserve_stock

    product = listed(stock="10")
    suspend_supplier(product)
    with pytest.raises(services.ProductUnavailable):
        reserve_stock({product.id: 1}, {product.id: product})
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 10
