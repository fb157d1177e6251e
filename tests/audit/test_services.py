"""The audit trail: each entry says who did what to which object, and an object's trail reads
oldest first; work done by the system (no one signed in) names no one."""
from marketplace.audit.services import entries_for, record
from tests import factories


def test_an_objects_trail_names_who_did_what_oldest_first(db):
    admin = factories.user("admin")
    unit = factories.org("budget_unit")
    other = factories.org("budget_unit")
    record("organization.edit", unit, actor=admin, detail={"name": "新名称"})
    record("organization.edit", other, actor=admin)
    record("organization.suspend", unit)  # by the system: no request, no one signed in
    trail = entries_for("organizations", unit.id)
    assert [(entry.action, entry.actor_id, entry.actor_organization_id) for entry in trail] == [
        ("organization.create", None, None),
        ("organization.edit", admin.id, admin.organization_id),
        ("organization.suspend", None, None)]
    assert trail[1].detail == {"name": "新名称"} and trail[2].detail == {}
    assert trail[2].ip is None


def test_an_entry_about_no_stored_object_is_kept_under_the_name_given(db):
    record("backup.restore", None, object_type="backup", object_id="2026-12-04")
    record("jobs.purge", None)
    [backup] = entries_for("backup", "2026-12-04")
    assert backup.action == "backup.restore" and backup.actor_id is None
    [purge] = entries_for("system", "-")
    assert purge.action == "jobs.purge"
