"""Organisation and user rules live in the accounts services: the admin console and the API
give the same answers, and a duplicate e-mail that slips past the check is a 409 / a form
error on both, never a 500."""
import pytest
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from marketplace.accounts.models import ApiToken, Organization, User
from marketplace.timeutil import utcnow
from tests import factories
from tests.helpers import as_role, assert_error, login

ORG_CASES = [
    # (what is sent, the field the answer names)
    ({"name": "某合作社", "kind": "supplier", "approval_threshold": "5000"}, "approval_threshold"),
    ({"name": "某工会", "kind": "union"}, "budget_unit_id"),
    ({"name": "某企业", "kind": "enterprise", "budget_unit_id": "{unit}"}, "budget_unit_id"),
    ({"name": "某合作社", "kind": "supplier", "parent_id": "{unit}"}, "parent_id"),
    ({"name": "某单位", "kind": "budget_unit", "parent_id": "{supplier}"}, "parent_id"),
    ({"name": "某单位", "kind": "budget_unit", "approval_threshold": "-5"},
     "approval_threshold"),
    ({"name": "长" * 201, "kind": "enterprise"}, "name"),
    ({"name": "某企业", "kind": "enterprise", "contact_phone": "1" * 41}, "contact_phone"),
]


@pytest.fixture
def refs(db):
    unit = factories.org("budget_unit")
    supplier = factories.org("supplier")
    db.session.commit()
    return {"unit": unit.id, "supplier": supplier.id}


def _fill(body, refs):
    return {key: (int(value.format(**refs)) if isinstance(value, str) and value.startswith("{")
                  else value) for key, value in body.items()}


@pytest.mark.parametrize("body, field_name", ORG_CASES)
def test_console_and_api_refuse_the_same_organisations(client, db, refs, post_form, body,
                                                       field_name):
    admin, headers = as_role("admin")
    sent = dict(_fill(body, refs), region_code="540102")
    error = assert_error(client.post("/api/v1/organizations", headers=headers, json=sent), 422)
    assert field_name in error["fields"]
    login(client, admin)
    form = {key: str(value) for key, value in sent.items()}
    response = post_form("/admin/organizations/new", form)
    assert response.status_code == 422
    assert Organization.query.filter_by(name=sent["name"]).count() == 0


def test_console_and_api_create_the_same_union(client, db, refs, post_form):
    admin, headers = as_role("admin")
    created = client.post("/api/v1/organizations", headers=headers, json={
        "name": "工会甲", "kind": "union", "region_code": "540102", "budget_unit_id": refs["unit"]})
    assert created.status_code == 201
    login(client, admin)
    response = post_form("/admin/organizations/new", {
        "name": "工会乙", "kind": "union", "region_code": "540102",
        "budget_unit_id": str(refs["unit"]), "parent_id": "0"})
    assert response.status_code == 302
    unions = Organization.query.filter_by(kind="union").order_by(Organization.name).all()
    assert [(u.name, u.budget_unit_id) for u in unions] == [("工会乙", refs["unit"]),
                                                          ("工会甲", refs["unit"])]


@pytest.fixture
def racing_email(db, backend):
    """Another request inserts (and commits) the same e-mail just before this one's insert:
    the check saw it free, the unique index refuses ours.

    PostgreSQL only: on SQLite a writing request holds the database's write lock from its
    first statement (BEGIN IMMEDIATE), so no other request can get in between.
    """
    if backend != "postgresql":
        pytest.skip("SQLite serialises writing requests: the race cannot happen there")
    engine = db.engine
    owner = factories.org("enterprise")
    db.session.commit()
    owner_id = owner.id

    done = []

    def take_it_first(session, _context, _instances):
        for instance in session.new:
            if isinstance(instance, User) and instance.email == "race@example.com" and not done:
                done.append(True)
                with engine.begin() as other:
                    other.execute(insert(User).values(
                        email="race@example.com", password_hash="x", name="先到者",
                        role="purchaser", organization_id=owner_id, active=True,
                        session_generation=0, created_at=utcnow()))
                return

    event.listen(Session, "before_flush", take_it_first)
    yield "race@example.com"
    event.remove(Session, "before_flush", take_it_first)
    assert done, "the other request never got in"


def test_a_duplicate_email_race_is_a_409_on_the_api(client, db, racing_email):
    _, headers = as_role("admin")
    org = factories.org("enterprise")
    # The token was just used: this request writes nothing before the user (SQLite lets one
    # writer at a time, so the other request must get in before this one's first write).
    ApiToken.query.update({ApiToken.last_used_at: utcnow()})
    db.session.commit()
    response = client.post("/api/v1/users", headers=headers, json={
        "email": racing_email, "password": "long-enough-1", "name": "后到者",
        "organization_id": org.id, "role": "purchaser"})
    assert assert_error(response, 409, "duplicate")["fields"] == {"email": "taken"}
    assert [u.name for u in User.query.filter_by(email=racing_email)] == ["先到者"]


def test_a_duplicate_email_race_is_a_form_error_on_the_admin_page(client, db, login_as,
                                                                   post_form, racing_email):
    login_as("admin")
    org = factories.org("enterprise")
    db.session.commit()
    response = post_form(f"/admin/organizations/{org.id}/users", {
        "name": "后到者", "email": racing_email, "password": "long-enough-1",
        "role": "purchaser"})
    assert response.status_code == 409
    assert "该电子邮箱已被使用" in response.get_data(as_text=True)
    assert [u.name for u in User.query.filter_by(email=racing_email)] == ["先到者"]
