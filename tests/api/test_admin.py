"""Admin endpoints: regions, organisations, users — allowed for admins only, validated fully."""
import pytest

from marketplace.accounts.models import Organization, User
from marketplace.regions.models import Region
from tests import factories
from tests.helpers import as_role, assert_error

NOT_ADMIN = ["purchaser", "unit_manager", "supplier_staff", "auditor"]


# Regions -------------------------------------------------------------------------------------

def test_admin_creates_a_region_within_its_parent(client, db):
    _, headers = as_role("admin")
    response = client.post("/api/v1/regions", headers=headers, json={
        "code": "540499", "name": "测试县", "parent_code": "540400", "aided": True})
    assert response.status_code == 201
    assert response.get_json() == {"code": "540499", "name": "测试县", "name_en": None,
                                   "parent_code": "540400", "level": 3, "aided": True,
                                   "prefix": "540499"}
    assert db.session.get(Region, "540499").aided is True


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_only_admins_create_regions(client, db, role):
    _, headers = as_role(role)
    response = client.post("/api/v1/regions", headers=headers, json={
        "code": "540499", "name": "测试县", "parent_code": "540400"})
    assert_error(response, 403, "forbidden")
    assert db.session.get(Region, "540499") is None


def test_existing_region_code_is_409(client, db):
    _, headers = as_role("admin")
    response = client.post("/api/v1/regions", headers=headers,
                           json={"code": "540402", "name": "重复", "parent_code": "540400"})
    assert_error(response, 409, "duplicate")


BAD_REGIONS = [
    ({"code": "5404", "name": "短"}, "code"),
    ({"code": "540499", "name": " "}, "name"),
    ({"code": "540499", "name": "县", "parent_code": "999999"}, "parent_code"),
    ({"code": "530499", "name": "县", "parent_code": "540400"}, "parent_code"),
    ({"code": "540499", "name": "县", "aided": "yes"}, "aided"),
]
BAD_ORGANISATIONS = [
    ({"name": "x", "kind": "platform", "region_code": "540102"}, "kind"),
    ({"name": "x", "kind": "palace", "region_code": "540102"}, "kind"),
    ({"name": "x", "kind": "supplier", "region_code": "000000"}, "region_code"),
    ({"name": "", "kind": "supplier", "region_code": "540102"}, "name"),
    ({"kind": "supplier", "region_code": "540102"}, "name"),
    ({"name": "x", "kind": "supplier", "region_code": "540102", "parent_id": 999999}, "parent_id"),
    ({"name": "x", "kind": "supplier", "region_code": "540102", "approval_threshold": "9"},
     "approval_threshold"),
    ({"name": "x", "kind": "budget_unit", "region_code": "540102", "approval_threshold": "abc"},
     "approval_threshold"),
    ({"name": "x", "kind": "budget_unit", "region_code": "540102", "approval_threshold": 1.5},
     "approval_threshold"),
    ({"name": "x", "kind": "budget_unit", "region_code": "540102", "approval_threshold": "-1"},
     "approval_threshold"),
]


@pytest.mark.parametrize("url, body, field_name",
                         [("/api/v1/regions", body, field) for body, field in BAD_REGIONS] +
                         [("/api/v1/organizations", body, field)
                          for body, field in BAD_ORGANISATIONS])
def test_a_bad_region_or_organisation_is_422_with_the_field(client, db, url, body, field_name):
    _, headers = as_role("admin")
    error = assert_error(client.post(url, headers=headers, json=body), 422)
    assert field_name in error["fields"]


def test_admin_edits_a_region_with_put(client, db):
    _, headers = as_role("admin")
    response = client.put("/api/v1/regions/540402", headers=headers,
                          json={"name": "巴宜区", "parent_code": "540400", "aided": False})
    assert response.status_code == 200 and response.get_json()["aided"] is False
    assert_error(client.put("/api/v1/regions/549999", headers=headers, json={"name": "x"}), 404)


@pytest.mark.parametrize("role", NOT_ADMIN + ["admin"])
def test_everyone_logged_in_lists_regions_by_parent(client, db, role):
    _, headers = as_role(role)
    provinces = client.get("/api/v1/regions", headers=headers).get_json()
    assert "540000" in [item["code"] for item in provinces["items"]]
    prefectures = client.get("/api/v1/regions?parent_code=540000", headers=headers).get_json()
    codes = [item["code"] for item in prefectures["items"]]
    assert "540400" in codes and all(code.startswith("54") for code in codes)
    assert prefectures["total"] == len(codes)


def test_listing_regions_needs_a_token_and_a_known_parent(client, db):
    assert_error(client.get("/api/v1/regions"), 401)
    _, headers = as_role("purchaser")
    assert_error(client.get("/api/v1/regions?parent_code=999999", headers=headers), 404)


# Organisations ---------------------------------------------------------------------------------

def test_admin_creates_a_budget_unit_under_a_parent_with_a_threshold(client, db):
    _, headers = as_role("admin")
    parent = factories.org("budget_unit")
    db.session.commit()
    response = client.post("/api/v1/organizations", headers=headers, json={
        "name": "拉萨市教育局", "kind": "budget_unit", "region_code": "540102",
        "parent_id": parent.id, "approval_threshold": "5000.00"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["parent_id"] == parent.id and body["approval_threshold"] == "5000.00"
    created = db.session.get(Organization, body["id"])
    assert created.tree_path == f"{parent.tree_path}{created.id}/"
    assert created.approval_threshold_fen == 500000


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_only_admins_create_organisations(client, db, role):
    _, headers = as_role(role)
    response = client.post("/api/v1/organizations", headers=headers, json={
        "name": "x单位", "kind": "budget_unit", "region_code": "540102"})
    assert_error(response, 403)
    assert Organization.query.filter_by(name="x单位").count() == 0


def test_union_needs_its_budget_unit(client, db):
    _, headers = as_role("admin")
    missing = client.post("/api/v1/organizations", headers=headers, json={
        "name": "工会", "kind": "union", "region_code": "540102"})
    assert "budget_unit_id" in assert_error(missing, 422)["fields"]
    unit = factories.org("budget_unit")
    db.session.commit()
    created = client.post("/api/v1/organizations", headers=headers, json={
        "name": "工会", "kind": "union", "region_code": "540102", "budget_unit_id": unit.id})
    assert created.status_code == 201 and created.get_json()["budget_unit_id"] == unit.id


def test_union_budget_unit_must_be_a_budget_unit(client, db):
    _, headers = as_role("admin")
    supplier = factories.org("supplier")
    db.session.commit()
    response = client.post("/api/v1/organizations", headers=headers, json={
        "name": "工会", "kind": "union", "region_code": "540102", "budget_unit_id": supplier.id})
    assert assert_error(response, 422)["fields"]["budget_unit_id"] == "not a budget_unit"


def test_audit_office_jurisdiction_is_its_region_prefix(client, db):
    _, headers = as_role("admin")
    response = client.post("/api/v1/organizations", headers=headers, json={
        "name": "林芝市财政局", "kind": "audit_office", "region_code": "540400"})
    assert response.status_code == 201
    assert response.get_json()["jurisdiction_prefix"] == "5404"
    province = client.post("/api/v1/organizations", headers=headers, json={
        "name": "西藏自治区财政厅", "kind": "audit_office", "region_code": "540000"})
    assert province.get_json()["jurisdiction_prefix"] == "54"


def test_admin_reads_an_organisation(client, db):
    _, headers = as_role("admin")
    unit = factories.org("budget_unit", name="某单位")
    db.session.commit()
    response = client.get(f"/api/v1/organizations/{unit.id}", headers=headers)
    assert response.get_json()["name"] == "某单位"
    assert_error(client.get("/api/v1/organizations/999999", headers=headers), 404)
    _, purchaser = as_role("purchaser")
    assert_error(client.get(f"/api/v1/organizations/{unit.id}", headers=purchaser), 403)


# Users ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, role", [
    ("budget_unit", "unit_manager"), ("union", "purchaser"), ("supplier", "supplier_staff"),
    ("audit_office", "auditor"), ("platform", "admin")])
def test_admin_creates_users_of_every_role(client, db, kind, role):
    _, headers = as_role("admin")
    org = factories.org(kind)
    db.session.commit()
    response = client.post("/api/v1/users", headers=headers, json={
        "email": f"New.{role}@Example.com", "password": "long-enough-1", "name": "新用户",
        "organization_id": org.id, "role": role})
    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == f"new.{role}@example.com" and body["role"] == role
    assert User.query.filter_by(email=body["email"]).one().organization_id == org.id


def test_a_created_user_gets_a_token_with_its_password(client, db):
    _, headers = as_role("admin")
    org = factories.org("budget_unit")
    db.session.commit()
    client.post("/api/v1/users", headers=headers, json={
        "email": "buyer@example.com", "password": "long-enough-1", "name": "采购员",
        "organization_id": org.id, "role": "purchaser"})
    token = client.post("/api/v1/auth/token", json={"email": "buyer@example.com",
                                                    "password": "long-enough-1"})
    assert token.status_code == 200


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_only_admins_create_users(client, db, role):
    _, headers = as_role(role)
    org = factories.org("budget_unit")
    db.session.commit()
    response = client.post("/api/v1/users", headers=headers, json={
        "email": "x@example.com", "password": "long-enough-1", "name": "x",
        "organization_id": org.id, "role": "admin"})
    assert_error(response, 403)
    assert User.query.filter_by(email="x@example.com").count() == 0


def test_duplicate_email_is_409(client, db):
    admin, headers = as_role("admin")
    org = factories.org("budget_unit")
    db.session.commit()
    response = client.post("/api/v1/users", headers=headers, json={
        "email": admin.email.upper(), "password": "long-enough-1", "name": "x",
        "organization_id": org.id, "role": "purchaser"})
    assert assert_error(response, 409, "duplicate")["fields"] == {"email": "taken"}


@pytest.mark.parametrize("change, field_name", [
    ({"email": "not-an-email"}, "email"),
    ({"password": "short"}, "password"),
    ({"role": "king"}, "role"),
    ({"role": "supplier_staff"}, "role"),
    ({"organization_id": 999999}, "organization_id"),
    ({"organization_id": None}, "organization_id"),
    ({"name": 5}, "name"),
])
def test_bad_user_is_422_with_the_field(client, db, change, field_name):
    _, headers = as_role("admin")
    org = factories.org("budget_unit")
    db.session.commit()
    body = {"email": "ok@example.com", "password": "long-enough-1", "name": "x",
            "organization_id": org.id, "role": "purchaser", **change}
    error = assert_error(client.post("/api/v1/users", headers=headers, json=body), 422)
    assert field_name in error["fields"]
    assert User.query.filter_by(email="ok@example.com").count() == 0


# Organisation status (the console's suspend / reactivate) -------------------------------------

def _supplier_with_goods(db):
    from tests.catalog.helpers import certified_staff, listed

    staff = certified_staff()
    product = listed(staff, name="林芝松茸")
    db.session.commit()
    return staff, product


def test_admin_suspends_a_supplier_as_the_console_does(client, db):
    from marketplace.audit.models import AuditEntry
    from marketplace.notifications.models import Notification
    from tests.helpers import bearer

    staff, product = _supplier_with_goods(db)
    supplier_token = bearer(staff)
    buyer = bearer(factories.user("purchaser"))
    assert client.get("/api/v1/products?q=松茸", headers=buyer).get_json()["total"] == 1
    _, headers = as_role("admin")
    response = client.patch(f"/api/v1/organizations/{staff.organization_id}", headers=headers,
                            json={"status": "suspended", "reason": "资质证书过期"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "suspended" and body["review_note"] == "资质证书过期"
    # Its members' tokens end, its goods are off sale, they are told why, it is audited.
    assert_error(client.get("/api/v1/products", headers=supplier_token), 401)
    assert client.get("/api/v1/products?q=松茸", headers=buyer).get_json()["total"] == 0
    assert_error(client.get(f"/api/v1/products/{product.id}", headers=buyer), 404)
    notice = Notification.query.filter_by(user_id=staff.id).order_by(
        Notification.id.desc()).first()
    assert "资质证书过期" in str(notice.message)
    entry = AuditEntry.query.filter_by(action="organization.suspend").one()
    assert entry.detail["api_tokens_revoked"] >= 1

    again = client.patch(f"/api/v1/organizations/{staff.organization_id}", headers=headers,
                         json={"status": "suspended", "reason": "再次"})
    assert_error(again, 409)
    back = client.patch(f"/api/v1/organizations/{staff.organization_id}", headers=headers,
                        json={"status": "active"})
    assert back.status_code == 200 and back.get_json()["status"] == "active"
    assert client.get("/api/v1/products?q=松茸", headers=buyer).get_json()["total"] == 1
    assert AuditEntry.query.filter_by(action="organization.reactivate").count() == 1


def test_a_suspension_needs_a_reason_and_a_known_status(client, db):
    unit = factories.org("budget_unit")
    db.session.commit()
    _, headers = as_role("admin")
    for body, field in (({"status": "suspended"}, "reason"),
                        ({"status": "suspended", "reason": "  "}, "reason"),
                        ({"status": "closed"}, "status"), ({}, "status"),
                        ({"status": "suspended", "reason": "x" * 501}, "reason")):
        response = client.patch(f"/api/v1/organizations/{unit.id}", headers=headers, json=body)
        assert field in assert_error(response, 422)["fields"], body
    db.session.expire_all()
    assert db.session.get(Organization, unit.id).status == "active"


def test_a_pending_registration_is_approved_or_rejected(client, db):
    pending = factories.org("supplier", status="pending")
    rejected = factories.org("enterprise", status="pending")
    platform = Organization.query.filter_by(kind="platform").first() or \
        factories.org("platform")
    db.session.commit()
    _, headers = as_role("admin")
    assert client.patch(f"/api/v1/organizations/{pending.id}", headers=headers,
                        json={"status": "active"}).get_json()["status"] == "active"
    assert client.patch(f"/api/v1/organizations/{rejected.id}", headers=headers,
                        json={"status": "rejected", "reason": "材料不全"}
                        ).get_json()["status"] == "rejected"
    assert_error(client.patch(f"/api/v1/organizations/{platform.id}", headers=headers,
                              json={"status": "suspended", "reason": "x"}), 409)


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_only_admins_change_an_organisations_status(client, db, role):
    user, headers = as_role(role)
    response = client.patch(f"/api/v1/organizations/{user.organization_id}", headers=headers,
                            json={"status": "suspended", "reason": "自己停用"})
    assert_error(response, 403, "forbidden")
    db.session.expire_all()
    assert db.session.get(Organization, user.organization_id).status == "active"
