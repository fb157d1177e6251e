"""Logging in and out, on both databases."""
from tests import factories


def test_login_with_right_password_lands_on_home(client, db, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    response = post_form("/login", {"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert user.name in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_message(client, db, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    wrong = post_form("/login", {"email": user.email, "password": "nope-nope-nope"})
    unknown = post_form("/login", {"email": "nobody@example.com", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    message = "电子邮箱或密码错误"
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, db):
    user = factories.user("purchaser")
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "_user_id" not in client.get_cookie("session").value if client.get_cookie("session") else True


def test_pending_organisation_cannot_log_in(client, db, post_form):
    org = factories.org("supplier", status="pending")
    user = factories.user("supplier_staff", organization=org)
    db.session.commit()
    response = post_form("/login", {"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 401


def test_logout_ends_the_session(client, login_as, post_form):
    user = login_as("purchaser")
    assert user.name in client.get("/").get_data(as_text=True)
    post_form("/logout")
    assert user.name not in client.get("/").get_data(as_text=True)


def test_login_is_rate_limited(client, db, post_form):
    for _ in range(10):
        post_form("/login", {"email": "x@example.com", "password": "wrong-password"})
    response = post_form("/login", {"email": "x@example.com", "password": "wrong-password"})
    assert response.status_code == 429
