"""Every form tells every problem at once, each beside its field, and keeps what was typed.

One table of forms: (url, role, what is posted with two bad fields (or a function of the test
world giving it), {field id: words of the message shown beside it (None: any message)}, texts
typed that the page must show again). Most pairs pass the form's own checks and are refused by
the service, which must collect both.
"""
import html
import re

import pytest

from marketplace.extensions import db
from tests import factories
from tests.catalog.helpers import certified_staff
from tests.compliance.helpers import unit

LONG_NAME = "次" * 90  # within the form's 100 characters, beyond the organisation's 80
WEAK = "aaaaaaaaaaaa"  # long enough for the form, one repeated character for the service

FORMS = [
    pytest.param("/register", None,
                 {"kind": "supplier", "org_name": "林芝巴宜区松茸专业合作社",
                  "region_code": "540402", "contact_name": LONG_NAME, "contact_phone": "138",
                  "email": "ciren@example.com", "password": WEAK, "confirm": WEAK},
                 {"contact_name": "内容过长", "password": "同一个字符"},
                 ["林芝巴宜区松茸专业合作社", LONG_NAME, "ciren@example.com"], id="registration"),
    pytest.param("/my/password", "purchaser",
                 {"current_password": "not-my-password-1", "password": WEAK, "confirm": WEAK},
                 {"current_password": "当前密码不正确", "password": "同一个字符"}, [],
                 id="password-change"),
    pytest.param("/my/organization/members", "unit_manager",
                 {"name": "次" * 101, "email": "dawa@example.com", "password": WEAK,
                  "role": "purchaser"},
                 {"name": None, "password": "同一个字符"}, ["dawa@example.com"],
                 id="member"),
    pytest.param("/my/organization/addresses", "unit_manager",
                 {"label": "", "recipient": "次仁央宗", "phone": "", "address": "拉萨市城关区北京中路 8 号"},
                 {"label": None, "phone": None}, ["次仁央宗", "拉萨市城关区北京中路 8 号"],
                 id="address"),
    pytest.param("/quota/admin/policies", "admin",
                 {"kind": "policy", "policy-region_prefix": "5x", "policy-year": "2026",
                  "policy-min_ratio": "150%", "policy-eligible_origin_prefixes": "54"},
                 {"policy-region_prefix": "1 到 6 位数字", "policy-min_ratio": "0 到 1"},
                 ["5x", "150%"], id="policy"),
    pytest.param("/admin/catalog/reference-prices", "admin",
                 lambda: {"category": str(factories.category("菌菇").id), "unit": "斤" * 21,
                          "price": "一百二十", "note": "市场均价"},
                 {"unit": None, "price": None}, ["一百二十", "市场均价"], id="reference-price"),
    pytest.param("/admin/catalog/synonyms", "admin",
                 {"word": "松 茸", "other": "松茸!", "kind": "equal"},
                 {"word": "不含空格和标点", "other": "不含空格和标点"}, ["松 茸", "松茸!"],
                 id="synonym"),
    pytest.param("/pairings/board/new", "admin",
                 {"county_code": "540402", "village": "鲁朗村", "kind": "product",
                  "title": "鲁朗松茸寻找长期买家", "quantity": "", "unit": "", "season": ""},
                 {"quantity": "大于 0", "unit": "计量单位", "season": "上市季节"},
                 ["鲁朗村", "鲁朗松茸寻找长期买家"], id="village-need"),
    pytest.param("/payments/orders/{order}/invoice", "buyer",
                 {"ask-title": "拉萨市第一中学", "ask-tax_number": "12345",
                  "ask-kind": "special", "ask-email": "caiwu@"},
                 {"ask-tax_number": "纳税人识别号", "ask-email": "有效的电子邮箱"},
                 ["拉萨市第一中学", "12345", "caiwu@"], id="invoice-request"),
    pytest.param("/credit/suppliers/{supplier}/corrections", "admin",
                 {"points": "五分", "reason": "迟" * 501},
                 {"points": "整数", "reason": "500"}, ["五分"], id="credit-correction"),
    pytest.param("/admin/organizations/new", "admin",
                 {"name": "拉萨市总工会", "kind": "union", "region_code": "540102",
                  "parent_id": "0", "budget_unit_id": "0", "approval_threshold": "五千元"},
                 {"budget_unit_id": "所属的预算单位", "approval_threshold": "金额"},
                 ["拉萨市总工会", "五千元"], id="admin-organization"),
    pytest.param("/quota/filing?year=2026", "unit_manager",
                 {"canteen_status": "own", "food_budget": "2,600,000 元整", "ratio": "5%"},
                 {"food_budget": "金额", "ratio": "不得低于"}, ["2,600,000 元整", "5%"],
                 id="quota-filing"),
    pytest.param("/supplier/certifications", "supplier_staff", {},
                 {"region_codes": "产地县", "documents": "证明材料"}, [], id="certification"),
    pytest.param("/admin/catalog/categories", "admin",
                 {"name": "", "name_en": "Mushroom" * 11, "parent_id": "", "sort_order": "5000"},
                 {"name": None, "name_en": None, "sort_order": None}, ["Mushroom" * 11],
                 id="category"),
    pytest.param("/quota/admin/policies", "admin",
                 {"kind": "window", "window-year": "1900", "window-opens_on": "2026-01-01",
                  "window-closes_on": ""},
                 {"window-year": None, "window-closes_on": None}, ["2026-01-01"],
                 id="filing-window"),
    pytest.param("/pairings/new", "admin",
                 lambda: {"county_code": certified_staff().organization.region_code, "enterprise_id": "", "village": "", "year": "2026",
                  "target_amount": "五万元"},
                 {"village": None, "target_amount": "金额"}, ["五万元"], id="pairing"),
]


def shown_errors(page):
    """{field id: the message shown beside it} of a rendered form."""
    found = re.findall(r'<small id="([\w-]+)-error" class="field-error">(.*?)</small>', page, re.S)
    return {name: html.unescape(text) for name, text in found}


def sign_in(login_as, role, url):
    """Sign in a user of `role` ("buyer": the buyer of an accepted order) and fill the ids the
    url names ({order}, {supplier})."""
    ids = {}
    if role == "buyer":
        parties = factories.Parties()
        ids["order"] = parties.order("accepted").id
        login_as(parties.buyer)
    elif role == "unit_manager":
        login_as("unit_manager", organization=unit())
    elif role:
        login_as(role)
    if "{supplier}" in url:
        ids["supplier"] = factories.org("supplier").id
    db.session.commit()  # a refused form rolls back what the request saw uncommitted
    return url.format(**ids)


@pytest.mark.parametrize("url,role,data,expected,typed", FORMS)
def test_a_form_shows_every_bad_field_beside_it_and_keeps_what_was_typed(
        client, login_as, post_form, url, role, data, expected, typed):
    url = sign_in(login_as, role, url)
    response = post_form(url, data() if callable(data) else data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:2000]
    shown = shown_errors(page)
    for field, words in expected.items():
        assert field in shown, (field, shown)
        assert words is None or words in shown[field], (field, shown[field])
    text = html.unescape(page)
    for value in typed:
        assert f'value="{value}"' in text or f">{value}<" in text, value


def test_acceptance_tells_every_bad_line_at_once_and_keeps_the_quantities(client, login_as,
                                                                          post_form):
    parties = factories.Parties()
    order = parties.order("shipped", quantity=2, other_quantity=1)
    db.session.commit()
    login_as(parties.buyer)
    first, second = order.lines
    response = post_form(f"/orders/{order.id}/accept",
                         {f"line_{first.id}": "两箱", f"line_{second.id}": "9"})
    raw = response.get_data(as_text=True)
    page = html.unescape(raw)
    assert response.status_code == 422
    # Each message beside its own line's input, not only above the form.
    shown = shown_errors(raw)
    assert f"{first.product_name} 的验收数量必须是整数" in shown[f"line_{first.id}"]
    assert f"{second.product_name} 的验收数量应在 0 到 {second.quantity} 之间" in \
        shown[f"line_{second.id}"]
    assert 'value="两箱"' in page and 'value="9"' in page
