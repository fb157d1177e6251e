"""Who may read an order: one rule, answered alike by the order pages, the payment pages and the
API (a supplier never meets an order still waiting for its buyer's approval)."""
import re

import pytest

from marketplace.ordering import services
from tests import factories
from tests.helpers import bearer, login

STATUSES = ("pending_approval", "placed", "rejected", "shipped")


@pytest.fixture
def world(db):
    department = factories.org("budget_unit", region_code="540100")
    school = factories.org("budget_unit", region_code="540102", parent=department)
    other_unit = factories.org("budget_unit", region_code="540402")
    union = factories.org("union", region_code="540102", budget_unit=school)
    enterprise = factories.org("enterprise", region_code="540102")
    supplier = factories.org("supplier", region_code=factories.NYINGCHI_COUNTY)
    product = factories.product(supplier)
    buyers = {"school": factories.user("purchaser", organization=school),
              "union": factories.user("purchaser", organization=union),
              "enterprise": factories.user("purchaser", organization=enterprise)}
    orders = {(who, status): factories.order(buyer, lines=[(product, 1)], status=status)
              for who, buyer in buyers.items() for status in STATUSES}
    users = {
        "admin": factories.user("admin"),
        "school_purchaser": buyers["school"],
        "union_purchaser": buyers["union"],
        "enterprise_purchaser": buyers["enterprise"],
        "school_manager": factories.user("unit_manager", organization=school),
        "department_manager": factories.user("unit_manager", organization=department),
        "other_manager": factories.user("unit_manager", organization=other_unit),
        "supplier": factories.user("supplier_staff", organization=supplier),
        "other_supplier": factories.user("supplier_staff"),
        "lhasa_auditor": factories.user("auditor", organization=factories.org(
            "audit_office", region_code="540100")),
        "nyingchi_auditor": factories.user("auditor", organization=factories.org(
            "audit_office", region_code="540400")),
    }
    db.session.commit()
    return orders, users


def expected(who, buyer, status):
    if who == "admin":
        return True
    if who.endswith("purchaser"):
        return who == f"{buyer}_purchaser"
    if who in ("school_manager", "department_manager"):
        return buyer in ("school", "union")   # bound to the school (the enterprise: no unit)
    if who == "lhasa_auditor":
        return True                           # every buyer lies in Lhasa
    if who == "supplier":
        return status not in ("pending_approval", "rejected")
    return False


def test_the_list_and_the_check_follow_one_rule(world):
    orders, users = world
    for who, user in users.items():
        listed = {order.id for order in services.visible_orders(user)}
        for (buyer, status), order in orders.items():
            want = expected(who, buyer, status)
            assert services.can_view(order, user) is want, (who, buyer, status)
            assert (order.id in listed) is want, (who, buyer, status)


@pytest.mark.parametrize("status", ["pending_approval", "rejected"])
def test_a_supplier_reads_no_order_awaiting_approval_anywhere(client, world, status):
    orders, users = world
    order = orders[("school", status)]
    supplier = users["supplier"]
    headers = bearer(supplier)
    assert client.get(f"/api/v1/orders/{order.id}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/orders/{order.id}/payments", headers=headers).status_code == 403
    listed = client.get("/api/v1/orders?per_page=200", headers=headers).get_json()["items"]
    assert order.id not in {item["id"] for item in listed}
    login(client, supplier)
    for url in (f"/orders/{order.id}", f"/payments/orders/{order.id}",
                f"/orders/{order.id}/delivery-note"):
        assert client.get(url).status_code == 403, url


def test_once_approved_the_supplier_reads_it_everywhere(client, world):
    orders, users = world
    order = orders[("school", "placed")]
    headers = bearer(users["supplier"])
    assert client.get(f"/api/v1/orders/{order.id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/orders/{order.id}/payments", headers=headers).status_code == 200
    login(client, users["supplier"])
    assert client.get(f"/payments/orders/{order.id}").status_code == 200


def test_an_auditor_out_of_scope_is_refused_on_pages_and_api(client, world):
    orders, users = world
    order = orders[("school", "placed")]
    auditor = users["nyingchi_auditor"]
    headers = bearer(auditor)
    assert client.get(f"/api/v1/orders/{order.id}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/orders/{order.id}/payments", headers=headers).status_code == 403
    login(client, auditor)
    assert client.get(f"/orders/{order.id}").status_code == 403
    assert client.get(f"/payments/orders/{order.id}").status_code == 403


def test_the_date_filters_of_the_order_list_say_which_end_they_are(client, login_as):
    # The browser shows its own date format (mm/dd/yyyy) with no hint of from or to.
    login_as("purchaser")
    page = client.get("/orders?from=2026-01-01").get_data(as_text=True)
    assert re.search(r'<label class="date-filter"><small>起始日期</small>\s*<input type="date" '
                     r'name="from" value="2026-01-01">', page)
    assert re.search(r'<label class="date-filter"><small>截止日期</small>\s*<input type="date" '
                     r'name="to"', page)
