"""The quota API: policies, filings, the year's units with totals, and the lines behind them."""
from marketplace.compliance.models import Filing, QuotaPolicy
from marketplace.extensions import db
from tests import factories
from tests.compliance.helpers import BEIJING, filing, product, purchaser, unit
from tests.factories import accepted_order
from tests.helpers import bearer, cst


def test_admin_sets_a_policy(client):
    admin = factories.user("admin")
    body = {"region_prefix": "54", "year": 2026, "min_ratio": "0.10",
            "eligible_origin_prefixes": ["54"], "count_union_purchases": True}
    response = client.put("/api/v1/quota/policies", json=body, headers=bearer(admin))
    assert response.status_code == 200
    assert {k: response.json[k] for k in body} == body
    body["min_ratio"] = "0.15"
    assert client.put("/api/v1/quota/policies", json=body, headers=bearer(admin)).json["min_ratio"] \
        == "0.15"
    assert QuotaPolicy.query.count() == 1


def test_policies_are_for_admins_and_checked(client):
    body = {"region_prefix": "54", "year": 2026, "min_ratio": "1.20"}
    assert client.put("/api/v1/quota/policies", json=body,
                      headers=bearer(factories.user("auditor"))).status_code == 403
    response = client.put("/api/v1/quota/policies", json=body,
                          headers=bearer(factories.user("admin")))
    assert response.status_code == 422 and "min_ratio" in response.json["error"]["fields"]
    assert client.put("/api/v1/quota/policies", data="x",
                      headers=bearer(factories.user("admin"))).status_code == 400
    assert QuotaPolicy.query.count() == 0


def test_a_unit_manager_files_and_gets_the_reserved_amount(client):
    manager = factories.user("unit_manager")
    response = client.put(f"/api/v1/quota/filings/{manager.organization_id}/2026",
                          json={"canteen_status": "own", "food_budget": "100.05", "ratio": "0.10"},
                          headers=bearer(manager))
    assert response.status_code == 200
    assert (response.json["reserved"], response.json["version"], response.json["ratio"]) == \
        ("10.01", 1, "0.10")


def test_a_ratio_under_the_minimum_without_exception_is_422(client):
    manager = factories.user("unit_manager")
    url = f"/api/v1/quota/filings/{manager.organization_id}/2026"
    response = client.put(url, json={"canteen_status": "own", "food_budget": "1000",
                                     "ratio": "0.05"}, headers=bearer(manager))
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"ratio": "below_minimum"}
    assert Filing.query.count() == 0
    response = client.put(url, json={"canteen_status": "own", "food_budget": "1000",
                                     "ratio": "0.05", "exception_ref": "藏财〔2026〕3号"},
                          headers=bearer(manager))
    assert response.status_code == 200
    assert (response.json["reserved"], response.json["exception_status"]) == ("100.00", "pending")


def test_filing_for_another_unit_is_403_and_unknown_unit_404(client):
    manager = factories.user("unit_manager")
    other = unit()
    body = {"canteen_status": "own", "food_budget": "1000"}
    assert client.put(f"/api/v1/quota/filings/{other.id}/2026", json=body,
                      headers=bearer(manager)).status_code == 403
    assert client.put("/api/v1/quota/filings/99999/2026", json=body,
                      headers=bearer(manager)).status_code == 404
    assert client.put(f"/api/v1/quota/filings/{manager.organization_id}/2026",
                      json={"canteen_status": "own", "food_budget": -5},
                      headers=bearer(manager)).status_code == 422
    assert client.put(f"/api/v1/quota/filings/{manager.organization_id}/2026",
                      json={"canteen_status": "own", "food_budget": 12.5},
                      headers=bearer(manager)).status_code == 422
    assert Filing.query.count() == 0


def _world():
    tibet = unit("拉萨某局")
    child = unit("下属所", parent=tibet)
    beijing = unit("北京某局", region_code=BEIJING)
    filing(tibet, budget_fen=1_000_000)
    filing(child, budget_fen=500_000)
    accepted_order(purchaser(tibet), [(product(price_fen=30_000), 1)], cst(2026, 2, 1))
    accepted_order(purchaser(child), [(product(price_fen=60_000), 1)], cst(2026, 2, 1))
    accepted_order(purchaser(beijing), [(product(price_fen=5_000), 1)], cst(2026, 2, 1))
    return tibet, child, beijing


def test_an_auditor_sees_the_units_of_its_jurisdiction_with_totals(client):
    tibet, child, beijing = _world()
    auditor = factories.user("auditor")   # audit office of 540000
    response = client.get("/api/v1/quota/2026/units", headers=bearer(auditor))
    assert response.status_code == 200
    rows = {row["unit_id"]: row for row in response.json["items"]}
    assert set(rows) == {tibet.id, child.id}
    assert rows[child.id]["completed"] == "600.00" and rows[child.id]["status"] == "met"
    assert rows[tibet.id]["completion_rate"] == "0.3000"
    assert set(rows[tibet.id]) >= {"unit_id", "unit_name", "region_code", "canteen_status",
                                   "food_budget", "ratio", "reserved", "completed",
                                   "in_progress", "completion_rate", "status"}
    assert response.json["totals"] == {"reserved": "1500.00", "completed": "900.00",
                                       "in_progress": "0.00"}
    assert response.json["total"] == 2


def test_filters_and_scope(client):
    tibet, child, beijing = _world()
    auditor = factories.user("auditor")
    headers = bearer(auditor)
    met = client.get("/api/v1/quota/2026/units?status=met", headers=headers).json
    assert [row["unit_id"] for row in met["items"]] == [child.id]
    sub = client.get(f"/api/v1/quota/2026/units?parent_id={child.id}", headers=headers).json
    assert [row["unit_id"] for row in sub["items"]] == [child.id]
    assert client.get(f"/api/v1/quota/2026/units?parent_id={beijing.id}",
                      headers=headers).status_code == 403
    assert client.get("/api/v1/quota/2026/units?region=110000", headers=headers).status_code == 403
    assert client.get("/api/v1/quota/2026/units?region=999999", headers=headers).status_code == 422
    assert client.get("/api/v1/quota/2026/units?status=nope", headers=headers).status_code == 422
    admin = bearer(factories.user("admin"))
    region = client.get("/api/v1/quota/2026/units?region=110000", headers=admin).json
    assert [row["unit_id"] for row in region["items"]] == [beijing.id]
    assert region["items"][0]["status"] == "not_filed" and region["items"][0]["reserved"] is None
    assert client.get("/api/v1/quota/2026/units",
                      headers=bearer(purchaser(tibet))).status_code == 403


def test_a_unit_manager_sees_its_own_subtree(client):
    tibet, child, beijing = _world()
    manager = factories.user("unit_manager", organization=tibet)
    response = client.get("/api/v1/quota/2026/units", headers=bearer(manager))
    assert {row["unit_id"] for row in response.json["items"]} == {tibet.id, child.id}
    child_manager = factories.user("unit_manager", organization=child)
    response = client.get(f"/api/v1/quota/2026/units/{tibet.id}/lines", headers=bearer(child_manager))
    assert response.status_code == 403


def test_the_lines_behind_completed(client):
    tibet, child, beijing = _world()
    accepted_order(purchaser(tibet), [(product(origin=BEIJING, price_fen=9_999), 1)],
                   cst(2026, 3, 1))
    response = client.get(f"/api/v1/quota/2026/units/{tibet.id}/lines",
                          headers=bearer(factories.user("auditor")))
    assert response.status_code == 200
    assert [line["counted"] for line in response.json["items"]] == ["300.00"]
    assert response.json["completed"] == "300.00"
    assert response.json["items"][0]["accepted_at"].startswith("2026-02-01T12:00:00+08:00")
    assert client.get(f"/api/v1/quota/2026/units/{beijing.id}/lines",
                      headers=bearer(factories.user("auditor"))).status_code == 403
    assert client.get("/api/v1/quota/2026/units/99999/lines",
                      headers=bearer(factories.user("auditor"))).status_code == 404


def test_without_a_token_the_quota_is_401(client):
    assert client.get("/api/v1/quota/2026/units").status_code == 401


def test_ids_and_years_that_cannot_exist_are_404_or_422_never_500(client):
    manager = factories.user("unit_manager")
    admin = bearer(factories.user("admin"))
    huge = 10**20
    url = f"/api/v1/quota/filings/{manager.organization_id}"
    # Out-of-range path ids never reach a query (the app's id converter may refuse them first).
    for path, method in ((f"/api/v1/quota/2026/units/{huge}/lines", "get"),
                         (f"/api/v1/quota/filings/{huge}/2026", "put"),
                         (f"{url}/{huge}", "get"), (f"/api/v1/quota/{huge}/units", "get")):
        response = getattr(client, method)(path, headers=admin, json={"canteen_status": "own"})
        assert 400 <= response.status_code < 500, path
    assert client.get(f"/api/v1/quota/2026/units?parent_id={huge}", headers=admin).status_code == 404
    response = client.put(f"{url}/2026", headers=admin, json={
        "canteen_status": "shared_member", "representative_unit_id": huge})
    assert response.status_code == 422
    response = client.put(f"{url}/2026", headers=admin, json={
        "canteen_status": "own", "food_budget": "1e400"})
    assert response.status_code == 422
    assert Filing.query.count() == 0


def test_paged_units_reuse_the_years_rows_but_see_new_orders_at_once(client, app):
    tibet, child, beijing = _world()
    auditor = factories.user("auditor")
    headers = bearer(auditor)
    from marketplace.api import quota as quota_api

    quota_api._rows_cache.clear()
    app.config["QUOTA_ROWS_CACHE_SECONDS"] = 60
    try:
        first = client.get("/api/v1/quota/2026/units?per_page=1", headers=headers).json
        second = client.get("/api/v1/quota/2026/units?per_page=1&page=2", headers=headers).json
        assert {first["items"][0]["unit_id"], second["items"][0]["unit_id"]} == \
            {tibet.id, child.id}
        assert first["total"] == second["total"] == 2
        assert len(quota_api._rows_cache) == 1  # the second page reused the first's rows
        assert first["totals"] == second["totals"] == {"reserved": "1500.00",
                                                       "completed": "900.00",
                                                       "in_progress": "0.00"}
        accepted_order(purchaser(tibet), [(product(price_fen=10_000), 1)], cst(2026, 3, 1))
        db.session.commit()
        after = client.get("/api/v1/quota/2026/units?per_page=1", headers=headers).json
        assert after["totals"]["completed"] == "1000.00"
    finally:
        app.config["QUOTA_ROWS_CACHE_SECONDS"] = 0
