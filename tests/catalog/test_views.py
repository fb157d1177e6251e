"""Catalog pages: browsing, the supplier portal and the admin console through the test client."""
import io

import pytest

from marketplace.catalog import services
from marketplace.catalog.models import Product, ProductPhoto, SupplierCertification
from tests import factories
from tests.catalog.helpers import MEDOG, NYINGCHI, certified_staff, leaf, listed
from tests.helpers import PDF, image_bytes, statements_during, upload


def test_home_shows_categories_and_featured_regions(client, db):
    listed(category=leaf("菌菇", "农产品").id)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "农产品" in page and "菌菇" in page and "林芝市" in page and "林芝松茸" in page


def test_the_product_list_issues_a_bounded_number_of_queries(client, db):
    staffs = [certified_staff() for _ in range(3)]
    for number in range(30):
        product = listed(staffs[number % 3], name=f"青稞{number}", price=f"{10 + number}")
        if number % 2:
            product.photos.append(ProductPhoto(stored_name=f"{number:032x}.jpg",
                                                        thumb_name=f"{number:032x}_t.jpg"))
    db.session.commit()
    small = statements_during(lambda: client.get("/products?per_page=5&q=青稞"))
    large = statements_during(lambda: client.get("/products?per_page=30&q=青稞"))
    # (On PostgreSQL one of them asks that the list be planned for its own values.)
    assert len(large) == len(small) <= 13


def test_the_product_page_reads_the_product_with_what_it_shows_at_once(client, db, login_as):
    product = listed(certified_staff(), name="墨脱石锅")
    for number in range(3):
        product.photos.append(ProductPhoto(stored_name=f"{number:032x}.jpg",
                                           thumb_name=f"{number:032x}_t.jpg", position=number))
    db.session.commit()
    product_id = product.id
    db.session.expunge_all()           # as in a new request: nothing loaded yet
    visitor = statements_during(lambda: client.get(f"/products/{product_id}"))
    # The product with its supplier, category, origin chain (one query), its photos, whether
    # its supplier's certification is in force, the category's reference price, the rating
    # and the reviews.
    assert len(visitor) <= 7, visitor
    login_as("purchaser")
    db.session.expunge_all()
    page = client.get(f"/products/{product_id}").get_data(as_text=True)
    assert "墨脱石锅" in page and "巴宜区" in page and "林芝市" in page


def test_filters_sorting_and_pagination(client, db):
    staff = certified_staff(NYINGCHI, MEDOG)
    listed(staff, name="墨脱石锅", origin_region_code=MEDOG, price="300", labels=["gi"])
    listed(staff, name="巴宜松茸", price="100", stock="0")
    listed(staff, name="巴宜青稞", price="20")
    db.session.commit()

    def names(query):
        page = client.get("/products" + query)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        return [name for name in ("墨脱石锅", "巴宜松茸", "巴宜青稞") if name in text]

    assert names("?region=540423") == ["墨脱石锅"]
    assert set(names("?region=540400")) == {"墨脱石锅", "巴宜松茸", "巴宜青稞"}
    assert names("?in_stock=1&max_price=200") == ["巴宜青稞"]
    assert names("?label=gi") == ["墨脱石锅"]
    assert names("?min_price=50&max_price=150") == ["巴宜松茸"]
    text = client.get("/products?sort=price_asc").get_data(as_text=True)
    assert text.index("巴宜青稞") < text.index("巴宜松茸") < text.index("墨脱石锅")
    text = client.get("/products?sort=price_desc&per_page=1&page=2").get_data(as_text=True)
    assert "巴宜松茸" in text and "墨脱石锅" not in text and "第 2 / 3 页" in text
    for odd in ("?page=abc", "?min_price=-x", "?region=../..", "?sort=drop", "?q=%25_%27",
                "?category=999999", "?per_page=100000"):
        assert client.get("/products" + odd).status_code == 200


def test_product_page_shows_html_as_text_and_the_price_comparison(client, db):
    product = listed(name="<b>松茸</b>", description="<script>alert(1)</script>", price="200")
    services.set_reference_price(factories.user("admin"), leaf(), "斤", "100")
    db.session.commit()
    page = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "&lt;b&gt;松茸&lt;/b&gt;" in page and "<script>alert(1)</script>" not in page
    assert "¥100.00" in page and "30%" in page
    assert "巴宜区" in page and "林芝市" in page


def test_paused_products_are_hidden_from_buyers_but_not_their_supplier(client, db, login_as):
    product = listed()
    staff = product.supplier.users[0]
    services.pause_product(staff, product)
    db.session.commit()
    assert client.get(f"/products/{product.id}").status_code == 404
    login_as(staff)
    assert client.get(f"/products/{product.id}").status_code == 200


def test_supplier_lists_a_product_with_photos_through_the_form(client, db, login_as, post_form):
    staff = certified_staff()
    category = leaf()
    login_as(staff)
    assert client.get("/supplier/products/new").status_code == 200
    response = post_form("/supplier/products/new", {
        "name": "林芝松茸", "category": str(category.id), "unit": "斤", "spec": "500g/袋",
        "price": "128.00", "stock": "40", "min_order_qty": "1", "origin_region_code": NYINGCHI,
        "labels": ["organic"],
        "photos": [(io.BytesIO(image_bytes("PNG")), "a.png"),
                   (io.BytesIO(image_bytes("JPEG")), "b.jpg")],
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    product = Product.query.one()
    assert len(product.photos) == 2 and product.labels == "organic"
    photo = client.get(f"/media/catalog/{product.photos[0].thumb_name}")
    assert photo.status_code == 200 and photo.mimetype in ("image/jpeg", "image/png")
    assert client.get("/media/catalog/" + "0" * 32 + ".jpg").status_code == 404
    assert client.get("/media/catalog/..%2F..%2Fetc%2Fpasswd").status_code == 404


@pytest.mark.parametrize("changes,message", [
    ({"price": "-3"}, "价格"), ({"stock": "-1"}, "库存"), ({"origin_region_code": MEDOG}, None),
    ({"photos": "not an image"}, "图片"),
])
def test_bad_product_form_input_is_shown_and_nothing_stored(client, db, login_as, post_form,
                                                             changes, message):
    staff = certified_staff()
    category = leaf()
    login_as(staff)
    data = {"name": "<i>松茸</i>", "category": str(category.id), "unit": "斤", "price": "128",
            "stock": "5", "origin_region_code": NYINGCHI}
    data.update(changes)
    if "photos" in changes:
        data["photos"] = [(io.BytesIO(changes["photos"].encode()), "x.png")]
    response = post_form("/supplier/products/new", data, content_type="multipart/form-data")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "&lt;i&gt;松茸&lt;/i&gt;" in text        # what was typed is kept, as text
    if message:
        assert message in text
    assert Product.query.count() == 0


def test_supplier_pauses_resumes_and_archives_from_my_products(client, db, login_as, post_form):
    product = listed()
    login_as(product.supplier.users[0])
    assert post_form(f"/supplier/products/{product.id}/pause").status_code == 302
    assert db.session.get(Product, product.id).status == "paused"
    post_form(f"/supplier/products/{product.id}/resume")
    post_form(f"/supplier/products/{product.id}/archive")
    db.session.expire_all()
    assert db.session.get(Product, product.id).status == "archived"


def test_a_supplier_cannot_touch_another_suppliers_product(client, db, login_as, post_form):
    product = listed()
    login_as(certified_staff())
    assert client.get(f"/supplier/products/{product.id}/edit").status_code == 404
    assert post_form(f"/supplier/products/{product.id}/pause").status_code == 404
    assert db.session.get(Product, product.id).status == "active"


@pytest.mark.parametrize("role,url", [
    ("purchaser", "/supplier/products"), ("purchaser", "/supplier/certifications"),
    ("supplier_staff", "/admin/catalog/certifications"), ("auditor", "/admin/catalog/products"),
    ("purchaser", "/admin/catalog/reference-prices"),
])
def test_portals_check_the_role(client, db, login_as, role, url):
    login_as(role)
    assert client.get(url).status_code == 403


def test_certification_apply_review_and_take_down_through_the_pages(client, db, login_as,
                                                                     post_form):
    staff = factories.user("supplier_staff", organization=factories.org("supplier"))
    admin = factories.user("admin")
    login_as(staff)
    response = post_form("/supplier/certifications", {
        "region_codes": [NYINGCHI], "documents": [(io.BytesIO(PDF), "执照.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    document = services.documents_of(staff.organization)[0]
    assert client.get(f"/supplier/documents/{document.stored_name}").status_code == 200
    login_as(factories.user("supplier_staff", organization=factories.org("supplier")))
    assert client.get(f"/supplier/documents/{document.stored_name}").status_code == 404

    login_as(admin)
    queue = client.get("/admin/catalog/certifications").get_data(as_text=True)
    assert staff.organization.name in queue and "执照.pdf" in queue
    cert = SupplierCertification.query.one()
    approved = post_form(f"/admin/catalog/certifications/{cert.id}/approve", follow_redirects=True)
    assert "已批准" in approved.get_data(as_text=True), approved.get_data(as_text=True)[-3000:]
    db.session.expire_all()
    assert SupplierCertification.query.one().status == "approved"
    assert services.is_certified(staff.organization, NYINGCHI)

    product = listed(staff)
    db.session.commit()
    no_reason = post_form(f"/admin/catalog/products/{product.id}/take-down", {"reason": ""})
    assert no_reason.status_code == 302
    assert db.session.get(Product, product.id).status == "active"
    post_form(f"/admin/catalog/products/{product.id}/take-down", {"reason": "照片与实物不符"})
    login_as(staff)
    page = client.get("/supplier/products").get_data(as_text=True)
    assert "照片与实物不符" in page


def test_a_bad_certification_document_is_refused_on_the_page(client, db, login_as, post_form):
    staff = factories.user("supplier_staff", organization=factories.org("supplier"))
    login_as(staff)
    response = post_form("/supplier/certifications", {
        "region_codes": [NYINGCHI], "documents": [(io.BytesIO(b"MZ..."), "virus.exe")]},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "PDF" in response.get_data(as_text=True)
    assert SupplierCertification.query.count() == 0


def test_admin_sets_a_reference_price_and_sees_flagged_listings(client, db, login_as, post_form):
    product = listed(price="200")
    login_as("admin")
    response = post_form("/admin/catalog/reference-prices",
                         {"category": str(product.category_id), "unit": "斤", "price": "100"})
    assert response.status_code == 302
    page = client.get("/admin/catalog/products?flagged=1").get_data(as_text=True)
    assert "林芝松茸" in page and "¥100.00" in page
    bad = post_form("/admin/catalog/reference-prices",
                    {"category": str(product.category_id), "unit": "斤", "price": "-1"})
    assert bad.status_code == 422


def test_admin_adds_a_two_level_category(client, db, login_as, post_form):
    login_as("admin")
    post_form("/admin/catalog/categories", {"name": "茶饮", "sort_order": "0"})
    top = services.category_tree()[0][0]
    post_form("/admin/catalog/categories", {"name": "酥油茶", "parent_id": str(top.id),
                                            "sort_order": "0"})
    child = services.category_tree()[0][1][0]
    response = post_form("/admin/catalog/categories", {"name": "三级", "parent_id": str(child.id),
                                                       "sort_order": "0"})
    assert response.status_code == 422
    assert [(t.name, [c.name for c in cs]) for t, cs in services.category_tree()] == \
        [("茶饮", ["酥油茶"])]


def test_a_buyer_reviews_after_acceptance_and_the_store_shows_the_average(client, db, login_as,
                                                                          post_form):
    product = listed()
    buyer = factories.user("purchaser")
    factories.order(buyer, [(product, 1)], status="accepted")
    login_as(buyer)
    assert "提交评价" in client.get(f"/products/{product.id}").get_data(as_text=True)
    post_form(f"/products/{product.id}/reviews", {"stars": "4", "text": "<b>好</b>"})
    page = client.get(f"/stores/{product.supplier_id}").get_data(as_text=True)
    assert "4.0" in page
    product_page = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "&lt;b&gt;好&lt;/b&gt;" in product_page


def test_region_page_lists_what_a_county_sells(client, db):
    listed()
    db.session.commit()
    page = client.get(f"/origins/{NYINGCHI}").get_data(as_text=True)
    assert "巴宜区" in page and "林芝松茸" in page
    assert client.get("/origins/999999").status_code == 404
    assert client.get("/origins/abc").status_code == 404


def test_pages_are_translated_to_english(client, db):
    product = listed(price="200")
    services.set_reference_price(factories.user("admin"), leaf(), "斤", "100")
    db.session.commit()
    client.get("/language/en")
    text = client.get("/products").get_data(as_text=True)
    assert "Filter and sort" in text and ">1 product<" in text
    page = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "Market reference price" in page and "more than 30% above" in page


def test_supplier_edits_a_product_and_removes_a_photo(client, db, login_as, post_form):
    staff = certified_staff()
    product = services.create_product(staff, {
        "name": "松茸", "category": leaf().id, "unit": "斤", "price": "100", "stock": "5",
        "origin_region_code": NYINGCHI}, photos=[upload(image_bytes())])
    photo = product.photos[0]
    login_as(staff)
    form = client.get(f"/supplier/products/{product.id}/edit").get_data(as_text=True)
    assert 'value="100.00"' in form and 'value="松茸"' in form
    response = post_form(f"/supplier/products/{product.id}/edit", {
        "name": "林芝松茸", "category": str(product.category_id), "unit": "斤", "price": "90.5",
        "stock": "9", "min_order_qty": "2", "origin_region_code": NYINGCHI,
        "remove_photo": [str(photo.id)]}, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert (product.name, product.price_fen, product.stock, product.min_order_qty) == \
        ("林芝松茸", 9050, 9, 2)
    assert product.photos == []
    assert client.get(f"/media/catalog/{photo.thumb_name}").status_code == 404


def test_a_lapsed_certification_still_allows_editing_stock_but_not_resuming(db):
    product = listed()
    staff = product.supplier.users[0]
    cert, = services.certifications_of(product.supplier)
    services.suspend_certification(factories.user("admin"), cert, "复查")
    services.update_product(staff, product, {"stock": 3, "origin_region_code": NYINGCHI})
    assert product.stock == 3 and services.unavailable_reason(product) == "not_certified"


def test_renaming_a_category_updates_search(client, db, login_as, post_form):
    product = listed(category=leaf("菌菇").id)
    login_as("admin")
    response = post_form(f"/admin/catalog/categories/{product.category_id}",
                         {"name": "野生菌", "name_en": "Wild mushrooms"})
    assert response.status_code == 302
    assert services.list_products(services.ProductFilters(q="野生菌")).total == 1
    assert services.list_products(services.ProductFilters(q="mushrooms")).total == 1
    assert post_form(f"/admin/catalog/categories/{product.category_id}",
                     {"name": ""}).status_code == 302
    assert post_form("/admin/catalog/categories/9999", {"name": "x"}).status_code == 404


def test_admin_listing_console_finds_products_in_every_state(client, db, login_as):
    product = listed(name="风干牦牛肉")
    services.pause_product(product.supplier.users[0], product)
    login_as("admin")
    page = client.get("/admin/catalog/products?q=牦牛").get_data(as_text=True)
    assert "风干牦牛肉" in page and "已暂停" in page
    assert client.get("/admin/catalog/products?q=%25").status_code == 200
    assert client.get("/admin/catalog/certifications?status=bogus").status_code == 200


def test_the_supplier_sees_the_rejection_reason_and_the_history(client, db, login_as, post_form):
    staff = factories.user("supplier_staff", organization=factories.org("supplier"))
    cert, = services.apply_for_certification(
        staff, [MEDOG], [upload(PDF, "licence.pdf", "application/pdf")])
    login_as("admin")
    assert post_form(f"/admin/catalog/certifications/{cert.id}/reject",
                     {"reason": "执照已过期"}).status_code == 302
    assert post_form(f"/admin/catalog/certifications/{cert.id}/bogus").status_code == 404
    login_as(staff)
    page = client.get("/supplier/certifications").get_data(as_text=True)
    assert "已驳回" in page and "执照已过期" in page and "墨脱县" in page
    assert page.count("执照已过期") == 2     # the reason, and the history line of the rejection


def test_admin_sees_a_products_own_reference_in_the_form(client, db, login_as, post_form):
    product = listed(price="200")
    login_as("admin")
    post_form(f"/admin/catalog/products/{product.id}/reference-price", {"reference_price": "150.5"})
    page = client.get("/admin/catalog/products").get_data(as_text=True)
    assert 'value="150.50"' in page and "高于参考价 30% 以上" in page


def test_a_long_list_shows_its_count_capped_and_still_pages_to_the_end(client, db, monkeypatch):
    from marketplace.catalog.views import browse as views

    monkeypatch.setattr(views, "COUNT_CAP", 3)
    staff = certified_staff()
    for number in range(5):
        listed(staff, name=f"青稞{number}", price=f"{10 + number}")
    db.session.commit()

    def page(number):
        response = client.get(f"/products?sort=price_asc&per_page=1&page={number}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    first = page(1)
    assert "共 3+ 件商品" in first and "青稞0" in first and 'rel="next"' in first
    third = page(3)
    assert "青稞2" in third and 'rel="next"' in third
    last = page(5)
    assert "共 5 件商品" in last and "青稞4" in last and 'rel="next"' not in last
    assert "第 5 / 5 页" in last
    # Under the cap the count is exact, and the JSON API always gives the exact total.
    monkeypatch.setattr(views, "COUNT_CAP", 10)
    assert "共 5 件商品" in page(1)


def test_the_capped_count_is_exact_when_the_service_is_not_asked_to_cap(db):
    staff = certified_staff()
    for number in range(4):
        listed(staff, name=f"酥油{number}")
    db.session.commit()
    exact = services.list_products(services.ProductFilters(q="酥油"), per_page=1)
    capped = services.list_products(services.ProductFilters(q="酥油"), per_page=1, count_cap=2)
    assert (exact.total, exact.capped, exact.total_label) == (4, False, "4")
    assert (capped.total, capped.capped, capped.total_label) == (2, True, "2+")
    assert [p.name for p in capped.items] == [p.name for p in exact.items]


def test_a_product_form_with_several_bad_fields_shows_every_message_and_keeps_the_input(
        client, db, login_as, post_form):
    staff = certified_staff()
    category = leaf()
    login_as(staff)
    data = {"name": "", "category": str(category.id), "unit": "斤", "price": "十二元",
            "stock": "很多", "min_order_qty": "0", "spec": "500g/袋",
            "origin_region_code": NYINGCHI}
    response = post_form("/supplier/products/new", data, content_type="multipart/form-data")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    for message in ("必须是金额", "库存 必须是整数", "起订量 须在 1 到"):
        assert message in text, message
    assert 'value="十二元"' in text and 'value="很多"' in text and 'value="500g/袋"' in text
    assert Product.query.count() == 0
    # A price with thousands separators is a price.
    data.update(name="林芝松茸", price="1,280.00", stock="1,000", min_order_qty="1")
    data["stock"] = "1000"
    assert post_form("/supplier/products/new", data,
                     content_type="multipart/form-data").status_code == 302
    assert Product.query.one().price_fen == 128000


def test_the_api_names_every_bad_product_field_at_once(client, db):
    from marketplace.catalog import services
    from marketplace.errors import ValidationError

    staff = certified_staff()
    with pytest.raises(ValidationError) as refused:
        services.create_product(staff, {"name": "", "category": str(leaf().id), "unit": "",
                                        "price": "abc", "stock": "-1",
                                        "origin_region_code": NYINGCHI})
    assert set(refused.value.fields) == {"name", "unit", "price", "stock"}
    assert "价格" in refused.value.messages["price"] and "库存" in refused.value.messages["stock"]


def test_a_price_names_its_spec_only_and_counts_read_right_in_english(client, db):
    staff = certified_staff()
    radish = listed(staff, name="高原萝卜", unit="斤", spec="斤")
    mushroom = listed(staff, name="林芝松茸", unit="斤", spec="500g/袋")
    db.session.commit()
    page = client.get(f"/products/{radish.id}").get_data(as_text=True)
    assert "/ 斤</p>" in page and "斤 · 斤" not in page
    assert "/ 斤 · 500g/袋" in client.get(f"/products/{mushroom.id}").get_data(as_text=True)
    cards = client.get("/products").get_data(as_text=True)
    assert "斤 · 斤" not in cards and "/ 斤 · 500g/袋" in cards
    client.get("/language/en")
    assert "<h2>Reviews</h2>" in client.get(f"/products/{radish.id}").get_data(as_text=True)
    assert ">1 product<" in client.get("/products?q=萝卜").get_data(as_text=True)
    assert ">2 products<" in client.get("/products").get_data(as_text=True)
