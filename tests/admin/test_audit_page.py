"""The admin's audit trail page and its filters."""
from marketplace.audit.services import record
from tests import factories


def test_audit_page_lists_entries_and_filters_them(client, db, login_as, post_form):
    supplier = factories.org("supplier", name="日喀则青稞合作社")
    admin = login_as("admin")
    post_form(f"/admin/organizations/{supplier.id}/status", {"action": "suspend",
                                                              "note": "核查"})
    record("order.ship", None, actor=admin, object_type="orders", object_id=42)
    db.session.commit()
    everything = client.get("/admin/audit").get_data(as_text=True)
    assert "organization.suspend" in everything and "order.ship" in everything
    orders = client.get("/admin/audit?action=order.").get_data(as_text=True)
    assert "order.ship" in orders and "organization.suspend" not in orders
    by_object = client.get(f"/admin/audit?object_type=organizations&object_id={supplier.id}")
    assert "organization.suspend" in by_object.get_data(as_text=True)
    by_actor = client.get("/admin/audit?actor=nobody@example.com").get_data(as_text=True)
    assert "organization.suspend" not in by_actor and "没有符合条件的记录" in by_actor


def test_audit_page_ignores_malformed_dates(client, db, login_as):
    login_as("admin")
    assert client.get("/admin/audit?since=not-a-date&until=2026-13-45&page=x").status_code == 200
