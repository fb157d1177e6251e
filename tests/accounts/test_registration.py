"""Self-registration of a buyer or supplier organisation, and the admin's decision on it."""
import pytest

from marketplace import mail
from marketplace.accounts.models import Organization, User
from tests import factories


def registration(**overrides):
    data = {"kind": "supplier", "org_name": "林芝巴宜区松茸专业合作社", "region_code": "540402",
            "contact_name": "次仁", "contact_phone": "13800000000", "email": "ciren@example.com",
            "password": "secret-pass-1", "confirm": "secret-pass-1", "credit_code": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("kind,role", [("supplier", "supplier_staff"),
                                       ("budget_unit", "unit_manager"),
                                       ("enterprise", "purchaser")])
def test_registration_creates_a_pending_organisation_and_its_first_user(client, db, post_form,
                                                                        kind, role):
    response = post_form("/register", registration(kind=kind))
    assert response.status_code == 302
    assert "审核" in client.get(response.headers["Location"]).get_data(as_text=True)
    org = Organization.query.filter_by(name="林芝巴宜区松茸专业合作社").one()
    assert (org.kind, org.status, org.region_code) == (kind, "pending", "540402")
    user = User.query.filter_by(email="ciren@example.com").one()
    assert user.role == role and user.organization_id == org.id


def test_registered_user_cannot_log_in_before_approval(client, db, post_form):
    post_form("/register", registration())
    response = post_form("/login", {"email": "ciren@example.com", "password": "secret-pass-1"})
    assert response.status_code == 401


def test_registration_answers_the_same_for_a_taken_email_and_tells_its_owner(client, db,
                                                                             post_form):
    owner = factories.user("purchaser", email="ciren@example.com")
    db.session.commit()
    taken = post_form("/register", registration())
    fresh = post_form("/register", registration(email="new@example.com",
                                                org_name="另一个合作社"))
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"]
    assert client.get(taken.headers["Location"]).get_data(as_text=True) == \
        client.get(fresh.headers["Location"]).get_data(as_text=True)
    assert Organization.query.filter_by(name="林芝巴宜区松茸专业合作社").count() == 0
    assert User.query.filter_by(email="ciren@example.com").one().id == owner.id
    to_owner = [m for m in mail.outbox() if "ciren@example.com" in m["To"]]
    assert len(to_owner) == 1 and "/login" in to_owner[0].get_content()
    assert "/password/forgot" in to_owner[0].get_content()


def test_a_taken_email_with_bad_fields_gets_the_same_422_as_a_new_one(client, db, post_form):
    factories.user("purchaser", email="ciren@example.com")
    db.session.commit()
    for email in ("ciren@example.com", "new@example.com"):
        answer = post_form("/register", registration(email=email, password="short",
                                                     confirm="short"))
        assert answer.status_code == 422
    assert not [m for m in mail.outbox() if "ciren@example.com" in m["To"]]


@pytest.mark.parametrize("overrides", [{"kind": "union"}, {"kind": "platform"},
                                       {"region_code": "999999"}, {"confirm": "different-1"},
                                       {"password": "short", "confirm": "short"},
                                       {"email": "not-an-email"}, {"org_name": ""}])
def test_malformed_registration_is_refused_with_422_and_nothing_created(client, db, post_form,
                                                                          overrides):
    response = post_form("/register", registration(**overrides))
    assert response.status_code == 422
    assert Organization.query.filter_by(status="pending").count() == 0
    assert User.query.count() == 0


def test_registration_without_csrf_token_is_refused(client, db):
    response = client.post("/register", data=registration())
    assert response.status_code == 400
    assert Organization.query.count() == 0


def test_admin_sees_the_pending_registration_and_approves_it(client, db, login_as, post_form):
    admin = factories.user("admin")
    db.session.commit()
    post_form("/register", registration())
    org = Organization.query.filter_by(status="pending").one()
    login_as(admin)
    assert "林芝巴宜区松茸专业合作社" in client.get("/admin/").get_data(as_text=True)
    listing = client.get("/admin/organizations?status=pending").get_data(as_text=True)
    assert "林芝巴宜区松茸专业合作社" in listing
    assert "新的注册申请待审核" in client.get("/notifications/").get_data(as_text=True)
    response = post_form(f"/admin/organizations/{org.id}/status", {"action": "approve", "note": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organization, org.id).status == "active"
    sent = [message for message in mail.outbox() if "ciren@example.com" in message["To"]]
    assert sent and "已通过审核" in sent[-1].get_content()
    post_form("/logout")
    answer = post_form("/login", {"email": "ciren@example.com", "password": "secret-pass-1"})
    assert answer.status_code == 302
    assert "次仁" in client.get("/").get_data(as_text=True)


def test_rejection_needs_a_note_and_mails_it_to_the_registrant(client, db, login_as, post_form):
    post_form("/register", registration())
    org = Organization.query.filter_by(status="pending").one()
    login_as("admin")
    refused = post_form(f"/admin/organizations/{org.id}/status", {"action": "reject", "note": ""})
    assert refused.status_code == 422
    assert "请填写原因" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organization, org.id).status == "pending"
    response = post_form(f"/admin/organizations/{org.id}/status",
                         {"action": "reject", "note": "营业执照不清晰"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organization, org.id).status == "rejected"
    body = mail.outbox()[-1].get_content()
    assert "未通过审核" in body and "营业执照不清晰" in body


def test_suspend_and_reactivate_an_active_organisation(client, db, login_as, post_form):
    supplier = factories.org("supplier")
    staff = factories.user("supplier_staff", organization=supplier)
    login_as("admin")
    post_form(f"/admin/organizations/{supplier.id}/status", {"action": "suspend", "note": "投诉核查中"})
    db.session.expire_all()
    assert db.session.get(Organization, supplier.id).status == "suspended"
    assert not db.session.get(User, staff.id).is_active
    post_form(f"/admin/organizations/{supplier.id}/status", {"action": "reactivate", "note": ""})
    db.session.expire_all()
    assert db.session.get(Organization, supplier.id).status == "active"


def test_an_action_that_does_not_fit_the_status_is_refused(client, db, login_as, post_form):
    supplier = factories.org("supplier")
    login_as("admin")
    response = post_form(f"/admin/organizations/{supplier.id}/status", {"action": "reject",
                                                                       "note": "x"})
    assert response.status_code == 409
    assert "不允许此操作" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organization, supplier.id).status == "active"


def test_passwords_are_stored_as_argon2id_hashes(client, db, post_form):
    post_form("/register", registration())
    stored = User.query.filter_by(email="ciren@example.com").one().password_hash
    assert stored.startswith("$argon2id$") and "secret-pass-1" not in stored


def test_the_region_select_names_regions_without_codes_in_the_readers_language(client, db):
    page = client.get("/register").get_data(as_text=True)
    assert '<option value="540402">林芝市 巴宜区</option>' in page
    assert "(540402)" not in page

    client.get("/language/en")
    english = client.get("/register").get_data(as_text=True)
    assert '<option value="540402">Nyingchi ' in english
