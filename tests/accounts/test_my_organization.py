"""A unit's or supplier's own people, approval threshold and delivery addresses."""
import pytest

from marketplace.accounts.models import DeliveryAddress, Organization, User
from tests import factories


def member(**overrides):
    data = {"name": "卓玛", "email": "zhuoma@example.com", "password": "initial-pass-1",
            "role": "purchaser"}
    data.update(overrides)
    return data


def test_my_organization_lists_its_users_only(client, db, login_as):
    manager = login_as("unit_manager")
    colleague = factories.user("purchaser", organization=manager.organization)
    stranger = factories.user("purchaser")
    db.session.commit()
    body = client.get("/my/organization").get_data(as_text=True)
    assert manager.organization.name in body and colleague.email in body
    assert stranger.email not in body


@pytest.mark.parametrize("role", ["purchaser", "unit_manager"])
def test_unit_manager_adds_a_purchaser_or_manager_to_its_unit(client, db, login_as, post_form,
                                                              role):
    manager = login_as("unit_manager")
    response = post_form("/my/organization/members", member(role=role))
    assert response.status_code == 302
    added = User.query.filter_by(email="zhuoma@example.com").one()
    assert (added.role, added.organization_id) == (role, manager.organization_id)
    assert post_form("/logout").status_code == 302
    assert post_form("/login", {"email": "zhuoma@example.com",
                                "password": "initial-pass-1"}).status_code == 302


def test_supplier_staff_add_staff_to_their_supplier_whatever_role_is_posted(client, db, login_as,
                                                                            post_form):
    staff = login_as("supplier_staff")
    post_form("/my/organization/members", member(role="unit_manager"))
    added = User.query.filter_by(email="zhuoma@example.com").one()
    assert (added.role, added.organization_id) == ("supplier_staff", staff.organization_id)


@pytest.mark.parametrize("role", ["purchaser", "auditor", "admin"])
def test_other_roles_cannot_add_members(client, db, login_as, post_form, role):
    login_as(role)
    assert post_form("/my/organization/members", member()).status_code == 403
    assert User.query.filter_by(email="zhuoma@example.com").count() == 0


def test_adding_a_member_with_a_taken_email_keeps_the_form(client, db, login_as, post_form):
    login_as("unit_manager")
    factories.user("purchaser", email="zhuoma@example.com")
    db.session.commit()
    response = post_form("/my/organization/members", member())
    assert response.status_code == 409
    assert "该电子邮箱已被使用" in response.get_data(as_text=True)
    assert User.query.filter_by(email="zhuoma@example.com").count() == 1


def test_a_bad_member_form_is_refused(client, db, login_as, post_form):
    login_as("unit_manager")
    response = post_form("/my/organization/members", member(email="bad", password="x"))
    assert response.status_code == 422
    assert User.query.filter_by(name="卓玛").count() == 0


def test_unit_manager_sets_and_clears_the_approval_threshold(client, db, login_as, post_form):
    manager = login_as("unit_manager")
    assert post_form("/my/organization/threshold",
                     {"approval_threshold": "5000.50"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Organization, manager.organization_id).approval_threshold_fen == 500050
    assert "¥5,000.50" in client.get("/my/organization").get_data(as_text=True)
    post_form("/my/organization/threshold", {"approval_threshold": ""})
    db.session.expire_all()
    assert db.session.get(Organization, manager.organization_id).approval_threshold_fen is None


@pytest.mark.parametrize("value", ["abc", "-1", "1e999"])
def test_a_bad_threshold_is_refused_and_changes_nothing(client, db, login_as, post_form, value):
    manager = login_as("unit_manager")
    manager.organization.approval_threshold_fen = 100
    db.session.commit()
    response = post_form("/my/organization/threshold", {"approval_threshold": value})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Organization, manager.organization_id).approval_threshold_fen == 100


def test_purchaser_of_a_budget_unit_cannot_set_the_threshold(client, db, login_as, post_form):
    login_as("purchaser")
    assert post_form("/my/organization/threshold",
                     {"approval_threshold": "1"}).status_code == 403


def address(**overrides):
    data = {"label": "职工食堂", "recipient": "格桑", "phone": "0891-1234567",
            "address": "拉萨市城关区北京中路 1 号"}
    data.update(overrides)
    return data


def test_unit_manager_adds_edits_and_deletes_delivery_addresses(client, db, login_as, post_form):
    manager = login_as("unit_manager")
    assert post_form("/my/organization/addresses", address()).status_code == 302
    entry = DeliveryAddress.query.one()
    assert entry.organization_id == manager.organization_id
    assert "职工食堂" in client.get("/my/organization/addresses").get_data(as_text=True)
    post_form(f"/my/organization/addresses/{entry.id}", address(label="第二食堂"))
    db.session.expire_all()
    assert db.session.get(DeliveryAddress, entry.id).label == "第二食堂"
    post_form(f"/my/organization/addresses/{entry.id}/delete")
    assert DeliveryAddress.query.count() == 0


def test_an_incomplete_address_is_refused(client, db, login_as, post_form):
    login_as("unit_manager")
    response = post_form("/my/organization/addresses", address(recipient=""))
    assert response.status_code == 422
    assert DeliveryAddress.query.count() == 0


def test_another_units_address_cannot_be_seen_edited_or_deleted(client, db, login_as, post_form):
    other = factories.org("budget_unit")
    foreign = DeliveryAddress(organization_id=other.id, label="别人的食堂", recipient="x",
                              phone="1", address="y")
    db.session.add(foreign)
    db.session.commit()
    login_as("unit_manager")
    assert "别人的食堂" not in client.get("/my/organization/addresses").get_data(as_text=True)
    assert client.get(f"/my/organization/addresses/{foreign.id}").status_code == 404
    assert post_form(f"/my/organization/addresses/{foreign.id}",
                     address(label="改掉")).status_code == 404
    assert post_form(f"/my/organization/addresses/{foreign.id}/delete").status_code == 404
    db.session.expire_all()
    assert db.session.get(DeliveryAddress, foreign.id).label == "别人的食堂"


def test_union_purchaser_keeps_its_own_addresses_but_unit_purchaser_cannot(client, db, login_as,
                                                                            post_form):
    union = factories.org("union")
    login_as("purchaser", organization=union)
    assert post_form("/my/organization/addresses", address()).status_code == 302
    assert DeliveryAddress.query.one().organization_id == union.id
    login_as("purchaser")
    assert client.get("/my/organization/addresses").status_code == 403


def test_user_changes_its_password_knowing_the_current_one(client, db, login_as, post_form):
    user = login_as("supplier_staff")
    wrong = post_form("/my/password", {"current_password": "not-it-at-all",
                                       "password": "next-pass-123", "confirm": "next-pass-123"})
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.get_data(as_text=True)
    right = post_form("/my/password", {"current_password": factories.PASSWORD,
                                       "password": "next-pass-123", "confirm": "next-pass-123"})
    assert right.status_code == 302
    post_form("/logout")
    answer = post_form("/login", {"email": user.email, "password": "next-pass-123"})
    assert answer.status_code == 302


def test_unit_manager_sees_its_subordinate_units(client, db, login_as):
    manager = login_as("unit_manager")
    factories.org("budget_unit", name="下属学校", parent=manager.organization)
    factories.org("budget_unit", name="别处学校")
    db.session.commit()
    body = client.get("/my/organization").get_data(as_text=True)
    assert "下属学校" in body and "别处学校" not in body
