"""The admin console: organisations of every kind, the unit tree, users."""
import pytest

from marketplace.accounts.models import Organization, User
from marketplace.audit.models import AuditEntry
from tests import factories


def org_form(**overrides):
    data = {"name": "林芝市第一中学", "kind": "budget_unit", "region_code": "540402",
            "parent_id": "0", "budget_unit_id": "0", "approval_threshold": ""}
    data.update(overrides)
    return data


def test_admin_creates_a_budget_unit_under_a_parent(client, db, login_as, post_form):
    root = factories.org("budget_unit", name="西藏自治区教育厅", region_code="540000")
    login_as("admin")
    response = post_form("/admin/organizations/new", org_form(parent_id=str(root.id),
                                                               approval_threshold="20000"))
    assert response.status_code == 302
    school = Organization.query.filter_by(name="林芝市第一中学").one()
    assert school.parent_id == root.id and school.status == "active"
    assert school.tree_path == f"{root.tree_path}{school.id}/"
    assert school.approval_threshold_fen == 2000000
    assert "林芝市第一中学" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_admin_creates_a_union_of_a_unit_and_an_audit_office(client, db, login_as, post_form):
    unit = factories.org("budget_unit")
    login_as("admin")
    post_form("/admin/organizations/new", org_form(name="某单位工会", kind="union",
                                                   budget_unit_id=str(unit.id)))
    post_form("/admin/organizations/new", org_form(name="西藏自治区审计厅", kind="audit_office",
                                                   region_code="540000"))
    union = Organization.query.filter_by(name="某单位工会").one()
    assert union.kind == "union" and union.budget_unit_id == unit.id
    office = Organization.query.filter_by(name="西藏自治区审计厅").one()
    assert office.jurisdiction_prefix == "54"


def test_a_union_without_its_budget_unit_is_refused(client, db, login_as, post_form):
    login_as("admin")
    response = post_form("/admin/organizations/new", org_form(name="无主工会", kind="union"))
    assert response.status_code == 422
    assert Organization.query.filter_by(name="无主工会").count() == 0


def move(post_form, unit, parent):
    """The admin's edit form of `unit` (named 单位), sent with `parent` as its new parent."""
    return post_form(f"/admin/organizations/{unit.id}/edit",
                     org_form(name="单位", region_code=unit.region_code, parent_id=str(parent.id)))


def test_moving_a_unit_moves_its_whole_subtree(client, db, login_as, post_form):
    old_root = factories.org("budget_unit", name="旧上级")
    new_root = factories.org("budget_unit", name="新上级")
    unit = factories.org("budget_unit", name="单位", parent=old_root)
    canteen = factories.org("budget_unit", name="食堂", parent=unit)
    login_as("admin")
    assert move(post_form, unit, new_root).status_code == 302
    db.session.expire_all()
    unit, canteen = db.session.get(Organization, unit.id), db.session.get(Organization, canteen.id)
    assert unit.parent_id == new_root.id
    assert unit.tree_path == f"{new_root.tree_path}{unit.id}/"
    assert canteen.tree_path == f"{unit.tree_path}{canteen.id}/"


def test_a_unit_cannot_be_moved_under_its_own_descendant(client, db, login_as, post_form):
    unit = factories.org("budget_unit", name="单位")
    child = factories.org("budget_unit", name="下级", parent=unit)
    login_as("admin")
    assert move(post_form, unit, child).status_code == 422
    db.session.expire_all()
    assert db.session.get(Organization, unit.id).parent_id is None


def test_organisation_list_filters_by_kind_and_status(client, db, login_as):
    factories.org("supplier", name="合作社甲")
    factories.org("supplier", name="合作社乙", status="pending")
    factories.org("enterprise", name="企业丙")
    login_as("admin")
    body = client.get("/admin/organizations?kind=supplier&status=pending").get_data(as_text=True)
    assert "合作社乙" in body and "合作社甲" not in body and "企业丙" not in body
    assert "企业丙" in client.get("/admin/organizations?q=企业").get_data(as_text=True)


@pytest.mark.parametrize("kind,role,allowed", [("supplier", "supplier_staff", True),
                                               ("supplier", "purchaser", False),
                                               ("audit_office", "auditor", True),
                                               ("budget_unit", "admin", False)])
def test_admin_creates_users_only_with_a_role_the_kind_allows(client, db, login_as, post_form,
                                                              kind, role, allowed):
    org = factories.org(kind)
    login_as("admin")
    response = post_form(f"/admin/organizations/{org.id}/users",
                         {"name": "新用户", "email": "new@example.com",
                          "password": "initial-pass-1", "role": role})
    assert response.status_code == (302 if allowed else 422)
    assert User.query.filter_by(email="new@example.com").count() == (1 if allowed else 0)


def test_deactivated_user_cannot_log_in_and_is_audited(client, db, login_as, post_form):
    target = factories.user("purchaser")
    admin = login_as("admin")
    assert target.email in client.get("/admin/users?q=" + target.email).get_data(as_text=True)
    post_form(f"/admin/users/{target.id}/active", {"active": "0"})
    db.session.expire_all()
    assert db.session.get(User, target.id).active is False
    entry = AuditEntry.query.filter_by(action="user.deactivate").one()
    assert entry.actor_id == admin.id and entry.object_id == str(target.id)
    post_form("/logout")
    assert post_form("/login", {"email": target.email,
                                "password": factories.PASSWORD}).status_code == 401


def test_admin_cannot_deactivate_itself(client, db, login_as, post_form):
    admin = login_as("admin")
    assert post_form(f"/admin/users/{admin.id}/active", {"active": "0"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, admin.id).active is True


def test_unknown_organisation_or_user_is_404(client, db, login_as, post_form):
    login_as("admin")
    assert client.get("/admin/organizations/999999").status_code == 404
    assert post_form("/admin/users/999999/active", {"active": "0"}).status_code == 404


def test_organisation_page_offers_only_the_roles_and_actions_that_fit(client, db, login_as):
    pending = factories.org("supplier", status="pending")
    login_as("admin")
    body = client.get(f"/admin/organizations/{pending.id}").get_data(as_text=True)
    assert 'value="supplier_staff"' in body and 'value="purchaser"' not in body
    assert 'value="approve"' in body and 'value="reject"' in body
    assert 'value="suspend"' not in body


def test_list_filters_keep_what_was_chosen(client, db, login_as):
    login_as("admin")
    users = client.get("/admin/users?role=auditor").get_data(as_text=True)
    assert '<option value="auditor" selected>' in users
    assert '<option value="purchaser" >' in users
    orgs = client.get("/admin/organizations?kind=supplier&status=suspended").get_data(as_text=True)
    assert '<option value="supplier" selected>' in orgs
    assert '<option value="suspended" selected>' in orgs
    audit = client.get("/admin/audit?object_type=organization").get_data(as_text=True)
    assert '<select name="object_type"' in audit
