"""The input guard (marketplace/inputs.py): the bad inputs found in the security review answer
with a clear 4xx or an ordinary page, never a 500, on SQLite and PostgreSQL."""
import pytest

from marketplace.accounts.models import DeliveryAddress
from tests import factories
from tests.helpers import bearer, login

HUGE = str(10**20)


@pytest.mark.parametrize("body", ['{"email": "\\ud800", "password": "x"}',
                                  '{"email": "a@b.cn", "password": "\\udfff"}',
                                  '{"email": "a@b.cn", "password": "x\\u0000"}',
                                  '{"\\ud800": 1, "email": "a@b.cn", "password": "x"}'])
def test_unstorable_text_in_json_is_a_400_even_before_logging_in(client, db, body):
    answer = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == "malformed"


def test_numbers_out_of_range_in_json_are_a_422_naming_the_field(client, db):
    buyer = factories.user("purchaser")
    db.session.commit()
    answer = client.post("/api/v1/orders", headers=bearer(buyer),
                         data='{"lines": [{"product_id": 1, "quantity": 1e999}]}',
                         content_type="application/json")
    assert answer.status_code == 422
    answer = client.post("/api/v1/orders", headers=bearer(buyer),
                         json={"lines": [{"product_id": 10**30, "quantity": 1}]})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"] == {"product_id": "out_of_range"}


def test_ids_beyond_an_integer_are_refused_in_bodies_and_no_row_in_queries(client, db):
    staff = factories.user("supplier_staff")
    buyer = factories.user("purchaser")
    product = factories.product(stock=5)
    db.session.commit()
    answer = client.post("/api/v1/products", headers=bearer(staff), json={
        "name": "青稞", "category": 2**40, "unit": "斤", "price": "1.00", "stock": 1,
        "origin_region_code": "540402"})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"] == {"category": "out_of_range"}
    answer = client.post("/api/v1/orders", headers=bearer(buyer), json={
        "lines": [{"product_id": product.id, "quantity": 1}], "purpose": "canteen",
        "delivery_address": 2**40, "payment_method": "bank_transfer",
        "payment_terms": "pay_first"})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"] == {"delivery_address": "out_of_range"}
    for url in (f"/api/v1/products?category={HUGE}", f"/api/v1/products?supplier_id={HUGE}"):
        answer = client.get(url, headers=bearer(buyer))
        assert answer.status_code == 200 and answer.get_json()["total"] == 0


@pytest.mark.parametrize("role, url", [
    ("purchaser", f"/orders?page={HUGE}"), ("admin", f"/admin/audit?page={HUGE}"),
    ("admin", f"/admin/organizations?page={HUGE}"), ("admin", f"/admin/users?page={HUGE}"),
    ("auditor", f"/reports/history?page={HUGE}"), ("supplier_staff", f"/supplier/orders?page={HUGE}"),
    ("purchaser", f"/products?category={HUGE}"), ("purchaser", "/orders?from=0001-01-01"),
    ("purchaser", "/orders?to=9999-12-31"), ("admin", "/admin/audit?since=0001-01-01"),
    ("admin", "/admin/audit?until=9999-12-31"), ("auditor", f"/quota/overview?page={HUGE}"),
])
def test_huge_pages_and_dates_out_of_range_show_an_ordinary_page(client, db, role, url):
    login(client, factories.user(role))
    answer = client.get(url)
    assert answer.status_code == 200, url


def test_a_report_for_a_huge_parent_unit_is_not_found(client, db):
    login(client, factories.user("auditor"))
    assert client.get(f"/reports/?parent_id={HUGE}").status_code == 404


@pytest.mark.parametrize("url, data", [
    ("/register", {"org_name": "合作社\x00", "kind": "supplier", "region_code": "540402",
                   "contact_name": "次仁", "email": "a@b.cn", "password": "xizang-tea-42",
                   "confirm": "xizang-tea-42"}),
    ("/login", {"email": "a\x00@b.cn", "password": "x"}),
])
def test_nul_in_a_form_is_a_400_with_a_page(client, db, post_form, url, data):
    answer = post_form(url, data)
    assert answer.status_code == 400
    assert "<html" in answer.get_data(as_text=True)


def test_nul_in_an_address_or_admin_form_changes_nothing(client, db, login_as, post_form):
    login_as("purchaser")
    answer = post_form("/my/organization/addresses", {"label": "食堂", "recipient": "卓玛\x00",
                                                      "phone": "1", "address": "拉萨"})
    assert answer.status_code == 400
    assert DeliveryAddress.query.count() == 0
    org = factories.org("budget_unit")
    login_as("admin")
    answer = post_form(f"/admin/organizations/{org.id}", {"name": "新名字\x00"})
    assert answer.status_code == 400


def test_nul_in_a_query_string_is_a_400(client, db):
    assert client.get("/products?q=%00").status_code == 400


def test_typed_amounts_and_shares_are_read_as_people_write_them():
    from decimal import Decimal

    import pytest as _pytest

    from marketplace.money import ratio_input, to_ratio, yuan_to_fen

    assert yuan_to_fen("2,600,000") == 260_000_000
    assert yuan_to_fen("2,600,000.50") == 260_000_050
    assert yuan_to_fen("２，６００，０００") == 260_000_000     # full-width digits and commas
    assert yuan_to_fen("¥ 1,234.5") == 123_450
    for wrong in ("26,00", "1,2345", "1,,000", "abc", ""):
        with _pytest.raises(ValueError):
            yuan_to_fen(wrong)
    assert to_ratio("10%") == Decimal("0.10") and to_ratio("12.5％") == Decimal("0.125")
    assert to_ratio("0.1") == Decimal("0.1") and to_ratio("10") == Decimal("10")  # the API: strict
    assert (ratio_input("10"), ratio_input("10%"), ratio_input("0.1")) == ("0.1", "0.1", "0.1")
    assert ratio_input("abc") == "abc"      # left for the service to refuse with its message
    with _pytest.raises(ValueError):
        to_ratio(0.1)                       # a float is never money nor a share
