"""GET /api/v1/suppliers/{id}/credit: points, tier and the events behind them, as openapi.json describes them."""
from datetime import datetime

import pytest

from marketplace.catalog import services as catalog
from marketplace.credit import services
from tests import factories
from tests.credit.helpers import deliver, review, trade
from tests.helpers import assert_error, bearer


@pytest.fixture
def world(db):
    world = trade()
    world.order = deliver(world)
    world.refused = deliver(world, quantity=4, accepted=1)
    review(world, world.products[0], 4)
    catalog.take_down_product(world.admin, world.products[1], "价格虚高")
    services.correct(world.admin, world.supplier, 10, "历史履约记录补录")
    db.session.commit()
    return world


def url(supplier_id):
    return f"/api/v1/suppliers/{supplier_id}/credit"


def test_the_supplier_reads_its_points_tier_and_events_that_sum_to_them(client, world):
    response = client.get(url(world.supplier.id), headers=bearer(world.staff))
    assert response.status_code == 200
    body = response.get_json()
    assert body["points"] == 2 - 3 + 1 - 5 + 10 == 5
    assert body["tier"] == "standard"
    assert (body["next_tier"], body["points_to_next_tier"]) == ("silver", 15)
    assert sum(event["points"] for event in body["events"]) == body["points"]
    for event in body["events"]:
        assert {"at", "points", "reason", "order_id"} <= set(event)
        datetime.fromisoformat(event["at"])  # ISO 8601 with offset
        assert event["at"].endswith("+08:00")
    reasons = [(event["reason"], event["points"], event["order_id"]) for event in body["events"]]
    assert reasons[:2] == [("accepted_in_full", 2, world.order.id),
                           ("accepted_with_refusal", -3, world.refused.id)]
    takedown = next(event for event in body["events"] if event["reason"] == "taken_down")
    assert takedown["product_id"] == world.products[1].id and takedown["order_id"] is None
    assert takedown["note"] == "价格虚高"
    correction = body["events"][-1]
    assert (correction["reason"], correction["note"]) == ("correction", "历史履约记录补录")
    times = [event["at"] for event in body["events"]]
    assert times == sorted(times)


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_admins_and_auditors_read_any_supplier(client, world, role):
    response = client.get(url(world.supplier.id), headers=bearer(factories.user(role)))
    assert response.status_code == 200 and response.get_json()["points"] == 5


@pytest.mark.parametrize("role", ["purchaser", "unit_manager", "supplier_staff"])
def test_others_are_refused(client, world, role):
    assert_error(client.get(url(world.supplier.id), headers=bearer(factories.user(role))), 403,
                 "forbidden")


def test_without_a_token_it_is_401_and_unknown_suppliers_404(client, world):
    assert_error(client.get(url(world.supplier.id)), 401)
    headers = bearer(world.admin)
    assert_error(client.get(url(999999), headers=headers), 404, "not_found")
    assert_error(client.get(url(world.buyer.organization_id), headers=headers), 404)
    assert_error(client.get(url(99999999999), headers=headers), 404)


def test_a_supplier_without_events_has_zero_points(client, db):
    world = trade()
    db.session.commit()
    body = client.get(url(world.supplier.id), headers=bearer(world.staff)).get_json()
    assert body == {"supplier_id": world.supplier.id, "supplier_name": world.supplier.name,
                    "points": 0, "tier": "standard", "next_tier": "silver",
                    "points_to_next_tier": 20, "events": []}


def test_the_operation_is_described_in_openapi(client, db):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/suppliers/{organization_id}/credit"]["get"]
    assert operation["x-roles"] == ["supplier_staff", "admin", "auditor"]
    schema = document["components"]["schemas"]["SupplierCredit"]
    assert {"points", "tier", "events"} <= set(schema["required"])
