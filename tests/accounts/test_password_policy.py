"""Passwords anyone could guess are refused everywhere a password is chosen: registration,
reset, change, a member added by a manager, the admin API (422) and create-admin."""
import pytest

from marketplace.accounts import services
from marketplace.accounts.models import User
from marketplace.errors import ValidationError
from tests import factories

WEAK = {"12345678": "too_short", "aaaaaaaaaaaa": "repeated", "password": "too_short",
        "password1234": "common", "qwertyuiop": "common", "1234567890": "common",
        "iloveyou123": "common"}
STRONG = "xizang-tea-harvest-42"


@pytest.mark.parametrize("password, reason", sorted(WEAK.items()))
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    with pytest.raises(ValidationError) as caught:
        services.validate_password(password, "zhuoma@school.cn", "卓玛")
    assert caught.value.fields == {"password": reason}


def test_the_email_or_name_is_refused_as_a_password():
    for password in ("zhuoma@school.cn", "zhuoma-school", "Zhuoma2026!!", "tashi delek 1"):
        with pytest.raises(ValidationError) as caught:
            services.validate_password(password, "zhuoma@school.cn", "tashi delek")
        assert caught.value.fields["password"] in ("personal", "common"), password
    services.validate_password(STRONG, "zhuoma@school.cn", "卓玛")


def test_registration_refuses_a_weak_password(client, db, post_form):
    answer = post_form("/register", {
        "org_name": "拉萨市某合作社", "kind": "supplier", "region_code": "540102",
        "contact_name": "扎西", "email": "tashi@coop.cn", "password": "tashi@coop.cn",
        "confirm": "tashi@coop.cn", "contact_phone": "13800000000"})
    assert answer.status_code == 422
    assert User.query.filter_by(email="tashi@coop.cn").count() == 0


def test_reset_and_change_refuse_a_weak_password(client, db, login_as, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    token = services.make_reset_token(user)
    answer = post_form(f"/password/reset/{token}", {"password": "password1234",
                                                    "confirm": "password1234"})
    assert answer.status_code == 422
    login_as(user)
    answer = post_form("/my/password", {"current_password": factories.PASSWORD,
                                        "password": "1234567890", "confirm": "1234567890"})
    assert answer.status_code == 422
    assert services.authenticate(user.email, factories.PASSWORD) is not None


def test_a_manager_cannot_add_a_member_with_a_weak_password(client, db, login_as, post_form):
    login_as("unit_manager")
    answer = post_form("/my/organization/members", {
        "email": "new@school.cn", "name": "新人", "password": "aaaaaaaaaaaa",
        "confirm": "aaaaaaaaaaaa", "role": "purchaser"})
    assert answer.status_code == 422
    assert User.query.filter_by(email="new@school.cn").count() == 0


def test_admin_api_answers_422_for_a_weak_password(client, db):
    admin = factories.user("admin")
    org = factories.org("budget_unit")
    db.session.commit()
    token = client.post("/api/v1/auth/token", json={"email": admin.email,
                                                    "password": factories.PASSWORD})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    body = {"email": "buyer@school.cn", "name": "卓玛", "organization_id": org.id,
            "role": "purchaser"}
    for weak in ("password1234", "buyer@school.cn", "1111111111", "short"):
        answer = client.post("/api/v1/users", headers=headers, json={**body, "password": weak})
        assert answer.status_code == 422, weak
        assert "password" in answer.get_json()["error"]["fields"]
    assert client.post("/api/v1/users", headers=headers,
                       json={**body, "password": STRONG}).status_code == 201


def test_create_admin_refuses_a_weak_password(app, db):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["create-admin", "boss@platform.cn", "--password", "admin12345"])
    assert weak.exit_code != 0 and User.query.filter_by(email="boss@platform.cn").count() == 0
    strong = runner.invoke(args=["create-admin", "boss@platform.cn", "--password", STRONG])
    assert strong.exit_code == 0, strong.output
