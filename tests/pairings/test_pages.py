"""The 万企兴万村 pages: an enterprise, a cooperative and the admin each do their part; forms
show their errors and keep nothing half-made; the menu shows the pages to the roles that use
them; the catalog ranks an enterprise's paired cooperatives first."""
import re

import pytest

from marketplace.extensions import db
from marketplace.pairings import services
from marketplace.pairings.models import NeedConversation, Pairing, Village, VillageNeed
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.factories import accepted_order
from tests.pairings.helpers import DAGZE, NYINGCHI, pair, world

YEAR = to_cst(utcnow()).year


@pytest.fixture
def w(db):
    scene = world()
    db.session.commit()
    return scene


def test_the_admin_creates_a_pairing_county_first_then_the_form(client, login_as, post_form, w):
    login_as(w.admin)
    page = client.get("/pairings/new").get_data(as_text=True)
    assert 'data-testid="choose-county"' in page and "pairing-form" not in page
    page = client.get(f"/pairings/new?county={NYINGCHI}").get_data(as_text=True)
    assert "鲁朗松茸合作社" in page and "鲁朗藏香猪合作社" in page and "达孜青稞合作社" not in page
    response = post_form("/pairings/new", {
        "county_code": NYINGCHI, "enterprise_id": str(w.enterprise.id), "village": "扎西岗村",
        "year": str(YEAR), "target_amount": "200000", "supplier_ids": [str(w.coop.id)],
        "projects-0-kind": "folk_tourism", "projects-0-name": "鲁朗民宿",
        "projects-0-households": "46", "projects-0-bases": ""})
    pairing = Pairing.query.one()
    assert response.status_code == 302 and response.location.endswith(f"/pairings/{pairing.id}")
    assert [(p.kind, p.households) for p in pairing.projects] == [("folk_tourism", 46)]
    detail = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert "扎西岗村" in detail and "鲁朗民宿" in detail and "¥200,000.00" in detail


@pytest.mark.parametrize("changes, message", [
    ({"supplier_ids": ["DAGZE"]}, "不是 巴宜区 认证的在营合作社或基地"),
    ({"target_amount": "0"}, "采购目标须大于 0"),
    ({"target_amount": "-3"}, "采购目标须大于 0"),
    ({"enterprise_id": "UNIT"}, "结对的一方须是平台上的企业"),
    ({"supplier_ids": []}, "请至少选择一个本村的合作社或基地"),
])
def test_a_bad_pairing_form_shows_why_and_creates_nothing(client, login_as, post_form, db, w,
                                                          changes, message):
    unit = factories.org("budget_unit")
    db.session.commit()
    login_as(w.admin)
    data = {"county_code": NYINGCHI, "enterprise_id": str(w.enterprise.id),
            "village": "扎西岗村", "year": str(YEAR), "target_amount": "1000",
            "supplier_ids": [str(w.coop.id)]}
    data.update({key: ([str(w.dagze.id)] if value == ["DAGZE"] else str(unit.id)
                       if value == "UNIT" else value) for key, value in changes.items()})
    response = post_form("/pairings/new", data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text and 'value="扎西岗村"' in text  # what was typed is kept
    assert Pairing.query.count() == 0 and Village.query.count() == 0


def test_a_cooperative_publishes_a_need_and_an_enterprise_answers(client, login_as, post_form,
                                                                  w):
    login_as(w.staff)
    form = client.get("/pairings/board/new").get_data(as_text=True)
    assert f'value="{NYINGCHI}"' in form and f'value="{DAGZE}"' not in form
    bad = post_form("/pairings/board/new", {"county_code": NYINGCHI, "village": "扎西岗村",
                                            "kind": "product", "title": "松茸", "quantity": "",
                                            "unit": "斤", "season": "秋"})
    assert bad.status_code == 422 and "请填写大于 0 的数量" in bad.get_data(as_text=True)
    assert VillageNeed.query.count() == 0
    response = post_form("/pairings/board/new", {
        "county_code": NYINGCHI, "village": "扎西岗村", "kind": "product",
        "title": "鲁朗松茸 5000 斤找买家", "description": "七到九月", "quantity": "5000",
        "unit": "斤", "season": "7–9 月", "project_kind": ""})
    need = VillageNeed.query.one()
    assert response.status_code == 302
    login_as(w.buyer)
    board = client.get("/pairings/board").get_data(as_text=True)
    assert "鲁朗松茸 5000 斤找买家" in board
    empty = post_form(f"/pairings/board/{need.id}/answer", {"body": "  "})
    assert empty.status_code == 422 and NeedConversation.query.count() == 0
    answered = post_form(f"/pairings/board/{need.id}/answer", {"body": "每月要 300 斤"})
    conversation = NeedConversation.query.one()
    assert answered.location.endswith(f"/pairings/conversations/{conversation.id}")
    # The admin reads it too; a budget unit's purchaser may not answer.
    login_as(w.admin)
    assert "每月要 300 斤" in client.get(f"/pairings/conversations/{conversation.id}") \
        .get_data(as_text=True)
    login_as(factories.user("purchaser"))
    assert post_form(f"/pairings/board/{need.id}/answer", {"body": "x"}).status_code == 403
    assert client.get(f"/pairings/conversations/{conversation.id}").status_code == 403


def test_an_enterprise_asks_from_the_village_page_and_the_admin_approves(client, login_as,
                                                                         post_form, w):
    village = services.find_village("扎西岗村", NYINGCHI, create_for=w.admin)
    db.session.commit()
    login_as(w.buyer)
    page = client.get(f"/pairings/villages/{village.id}").get_data(as_text=True)
    assert 'data-testid="request-pairing"' in page
    form = client.get(f"/pairings/villages/{village.id}/request").get_data(as_text=True)
    assert "鲁朗松茸合作社" in form
    bad = post_form(f"/pairings/villages/{village.id}/request", {
        "year": str(YEAR), "target_amount": "0", "supplier_ids": [str(w.coop.id)]})
    assert bad.status_code == 422 and "采购目标须大于 0" in bad.get_data(as_text=True)
    post_form(f"/pairings/villages/{village.id}/request", {
        "year": str(YEAR), "target_amount": "80000", "supplier_ids": [str(w.coop.id)],
        "note": "每月采购松茸"})
    request = Pairing.query.one()
    assert request.status == "requested"
    login_as(w.admin)
    index = client.get("/pairings/").get_data(as_text=True)
    assert f'data-testid="approve-{request.id}"' in index and "每月采购松茸" in index
    post_form(f"/pairings/{request.id}/approve", {"next": "index"})
    assert Pairing.query.one().status == "active"


def test_reject_and_end_need_a_reason_on_the_page(client, login_as, post_form, w):
    pairing = pair(w, year=YEAR)
    db.session.commit()
    login_as(w.admin)
    response = post_form(f"/pairings/{pairing.id}/end", {"end-reason": ""})
    assert response.status_code == 422 and Pairing.query.one().status == "active"
    post_form(f"/pairings/{pairing.id}/end", {"end-reason": "企业停业"})
    assert Pairing.query.one().status == "ended"


def test_the_enterprise_sees_progress_and_the_lines(client, login_as, w):
    pairing = pair(w, year=YEAR, target="2560.00")
    accepted_order(w.buyer, [(w.matsutake, 10)], utcnow())
    db.session.commit()
    login_as(w.buyer)
    index = client.get("/pairings/").get_data(as_text=True)
    assert "扎西岗村" in index and "¥1,280.00" in index and "50.00%" in index
    detail = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert re.search(r'data-testid="purchased">¥1,280.00<', detail)
    assert re.search(r'data-testid="lines-total">¥1,280.00<', detail)
    assert "鲁朗松茸" in detail


def test_pages_are_refused_to_those_they_are_not_for(client, login_as, post_form, w):
    pairing = pair(w)
    db.session.commit()
    login_as(factories.user("purchaser"))       # a canteen's purchaser
    assert client.get("/pairings/").status_code == 403
    assert client.get(f"/pairings/{pairing.id}").status_code == 403
    login_as(w.buyer)
    assert client.get("/pairings/new").status_code == 403
    assert client.get("/pairings/overview").status_code == 403
    login_as(factories.user("unit_manager"))
    assert client.get("/pairings/").status_code == 403
    assert client.get("/pairings/new").status_code == 403
    login_as(w.staff)
    assert post_form("/pairings/villages", {"county_code": NYINGCHI, "name": "x"}) \
        .status_code == 403
    assert Village.query.filter_by(name="x").count() == 0


def test_the_menu_shows_the_pages_to_the_roles_that_use_them(client, login_as, w):
    expectations = {
        w.buyer: (True, False), w.staff: (True, False), w.admin: (True, True),
        factories.user("auditor"): (False, True), factories.user("purchaser"): (False, False),
        factories.user("unit_manager"): (False, False)}
    db.session.commit()
    for user, (pairings, overview) in expectations.items():
        login_as(user)
        header = client.get("/pairings/board").get_data(as_text=True).split("</header>")[0]
        assert ('href="/pairings/"' in header) is pairings, user.role
        assert ('href="/pairings/overview"' in header) is overview, user.role


def test_the_overview_page_for_the_admin_and_auditors(client, login_as, w):
    pair(w, year=YEAR)
    services.add_village(w.admin, "易贡村", "540424")
    db.session.commit()
    login_as(w.admin)
    page = client.get(f"/pairings/overview?year={YEAR}").get_data(as_text=True)
    assert "巴宜区" in page and "易贡村" in page and "download-xlsx" in page
    assert client.get("/pairings/overview?county=abc").status_code == 302


def test_the_catalog_ranks_the_paired_cooperatives_first_for_the_enterprise(client, login_as,
                                                                            w):
    # The barley sells best, so it leads the list for everyone else.
    w.barley.sales_count = 500
    pair(w, village="唐嘎村", county=DAGZE, suppliers=[w.dagze], year=YEAR)
    pair(w, year=YEAR, suppliers=[w.coop2])
    db.session.commit()

    def names(user):
        login_as(user)
        page = client.get("/products").get_data(as_text=True)
        return re.findall(r'class="product-name">([^<]+)<', page), page

    listed, page = names(w.buyer)
    assert listed[:2] in (["达孜青稞", "藏香猪肉"], ["藏香猪肉", "达孜青稞"])
    assert page.count('data-testid="preferred-supplier"') == 2
    other, page = names(factories.user("purchaser"))
    assert other[0] == "达孜青稞" and 'data-testid="preferred-supplier"' not in page
    # The API ranks them the same way.
    from tests.helpers import bearer

    items = client.get("/api/v1/products", headers=bearer(w.buyer)).get_json()["items"]
    assert {items[0]["name"], items[1]["name"]} == {"达孜青稞", "藏香猪肉"}
