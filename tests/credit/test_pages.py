"""The credit page: points, tier, what moved them (with links), the way up, twelve months."""
import re

import pytest

from marketplace.audit.models import AuditEntry
from marketplace.catalog import services as catalog
from marketplace.credit import services
from marketplace.credit.models import CreditEvent
from tests import factories
from tests.credit.helpers import deliver, review, trade


@pytest.fixture
def world(db):
    world = trade()
    first = deliver(world, quantity=2)
    refused = deliver(world, quantity=5, accepted=3, hours_to_ship=90)
    review(world, world.products[0], 5)
    catalog.take_down_product(world.admin, world.products[1], "图片与实物不符")
    world.orders = [first, refused]
    db.session.commit()
    return world


def test_the_supplier_reads_its_points_tier_and_each_event_with_links(client, login_as, world):
    login_as(world.staff)
    response = client.get("/credit/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    points = 2 - 3 - 1 + 1 - 5
    assert re.search(rf'data-testid="credit-points">{points}<', page)
    assert "普通" in page and "再得 26 分可升为「银卡」" in page
    for order in world.orders:
        assert f'href="/orders/{order.id}"' in page and order.number in page
    assert f'href="/products/{world.products[1].id}"' in page and "图片与实物不符" in page
    for label in ("订单全部验收", "订单部分拒收", "确认后超过 72 小时发货", "获得 4–5 星评价",
                  "商品被平台下架"):
        assert label in page
    assert 'data-testid="statement-download"' in page


def test_the_page_tells_what_to_do_to_rise_from_the_suppliers_own_record(client, login_as, world):
    login_as(world.staff)
    advice = client.get("/credit/").get_data(as_text=True).split('data-testid="credit-advice"')[1]
    advice = advice.split("</section>")[0]
    # The most costly habit first: the take-down (−5), then the refusal (−3), the late shipment.
    assert advice.index("遵守上架规则") < advice.index("发货前核对") < advice.index("72 小时内发货")
    assert "取消订单" not in advice.split("<details>")[0]  # it never cancelled


def test_twelve_months_of_accepted_sales_are_drawn_and_listed(client, login_as, world):
    login_as(world.staff)
    page = client.get("/credit/").get_data(as_text=True)
    svg = page.split('<figure class="credit-chart">')[1].split("</figure>")[0]
    assert svg.count("<rect") == 12 and "<script" not in svg
    months = services.monthly_sales(world.supplier.id)
    price = world.products[0].price_fen
    assert months[-1].amount_fen == (2 + 3) * price and months[-1].orders == 2
    assert sum(month.amount_fen for month in months[:-1]) == 0
    assert f"¥{(2 + 3) * price / 100:,.2f}" in page


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_admins_and_auditors_read_any_suppliers_page(client, login_as, world, role):
    login_as(role)
    response = client.get(f"/credit/suppliers/{world.supplier.id}")
    assert response.status_code == 200
    assert world.supplier.name in response.get_data(as_text=True)


def test_the_list_ranks_suppliers_by_points_and_filters_by_tier(client, login_as, world, db):
    other = trade()
    services.correct(other.admin, other.supplier, 60, "迁移历史记录")
    db.session.commit()
    login_as("auditor")
    page = client.get("/credit/").get_data(as_text=True)
    assert page.index(other.supplier.name) < page.index(world.supplier.name)
    gold = client.get("/credit/?tier=gold").get_data(as_text=True)
    assert other.supplier.name in gold and world.supplier.name not in gold
    found = client.get("/credit/?q=" + world.supplier.name[-3:]).get_data(as_text=True)
    assert world.supplier.name in found


def test_another_supplier_a_buyer_and_a_visitor_cannot_read_it(client, login_as, world):
    url = f"/credit/suppliers/{world.supplier.id}"
    assert client.get(url).status_code == 302  # to the login page
    login_as("supplier_staff")
    assert client.get(url).status_code == 403
    login_as("purchaser")
    assert client.get(url).status_code == 403
    assert client.get("/credit/").status_code == 403


def test_an_unknown_supplier_is_not_found(client, login_as, world):
    login_as("admin")
    assert client.get("/credit/suppliers/999999").status_code == 404
    buyer_org = world.buyer.organization_id
    assert client.get(f"/credit/suppliers/{buyer_org}").status_code == 404


def test_reading_the_pages_writes_nothing(client, login_as, world, db):
    login_as(world.staff)
    before = (CreditEvent.query.count(), AuditEntry.query.count())
    client.get("/credit/")
    client.get("/credit/?page=2")
    assert (CreditEvent.query.count(), AuditEntry.query.count()) == before


def test_the_events_are_paged(client, login_as, db):
    world = trade()
    for number in range(services.EVENTS_PER_PAGE + 3):
        services.correct(world.admin, world.supplier, 1, f"补录 {number}")
    db.session.commit()
    login_as(world.staff)
    first = client.get("/credit/").get_data(as_text=True)
    second = client.get("/credit/?page=2").get_data(as_text=True)
    assert first.count("补录 ") == services.EVENTS_PER_PAGE and second.count("补录 ") == 3


def test_the_page_reads_in_english(client, login_as, world):
    login_as(world.staff)
    client.get("/language/en")
    page = client.get("/credit/").get_data(as_text=True)
    for text in ("Credit points", "Order accepted in full", "How to rise", "Standard",
                 "Download the credit statement (PDF)", "Accepted sales per month (yuan)"):
        assert text in page
    assert not re.search(r"[\u4e00-\u9fff]", page.split("<main")[1].split("</main>")[0]
                         .replace(world.supplier.name, "").replace("林芝松茸", "")
                         .replace("青稞挂面", "").replace("图片与实物不符", "")
                         .replace("顺丰速运", ""))


def test_nav_shows_the_credit_page_to_suppliers(client, login_as, world):
    login_as(world.staff)
    assert 'href="/credit/"' in client.get("/").get_data(as_text=True)
    login_as(factories.user("purchaser"))
    assert 'href="/credit/"' not in client.get("/").get_data(as_text=True)
