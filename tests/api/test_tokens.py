"""Bearer tokens: issue, use, expire, revoke; the session cookie is never enough."""
from datetime import timedelta

from marketplace.accounts.models import ApiToken
from marketplace.api.core import hash_token
from marketplace.timeutil import utcnow
from tests import factories
from tests.helpers import assert_error, bearer, login, token_for

ME = "/api/v1/regions"  # any endpoint that needs a token


def test_right_password_gets_a_token_that_works(client, db):
    user = factories.user("purchaser")
    db.session.commit()
    response = client.post("/api/v1/auth/token",
                           json={"email": user.email.upper(), "password": factories.PASSWORD})
    assert response.status_code == 200
    token = response.get_json()["token"]
    assert client.get(ME, headers=bearer(token)).status_code == 200


def test_token_is_stored_only_as_a_hash_with_an_expiry(client, db):
    user = factories.user("purchaser")
    db.session.commit()
    response = client.post("/api/v1/auth/token", json={"email": user.email,
                                                       "password": factories.PASSWORD})
    token = response.get_json()["token"]
    stored = ApiToken.query.one()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert stored.expires_at > utcnow() + timedelta(days=1)
    assert response.get_json()["expires_at"].endswith("+08:00")


def test_wrong_password_and_unknown_email_get_the_same_401(client, db):
    user = factories.user("purchaser")
    db.session.commit()
    wrong = client.post("/api/v1/auth/token", json={"email": user.email, "password": "nope-nope"})
    unknown = client.post("/api/v1/auth/token", json={"email": "no@example.com", "password": "x"})
    assert assert_error(wrong, 401, "invalid_credentials") == \
        assert_error(unknown, 401, "invalid_credentials")
    assert ApiToken.query.count() == 0


def test_disabled_user_gets_no_token(client, db):
    user = factories.user("purchaser", active=False)
    db.session.commit()
    response = client.post("/api/v1/auth/token", json={"email": user.email,
                                                       "password": factories.PASSWORD})
    assert_error(response, 401)


def test_token_issuance_is_rate_limited(app, client, db, monkeypatch):
    assert app.config["LOGIN_RATE_LIMIT"] == "10 per minute"
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")  # fewer slow hashes
    for _ in range(3):
        client.post("/api/v1/auth/token", json={"email": "x@example.com", "password": "wrong"})
    response = client.post("/api/v1/auth/token", json={"email": "x@example.com", "password": "y"})
    assert_error(response, 429, "rate_limited")


def test_missing_token_is_401_with_challenge(client, db):
    response = client.get(ME)
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_401(client, db):
    assert_error(client.get(ME, headers=bearer("not-a-token")), 401, "invalid_token")
    assert_error(client.get(ME, headers={"Authorization": "Basic abc"}), 401, "unauthorized")


def test_expired_token_is_401(client, db):
    user = factories.user("purchaser")
    token = token_for(user)
    ApiToken.query.one().expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert_error(client.get(ME, headers=bearer(token)), 401, "token_expired")


def test_revoked_token_stops_working(client, db):
    user = factories.user("purchaser")
    token = token_for(user)
    assert client.delete("/api/v1/auth/token", headers=bearer(token)).status_code == 204
    assert_error(client.get(ME, headers=bearer(token)), 401, "token_revoked")
    assert_error(client.delete("/api/v1/auth/token", headers=bearer(token)), 401)


def test_revoking_one_token_keeps_the_others(client, db):
    user = factories.user("purchaser")
    first, second = token_for(user), token_for(user)
    client.delete("/api/v1/auth/token", headers=bearer(first))
    assert client.get(ME, headers=bearer(second)).status_code == 200


def test_token_of_a_deactivated_user_stops_working(client, db):
    user = factories.user("purchaser")
    token = token_for(user)
    user.active = False
    db.session.commit()
    assert_error(client.get(ME, headers=bearer(token)), 401, "account_disabled")


def test_use_records_last_used_at(client, db):
    user = factories.user("purchaser")
    token = token_for(user)
    assert ApiToken.query.one().last_used_at is None
    before = utcnow()
    client.get(ME, headers=bearer(token))
    db.session.expire_all()
    assert ApiToken.query.one().last_used_at >= before - timedelta(seconds=1)


def test_logged_in_browser_session_without_token_gets_401(client, db):
    admin = factories.user("admin")
    db.session.commit()
    login(client, admin)
    assert client.get("/").status_code == 200  # the session works for pages
    assert_error(client.get(ME), 401)
    response = client.post("/api/v1/regions", json={"code": "540499", "name": "x",
                                                    "parent_code": "540400"})
    assert_error(response, 401)


def test_token_user_not_session_user_is_the_actor(client, db):
    from marketplace.audit.models import AuditEntry

    session_admin = factories.user("admin")
    token_admin = factories.user("admin")
    db.session.commit()
    login(client, session_admin)
    response = client.post("/api/v1/regions", headers=bearer(token_admin),
                           json={"code": "540499", "name": "测试县", "parent_code": "540400"})
    assert response.status_code == 201
    entry = AuditEntry.query.filter_by(action="region.create").one()
    assert entry.actor_id == token_admin.id


def test_api_needs_no_csrf_token(client, db):
    admin = factories.user("admin")
    db.session.commit()
    response = client.post("/api/v1/regions", headers=bearer(admin),
                           json={"code": "540499", "name": "测试县", "parent_code": "540400"})
    assert response.status_code == 201


def test_api_answers_set_no_cookie(client, db):
    user = factories.user("admin")
    db.session.commit()
    token = client.post("/api/v1/auth/token", json={"email": user.email,
                                                    "password": factories.PASSWORD})
    used = client.get(ME, headers=bearer(token.get_json()["token"]))
    refused = client.get(ME)
    for response in (token, used, refused):
        assert "Set-Cookie" not in response.headers
