"""Settlement statements over the JSON API: the supplier makes and settles them, both sides and
the admin read them, nobody else; the same rules as the accounts pages."""
from datetime import timedelta

import pytest

from marketplace.payments.models import SettlementStatement
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.helpers import assert_error, bearer


def _period(days=30):
    today = to_cst(utcnow()).date()
    return {"period_start": (today - timedelta(days=days)).isoformat(),
            "period_end": today.isoformat()}


def test_the_supplier_makes_a_statement_and_settles_it_with_the_invoice(parties, client, db):
    first, second = parties.completed_order(1), parties.completed_order(2)
    parties.order(status="accepted")  # not completed: stays out
    supplier = bearer(parties.supplier)
    made = client.post("/api/v1/settlement-statements", headers=supplier,
                       json={"buyer_organization_id": parties.buyer.organization_id,
                             **_period()})
    assert made.status_code == 201, made.get_data(as_text=True)
    statement = made.get_json()
    assert statement["status"] == "open" and statement["total"] == "384.00"
    assert sorted(item["order_id"] for item in statement["orders"]) == [first.id, second.id]
    assert statement["number"].startswith("JS")

    settled = client.post(f"/api/v1/settlement-statements/{statement['id']}/settle",
                          headers=supplier, json={"invoice_number": "No.44012345"})
    assert settled.status_code == 200
    assert settled.get_json()["status"] == "settled"
    assert settled.get_json()["invoice_number"] == "No.44012345"
    assert settled.get_json()["settled_at"]
    again = client.post(f"/api/v1/settlement-statements/{statement['id']}/settle",
                        headers=supplier, json={"invoice_number": "No.2"})
    assert_error(again, 409)
    # The orders are on a statement now: a second one for the period has nothing to settle.
    empty = client.post("/api/v1/settlement-statements", headers=supplier,
                        json={"buyer_organization_id": parties.buyer.organization_id,
                              **_period()})
    assert assert_error(empty, 409, "nothing_to_settle")["fields"] == {"period": "empty"}
    assert SettlementStatement.query.count() == 1


def test_both_sides_and_the_admin_read_it_and_nobody_else(parties, client, db):
    parties.completed_order(1)
    made = client.post("/api/v1/settlement-statements", headers=bearer(parties.supplier),
                       json={"buyer_organization_id": parties.buyer.organization_id,
                             **_period()}).get_json()
    manager = factories.user("unit_manager", organization=parties.buyer.organization)
    for reader in (parties.supplier, parties.buyer, manager, factories.user("admin")):
        listed = client.get("/api/v1/settlement-statements", headers=bearer(reader)).get_json()
        assert [item["id"] for item in listed["items"]] == [made["id"]], reader.role
        one = client.get(f"/api/v1/settlement-statements/{made['id']}", headers=bearer(reader))
        assert one.status_code == 200 and one.get_json()["total"] == "128.00"
    for stranger in (factories.user("supplier_staff"), factories.user("purchaser")):
        listed = client.get("/api/v1/settlement-statements", headers=bearer(stranger))
        assert listed.get_json()["items"] == []
        assert_error(client.get(f"/api/v1/settlement-statements/{made['id']}",
                                headers=bearer(stranger)), 404)
        settle = client.post(f"/api/v1/settlement-statements/{made['id']}/settle",
                             headers=bearer(stranger), json={"invoice_number": "X1"})
        assert settle.status_code in (403, 404)
    auditor = bearer(factories.user("auditor"))
    assert_error(client.get("/api/v1/settlement-statements", headers=auditor), 403, "forbidden")
    assert SettlementStatement.query.one().status == "open"


@pytest.mark.parametrize("role", ["purchaser", "unit_manager", "auditor", "admin"])
def test_only_a_supplier_makes_or_settles_statements(parties, client, db, role):
    parties.completed_order(1)
    user = factories.user(role, organization=parties.buyer.organization) \
        if role in ("purchaser", "unit_manager") else factories.user(role)
    response = client.post("/api/v1/settlement-statements", headers=bearer(user),
                           json={"buyer_organization_id": parties.buyer.organization_id,
                                 **_period()})
    assert_error(response, 403, "forbidden")
    assert SettlementStatement.query.count() == 0


@pytest.mark.parametrize("body, field", [
    ({"period_start": "2026-13-01"}, "period_start"),
    ({"period_end": "yesterday"}, "period_end"),
    ({"buyer_organization_id": "2"}, "buyer_organization_id"),
    ({"period_start": "2026-12-31", "period_end": "2026-01-01"}, "period"),
])
def test_bad_statement_bodies_are_422(parties, client, db, body, field):
    parties.completed_order(1)
    response = client.post("/api/v1/settlement-statements", headers=bearer(parties.supplier),
                           json={"buyer_organization_id": parties.buyer.organization_id,
                                 **_period(), **body})
    assert field in assert_error(response, 422)["fields"]


def test_an_invoice_number_is_required_and_bounded(parties, client, db):
    parties.completed_order(1)
    supplier = bearer(parties.supplier)
    made = client.post("/api/v1/settlement-statements", headers=supplier,
                       json={"buyer_organization_id": parties.buyer.organization_id,
                             **_period()}).get_json()
    for body in ({}, {"invoice_number": " "}, {"invoice_number": "9" * 41}):
        response = client.post(f"/api/v1/settlement-statements/{made['id']}/settle",
                               headers=supplier, json=body)
        assert "invoice_number" in assert_error(response, 422)["fields"]
    assert SettlementStatement.query.one().status == "open"
