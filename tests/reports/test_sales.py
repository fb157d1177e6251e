"""Sales statistics: a supplier's accepted sales and a buyer organisation's spend by month,
product, buyer kind, supplier and origin, against orders made for the test."""
import re
from xml.etree import ElementTree

import pytest

from marketplace.extensions import db as _db
from marketplace.regions.models import Region
from marketplace.reports import sales
from tests import factories
from tests.helpers import assert_error, bearer, cst, login


@pytest.fixture(autouse=True)
def request_context(app):
    """Names are given in the reader's language, which a request decides."""
    with app.test_request_context():
        yield


@pytest.fixture
def sold(db):
    """Two buyers (a budget unit and a union) of one supplier: accepted orders in March and
    December 2025 (one accepted in part and refunded in part), and orders that must not count."""
    parties = factories.Parties()
    union_buyer = factories.user("purchaser", organization=factories.org(kind="union"))
    p, other = parties.product, parties.other  # 128.00 and 25.50 yuan
    factories.accepted_order(parties.buyer, [(p, 2)], cst(2025, 3, 10))
    # 3 ordered, 2 accepted, 10.00 refunded: 2 × 25.50 − 10.00 = 41.00
    factories.accepted_order(parties.buyer, [(other, 3)], cst(2025, 12, 31, 23, 30),
                             accepted={0: 2}, refunded={0: 1000}, status="completed")
    factories.accepted_order(union_buyer, [(p, 1)], cst(2025, 3, 1, 0, 10))
    # Not counted: cancelled, accepted in another Beijing year, only shipped.
    factories.accepted_order(parties.buyer, [(p, 5)], cst(2025, 4, 1), status="cancelled")
    factories.accepted_order(parties.buyer, [(p, 7)], cst(2026, 1, 1, 0, 5))
    factories.shipped_order(parties.buyer, [(p, 9)], cst(2025, 5, 1))
    parties.union_buyer = union_buyer
    return parties


def test_supplier_sales_count_accepted_value_less_refunds_by_beijing_month(sold):
    figures = sales.supplier_sales(sold.supplier_org.id, 2025)
    assert figures["months"] == [0, 0, 3 * 12800, 0, 0, 0, 0, 0, 0, 0, 0, 4100]
    assert figures["total_fen"] == 3 * 12800 + 4100
    assert figures["orders"] == 3


def test_supplier_sales_by_product_and_buyer_kind_named_with_shares(sold):
    figures = sales.supplier_sales(sold.supplier_org.id, 2025)
    top, second = figures["products"]
    assert (top["name"], top["quantity"], top["amount_fen"]) == (sold.product.name, 3, 38400)
    assert (second["name"], second["quantity"], second["amount_fen"]) == ("青稞面", 2, 4100)
    assert top["share"] == pytest.approx(90.4) and second["share"] == pytest.approx(9.6)
    kinds = {row["kind"]: (row["name"], row["amount_fen"]) for row in figures["buyer_kinds"]}
    assert kinds == {"budget_unit": ("预算单位", 2 * 12800 + 4100), "union": ("工会", 12800)}


def test_buyer_spend_by_month_supplier_and_origin(sold):
    figures = sales.buyer_spend([sold.buyer.organization_id], 2025)
    assert figures["months"][2] == 2 * 12800 and figures["months"][11] == 4100
    assert figures["total_fen"] == 2 * 12800 + 4100
    assert [row["name"] for row in figures["suppliers"]] == [sold.supplier_org.name]
    origin, = figures["origins"]
    assert origin["region_code"] == sold.product.origin_region_code
    assert origin["name"] and origin["name"] != origin["region_code"]
    assert origin["share"] == 100.0
    # The union's spend is its own.
    assert sales.buyer_spend([sold.union_buyer.organization_id], 2025)["total_fen"] == 12800


def test_nothing_sold_gives_twelve_empty_months(db):
    figures = sales.supplier_sales(-1, 2025)
    assert figures["months"] == [0] * 12 and figures["products"] == [] and figures["total_fen"] == 0


@pytest.mark.parametrize("text", ["abc", "20x5", "1999", "2999"])
def test_a_bad_year_is_refused_with_a_message(text):
    with pytest.raises(sales.BadYear) as refused:
        sales.parse_year(text, 2026)
    assert "年份" in str(refused.value)


def test_an_empty_year_is_this_year():
    assert sales.parse_year("", 2026) == 2026 and sales.parse_year(" 2025 ", 2026) == 2025


def test_the_supplier_page_shows_figures_chart_and_tables(client, sold):
    factories.accepted_order(sold.buyer, [(sold.product, 10)], factories.utcnow())
    login(client, sold.supplier)
    page = client.get("/reports/sales").get_data(as_text=True)
    assert "¥1,280.00" in page and sold.product.name in page and "预算单位" in page
    assert page.count('role="img"') == 2  # drawn for screens and for phones


def test_the_supplier_page_of_a_past_year_and_the_chart_bars(client, sold):
    login(client, sold.supplier)
    page = client.get("/reports/sales?year=2025").get_data(as_text=True)
    assert "¥384.00" in page and "¥41.00" in page and "工会" in page
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    bars = ElementTree.fromstring(svg).findall(".//{http://www.w3.org/2000/svg}rect[@class='bar']")
    heights = [float(bar.get("height")) for bar in bars]
    assert len(heights) == 12 and heights[2] > 0 and heights[11] > 0
    assert heights[2] / heights[11] == pytest.approx(38400 / 4100, rel=0.01)
    assert sum(heights) == pytest.approx(heights[2] + heights[11])


def test_a_bad_year_on_the_page_gives_a_message_not_an_error(client, sold):
    login(client, sold.supplier)
    response = client.get("/reports/sales?year=abc")
    assert response.status_code == 400
    assert "年份须为四位数字" in response.get_data(as_text=True)


def test_the_unit_manager_and_purchaser_see_their_organisation_spend(client, sold):
    manager = factories.user("unit_manager", organization=sold.buyer.organization)
    for who in (manager, sold.buyer):
        login(client, who)
        page = client.get("/reports/spend?year=2025").get_data(as_text=True)
        assert sold.supplier_org.name in page and "¥297.00" in page


@pytest.mark.parametrize("role, url", [("supplier_staff", "/reports/spend"),
                                       ("purchaser", "/reports/sales"),
                                       ("auditor", "/reports/sales"),
                                       ("auditor", "/reports/spend")])
def test_other_roles_are_refused(client, db, role, url):
    login(client, factories.user(role))
    assert client.get(url).status_code == 403


def test_the_api_gives_the_supplier_its_sales_as_yuan_strings(client, sold):
    answer = client.get("/api/v1/reports/sales?year=2025", headers=bearer(sold.supplier)).get_json()
    assert answer["total"] == "425.00" and answer["orders"] == 3
    assert [month["amount"] for month in answer["months"]][2::9] == ["384.00", "41.00"]
    assert answer["products"][0] == {"product_id": sold.product.id, "name": sold.product.name,
                                     "unit": sold.product.unit, "quantity": 3,
                                     "amount": "384.00", "share": 90.4}
    assert {row["kind"] for row in answer["buyer_kinds"]} == {"budget_unit", "union"}


def test_the_api_gives_the_buyer_its_spend_and_refuses_others(client, sold):
    answer = client.get("/api/v1/reports/spend?year=2025", headers=bearer(sold.buyer)).get_json()
    assert answer["total"] == "297.00"
    assert answer["suppliers"][0]["supplier_id"] == sold.supplier_org.id
    assert answer["origins"][0]["region_code"] == sold.product.origin_region_code
    assert client.get("/api/v1/reports/spend", headers=bearer(sold.supplier)).status_code == 403
    assert client.get("/api/v1/reports/sales", headers=bearer(sold.buyer)).status_code == 403
    refused = client.get("/api/v1/reports/sales?year=abc", headers=bearer(sold.supplier))
    assert_error(refused, 422, "validation_error")
    late = client.get("/api/v1/reports/sales?year=2099", headers=bearer(sold.supplier))
    assert_error(late, 422, "validation_error")


def test_english_pages_name_buyer_kinds_and_origins_in_english(client, sold):
    sold.supplier.locale = "en"
    login(client, sold.supplier)
    page = client.get("/reports/sales?year=2025").get_data(as_text=True)
    assert "By buyer kind" in page and "Trade union" in page and "Budget unit" in page
    assert "工会" not in page
    sold.buyer.locale = "en"
    login(client, sold.buyer)
    page = client.get("/reports/spend?year=2025").get_data(as_text=True)
    region = _db.session.get(Region, sold.product.origin_region_code)
    assert region.name_en and region.name_en in page


def test_the_menus_lead_to_the_statistics(client, sold):
    login(client, sold.supplier)
    assert 'href="/reports/sales"' in client.get("/").get_data(as_text=True)
    login(client, factories.user("unit_manager", organization=sold.buyer.organization))
    assert 'href="/reports/spend"' in client.get("/").get_data(as_text=True)


def test_a_unit_manager_reads_its_units_and_those_below_a_purchaser_its_own(sold, client):
    parent = sold.buyer.organization
    child = factories.org("budget_unit", name="拉萨市第二中学", parent=parent)
    outside = factories.org("budget_unit", name="日喀则市第一中学")
    child_buyer = factories.user("purchaser", organization=child)
    factories.accepted_order(child_buyer, [(sold.other, 2)], cst(2025, 6, 1))   # 51.00
    factories.accepted_order(factories.user("purchaser", organization=outside),
                             [(sold.other, 4)], cst(2025, 6, 1))
    manager = factories.user("unit_manager", organization=parent)
    _db.session.commit()
    assert sorted(sales.spend_scope(manager)) == sorted([parent.id, child.id])
    assert sales.spend_scope(sold.buyer) == [parent.id]
    figures = sales.buyer_spend(sales.spend_scope(manager), 2025)
    assert figures["total_fen"] == 2 * 12800 + 4100 + 5100
    assert {row["name"]: row["amount_fen"] for row in figures["units"]} == {
        parent.name: 2 * 12800 + 4100, "拉萨市第二中学": 5100}
    login(client, manager)
    page = client.get("/reports/spend?year=2025").get_data(as_text=True)
    assert "按单位" in page and "拉萨市第二中学" in page and "日喀则市第一中学" not in page
    answer = client.get("/api/v1/reports/spend?year=2025", headers=bearer(manager)).get_json()
    assert answer["total"] == "348.00" and len(answer["units"]) == 2
    login(client, sold.buyer)   # a purchaser of the parent: its own organisation only
    page = client.get("/reports/spend?year=2025").get_data(as_text=True)
    assert "拉萨市第二中学" not in page and "按单位" not in page
