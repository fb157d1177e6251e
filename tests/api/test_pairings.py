"""The 万企兴万村 API as openapi.json describes it: POST /pairings (admin), GET /pairings and /pairings/{id}
for the admin, the enterprise, the paired suppliers and auditors in scope, each with its
progress; bad input → 422 with fields and nothing created; the board over the API."""
import pytest

from marketplace.audit.models import AuditEntry
from marketplace.pairings.models import Pairing, Village
from tests import factories
from tests.factories import accepted_order
from tests.helpers import assert_error, bearer, cst
from tests.pairings.helpers import DAGZE, NYINGCHI, pair, world

YEAR = 2026


@pytest.fixture
def w(db):
    scene = world()
    db.session.commit()
    return scene


def body(w, **changes):
    data = {"enterprise_id": w.enterprise.id, "village": "扎西岗村", "county_code": NYINGCHI,
            "supplier_ids": [w.coop.id, w.coop2.id], "year": YEAR, "target_amount": "200000.00",
            "projects": [{"kind": "efficient_farming", "name": "松茸保育基地",
                          "households": 35, "bases": 2}]}
    data.update(changes)
    return data


def test_the_admin_creates_a_pairing(client, w):
    response = client.post("/api/v1/pairings", json=body(w), headers=bearer(w.admin))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["id"] and created["enterprise_id"] == w.enterprise.id
    assert (created["village"], created["county_code"], created["year"]) == \
        ("扎西岗村", NYINGCHI, YEAR)
    assert created["supplier_ids"] == sorted([w.coop.id, w.coop2.id])
    assert created["target_amount"] == "200000.00" and created["status"] == "active"
    assert created["projects"][0]["kind"] == "efficient_farming"
    assert created["progress"]["purchased"] == "0.00"
    assert created["progress"]["target"] == "200000.00" and created["progress"]["rate"] == "0.0000"


@pytest.mark.parametrize("changes, field", [
    ({"supplier_ids": ["DAGZE"]}, "supplier_ids"),
    ({"target_amount": "0"}, "target_amount"),
    ({"target_amount": "-1"}, "target_amount"),
    ({"target_amount": 1.5}, "target_amount"),
    ({"enterprise_id": "UNIT"}, "enterprise_id"),
    ({"county_code": "540000"}, "county_code"),
    ({"supplier_ids": "1,2"}, "supplier_ids"),
    ({"year": "2026"}, "year"),
    ({"village": None}, "village"),
])
def test_bad_input_is_422_with_its_field_and_nothing_is_created(client, db, w, changes, field):
    unit = factories.org("budget_unit")
    db.session.commit()
    resolved = {key: ([w.dagze.id] if value == ["DAGZE"] else unit.id if value == "UNIT"
                      else value) for key, value in changes.items()}
    entries = AuditEntry.query.count()
    response = client.post("/api/v1/pairings", json=body(w, **resolved), headers=bearer(w.admin))
    error = assert_error(response, 422)
    assert field in error["fields"]
    assert Pairing.query.count() == 0 and Village.query.count() == 0
    assert AuditEntry.query.count() == entries


def test_a_duplicate_is_409_and_only_the_admin_creates(client, db, w):
    assert client.post("/api/v1/pairings", json=body(w), headers=bearer(w.admin)).status_code \
        == 201
    assert_error(client.post("/api/v1/pairings", json=body(w), headers=bearer(w.admin)), 409,
                 "duplicate_pairing")
    for user in (w.buyer, w.staff, factories.user("auditor")):
        db.session.commit()
        assert_error(client.post("/api/v1/pairings", json=body(w, year=2027),
                                 headers=bearer(user)), 403)


def test_who_reads_which_pairings(client, w, db):
    mine = pair(w)
    dagze = pair(w, village="唐嘎村", county=DAGZE, suppliers=[w.dagze], target="1000")
    other = factories.org("enterprise")
    theirs = pair(w, enterprise=other, suppliers=[w.coop2], target="300")
    nyingchi_auditor = factories.user("auditor", organization=factories.org(
        "audit_office", region_code="540400"))
    stranger = factories.user("purchaser", organization=factories.org("enterprise"))
    db.session.commit()

    def ids(user, query=""):
        response = client.get(f"/api/v1/pairings{query}", headers=bearer(user))
        assert response.status_code == 200, response.get_json()
        return sorted(item["id"] for item in response.get_json()["items"])

    assert ids(w.admin) == sorted([mine.id, dagze.id, theirs.id])
    assert ids(w.buyer) == sorted([mine.id, dagze.id])
    assert ids(w.staff) == [mine.id]                       # 鲁朗松茸合作社 is in one pairing
    assert ids(nyingchi_auditor) == sorted([mine.id, theirs.id])
    assert ids(stranger) == []
    assert ids(w.admin, f"?county={DAGZE}") == [dagze.id]
    assert ids(w.admin, f"?enterprise_id={other.id}&year={YEAR}") == [theirs.id]
    assert ids(w.admin, "?year=2025") == []
    assert_error(client.get(f"/api/v1/pairings?county={DAGZE}", headers=bearer(nyingchi_auditor)),
                 403)
    for role in ("unit_manager", "purchaser"):   # a budget unit's manager and purchaser
        assert_error(client.get("/api/v1/pairings", headers=bearer(factories.user(role))), 403)
    assert client.get(f"/api/v1/pairings/{mine.id}", headers=bearer(w.staff)).status_code == 200
    assert_error(client.get(f"/api/v1/pairings/{theirs.id}", headers=bearer(w.buyer)), 403)
    assert_error(client.get(f"/api/v1/pairings/{dagze.id}", headers=bearer(nyingchi_auditor)),
                 403)
    assert_error(client.get("/api/v1/pairings/999999", headers=bearer(w.admin)), 404)
    assert_error(client.get("/api/v1/pairings?year=abc", headers=bearer(w.admin)), 422)


def test_progress_and_the_lines_behind_it(client, w, db):
    pairing = pair(w, suppliers=[w.coop, w.coop2], target="3000.00")
    accepted_order(w.buyer, [(w.matsutake, 10)], cst(YEAR, 3, 1), refunded={0: 1_000})
    accepted_order(w.buyer, [(w.pork, 3)], cst(YEAR, 4, 1), accepted={0: 2})
    accepted_order(w.buyer, [(w.pork, 1)], cst(YEAR, 4, 2), status="cancelled")
    db.session.commit()
    response = client.get(f"/api/v1/pairings/{pairing.id}", headers=bearer(w.buyer))
    progress = response.get_json()["progress"]
    # 10 × 128.00 − 10.00 + 2 × 88.50 = 1447.00 of 3000.00 → 0.48233… → 0.4823
    assert progress["purchased"] == "1447.00" and progress["target"] == "3000.00"
    assert progress["rate"] == "0.4823"
    lines = client.get(f"/api/v1/pairings/{pairing.id}/lines", headers=bearer(w.admin)).get_json()
    assert [line["counted"] for line in lines["items"]] == ["1270.00", "177.00"]
    assert lines["purchased"] == "1447.00" and lines["total"] == 2


def test_an_enterprise_asks_and_the_admin_approves_over_the_api(client, w, db):
    village = Village(name="扎西岗村", county_code=NYINGCHI)
    db.session.add(village)
    db.session.commit()
    response = client.post("/api/v1/pairings/requests", headers=bearer(w.buyer), json={
        "village_id": village.id, "supplier_ids": [w.coop.id], "year": YEAR,
        "target_amount": "50000", "note": "每月采购"})
    assert response.status_code == 201, response.get_json()
    request_id = response.get_json()["id"]
    assert response.get_json()["status"] == "requested"
    assert_error(client.post("/api/v1/pairings/requests", headers=bearer(w.staff), json={
        "village_id": village.id, "supplier_ids": [w.coop.id], "year": YEAR,
        "target_amount": "1"}), 403)
    assert_error(client.post(f"/api/v1/pairings/{request_id}/approve", headers=bearer(w.buyer)),
                 403)
    approved = client.post(f"/api/v1/pairings/{request_id}/approve", headers=bearer(w.admin))
    assert approved.status_code == 200 and approved.get_json()["status"] == "active"
    assert_error(client.post(f"/api/v1/pairings/{request_id}/approve", headers=bearer(w.admin)),
                 409)
    assert_error(client.post(f"/api/v1/pairings/{request_id}/end", headers=bearer(w.admin),
                             json={}), 422)
    ended = client.post(f"/api/v1/pairings/{request_id}/end", headers=bearer(w.admin),
                        json={"reason": "协商终止"})
    assert ended.get_json()["status"] == "ended" and ended.get_json()["end_reason"] == "协商终止"


def test_the_board_over_the_api(client, db, w):
    need = client.post("/api/v1/village-needs", headers=bearer(w.staff), json={
        "village": "扎西岗村", "county_code": NYINGCHI, "kind": "product", "title": "松茸找买家",
        "quantity": 500, "unit": "斤", "season": "7–9 月"})
    assert need.status_code == 201, need.get_json()
    need_id = need.get_json()["id"]
    listed = client.get("/api/v1/village-needs?county=5404", headers=bearer(w.buyer)).get_json()
    assert [item["id"] for item in listed["items"]] == [need_id]
    assert_error(client.post("/api/v1/village-needs", headers=bearer(w.staff), json={
        "village": "唐嘎村", "county_code": DAGZE, "kind": "product", "title": "青稞",
        "quantity": 5, "unit": "斤", "season": "秋"}), 403)
    assert_error(client.post("/api/v1/village-needs", headers=bearer(w.staff), json={
        "village": "扎西岗村", "county_code": NYINGCHI, "kind": "product", "title": "x",
        "quantity": 0, "unit": "斤", "season": "秋"}), 422)
    answer = client.post(f"/api/v1/village-needs/{need_id}/answers", headers=bearer(w.buyer),
                         json={"body": "我们每月要 50 斤"})
    assert answer.status_code == 201
    conversation_id = answer.get_json()["id"]
    reply = client.post(f"/api/v1/conversations/{conversation_id}/messages",
                        headers=bearer(w.staff), json={"body": "可以"})
    assert [m["body"] for m in reply.get_json()["messages"]] == ["我们每月要 50 斤", "可以"]
    seen = client.get("/api/v1/conversations", headers=bearer(w.admin)).get_json()
    assert [c["id"] for c in seen["items"]] == [conversation_id]
    stranger = factories.user("purchaser", organization=factories.org("enterprise"))
    db.session.commit()
    assert_error(client.get(f"/api/v1/conversations/{conversation_id}",
                            headers=bearer(stranger)), 403)
    closed = client.post(f"/api/v1/village-needs/{need_id}/close", headers=bearer(w.staff))
    assert closed.get_json()["status"] == "closed"
    assert_error(client.post(f"/api/v1/village-needs/{need_id}/answers",
                             headers=bearer(w.buyer), json={"body": "还要吗"}), 409)
    villages = client.get("/api/v1/villages", headers=bearer(w.buyer)).get_json()
    assert [v["name"] for v in villages["items"]] == ["扎西岗村"]


def test_the_revitalisation_view_and_report(client, w, db):
    pair(w)
    auditor = factories.user("auditor", organization=factories.org(
        "audit_office", region_code="540100"))
    db.session.commit()
    view = client.get(f"/api/v1/revitalisation/{YEAR}", headers=bearer(w.admin)).get_json()
    assert [c["county_code"] for c in view["counties"]] == [NYINGCHI]
    assert view["totals"] == {"target": "200000.00", "purchased": "0.00", "rate": "0.0000"}
    assert client.get(f"/api/v1/revitalisation/{YEAR}", headers=bearer(auditor)) \
        .get_json()["pairings"] == []
    assert_error(client.get(f"/api/v1/revitalisation/{YEAR}", headers=bearer(w.buyer)), 403)
    report = client.get(f"/api/v1/revitalisation/{YEAR}/report.csv?header=keys",
                        headers=bearer(w.admin))
    assert report.status_code == 200 and report.mimetype == "text/csv"
    assert report.data.decode("utf-8-sig").startswith("county_code,county_name,village_id")


def test_the_contract_is_described_and_a_retried_post_is_done_once(client, w):
    from marketplace.api.contract import spec

    paths = spec()["paths"]
    assert {"post", "get"} <= set(paths["/pairings"]) and "get" in paths["/pairings/{pairing_id}"]
    assert paths["/pairings"]["post"]["x-roles"] == ["admin"]
    headers = {**bearer(w.admin), "Idempotency-Key": "pairing-1"}
    first = client.post("/api/v1/pairings", json=body(w), headers=headers)
    again = client.post("/api/v1/pairings", json=body(w), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json()["id"] == first.get_json()["id"] and Pairing.query.count() == 1
