"""After-sales pages (售后): the buyer opens a return with photos from the order page, every bad
field told beside it; the supplier agrees (refund and stock back) or answers; the buyer
escalates; the admin arbitrates; each list shows what waits for its reader; nobody else sees a
case or its photos."""
import io
import re

from marketplace.catalog.models import Product
from marketplace.extensions import db as _db
from marketplace.payments.models import AfterSaleCase
from marketplace.payments.services import aftersales
from tests.factories import user
from tests.helpers import image_bytes


def _form(client, order):
    return client.get(f"/payments/orders/{order.id}/after-sales/new")


def _open(post_form, order, **fields):
    data = {"line_id": order.lines[0].id, "kind": "return", "quantity": "1",
            "reason": "到货时包装破损，两袋受潮"}
    data.update(fields)
    return post_form(f"/payments/orders/{order.id}/after-sales/new", data,
                     content_type="multipart/form-data")


def test_the_buyer_opens_a_return_with_photos_from_the_order_page(client, login_as, post_form,
                                                                   parties):
    order = parties.order(status="accepted", quantity=3)
    _db.session.commit()
    login_as(parties.buyer)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-testid="open-aftersale"' in page
    form = _form(client, order).get_data(as_text=True)
    assert "可申请 3" in form and 'type="file"' in form
    answer = _open(post_form, order, quantity="2", photos=[
        (io.BytesIO(image_bytes("JPEG")), "破损1.jpg"), (io.BytesIO(image_bytes()), "破损2.png")])
    assert answer.status_code == 302
    case = AfterSaleCase.query.one()
    assert answer.location.endswith(f"/payments/after-sales/{case.id}")
    assert (case.kind, case.quantity, len(case.photos)) == ("return", 2, 2)
    shown = client.get(answer.location).get_data(as_text=True)
    assert "待供应商处理" in shown and "到货时包装破损" in shown
    photo_urls = re.findall(r'src="(/payments/after-sales/\d+/photos/\d+)"', shown)
    assert len(photo_urls) == 2
    photo = client.get(photo_urls[0])
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    # The order page lists the case, and the buyer's list holds it.
    assert f"/payments/after-sales/{case.id}" in client.get(f"/orders/{order.id}").get_data(
        as_text=True)
    assert f"#{case.id}" in client.get("/payments/after-sales").get_data(as_text=True)


def test_every_bad_field_is_told_beside_it_and_nothing_is_kept(client, login_as, post_form,
                                                                parties):
    order = parties.order(status="accepted", quantity=3)
    _db.session.commit()
    login_as(parties.buyer)
    answer = _open(post_form, order, quantity="9", reason="拆开后发现",
                   photos=[(io.BytesIO(b"%PDF-1.4 not a photo"), "单据.pdf")])
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "数量超过可售后数量 3" in page and "照片必须是 JPEG、PNG 或 WebP 图片" in page
    assert page.count('class="field-error"') == 2
    assert "拆开后发现" in page  # what was typed stays
    too_many = _open(post_form, order, photos=[(io.BytesIO(image_bytes()), f"{n}.png")
                                               for n in range(4)])
    assert too_many.status_code == 422 and "最多上传 3 张照片" in too_many.get_data(as_text=True)
    assert AfterSaleCase.query.count() == 0


def test_the_supplier_agrees_to_a_return_and_the_goods_come_back(client, login_as, post_form,
                                                                  parties):
    order = parties.order(status="accepted", quantity=3, payment_terms="goods_first")
    case = aftersales.open_case(order, parties.buyer, order.lines[0].id, "return", 2, "变质")
    _db.session.commit()
    stock = _db.session.get(Product, parties.product.id).stock
    login_as(parties.supplier)
    workbench = client.get("/supplier/workbench").get_data(as_text=True)
    assert f"/payments/after-sales/{case.id}" in workbench
    page = client.get(f"/payments/after-sales/{case.id}").get_data(as_text=True)
    assert 'data-testid="agree-aftersale"' in page and "¥256.00" in page
    answer = post_form(f"/payments/after-sales/{case.id}/agree")
    assert answer.status_code == 302
    shown = client.get(answer.location).get_data(as_text=True)
    assert "已同意" in shown and "供应商同意" in shown
    _db.session.expire_all()
    assert _db.session.get(Product, parties.product.id).stock == stock + 2
    assert f"#{case.id}" not in client.get("/payments/after-sales").get_data(as_text=True)


def test_a_complaint_is_answered_escalated_and_arbitrated(client, login_as, post_form, parties):
    order = parties.order(status="accepted", quantity=3)
    case = aftersales.open_case(order, parties.buyer, order.lines[0].id, "complaint", 1, "少秤")
    _db.session.commit()
    url = f"/payments/after-sales/{case.id}"
    login_as(parties.supplier)
    empty = post_form(f"{url}/answer", {"answer-answer": ""})
    assert empty.status_code == 422 and 'class="field-error"' in empty.get_data(as_text=True)
    assert post_form(f"{url}/answer", {"answer-answer": "出库称重单据齐全"}).status_code == 302
    login_as(parties.buyer)
    page = client.get(url).get_data(as_text=True)
    assert "出库称重单据齐全" in page and 'data-testid="escalate-aftersale"' in page
    assert post_form(f"{url}/escalate").status_code == 302
    admin = login_as("admin")
    assert f"#{case.id}" in client.get("/payments/after-sales").get_data(as_text=True)
    unchosen = post_form(f"{url}/arbitrate", {"arbitrate-note": "照片不清楚"})
    assert unchosen.status_code == 422 and "请选择仲裁结果" in unchosen.get_data(as_text=True)
    assert "照片不清楚" in unchosen.get_data(as_text=True)
    decided = post_form(f"{url}/arbitrate", {"arbitrate-decision": "supplier",
                                             "arbitrate-note": "称重记录完整"})
    assert decided.status_code == 302
    shown = client.get(url).get_data(as_text=True)
    assert "已关闭" in shown and "称重记录完整" in shown and "仲裁：支持供应商" in shown
    assert admin.name in shown


def test_nobody_else_sees_a_case_or_its_photos(client, login_as, parties):
    order = parties.order(status="accepted", quantity=3)
    case = aftersales.open_case(order, parties.buyer, order.lines[0].id, "return", 1, "变质",
                                [image_bytes()])
    _db.session.commit()
    photo = case.photos[0]
    for who in ("supplier_staff", "purchaser", "auditor"):
        login_as(who)
        assert client.get(f"/payments/after-sales/{case.id}").status_code in (403, 404)
        assert client.get(
            f"/payments/after-sales/{case.id}/photos/{photo.id}").status_code in (403, 404)
    login_as(user("supplier_staff"))
    assert client.get(f"/payments/orders/{order.id}/after-sales/new").status_code == 403


def test_no_case_can_be_opened_before_acceptance(client, login_as, parties):
    order = parties.order(status="shipped", quantity=3)
    _db.session.commit()
    login_as(parties.buyer)
    assert 'data-testid="open-aftersale"' not in client.get(f"/orders/{order.id}").get_data(
        as_text=True)
    refused = client.get(f"/payments/orders/{order.id}/after-sales/new", follow_redirects=True)
    assert "订单验收后才能申请售后" in refused.get_data(as_text=True)
    assert 'data-testid="aftersale-form"' not in refused.get_data(as_text=True)
