"""A new password, a reset, a deactivation or a suspension ends the user's other logins and
API tokens; reactivation revives none of them."""
from marketplace.accounts import services
from marketplace.accounts.models import ApiToken
from tests import factories
from tests.helpers import csrf_token, login, statements_during

NEW = "brand-new-pass-1"


def logged_in(client):
    """Whether the client reaches a page only logged-in users see (else: sent to log in)."""
    return client.get("/my/organization").status_code == 200


def token_by_password(client, user, password=factories.PASSWORD):
    """A token from the token endpoint (whose answer to an old or new password is tested here)."""
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": password})
    assert response.status_code == 200
    return response.get_json()["token"]


def api_works(client, token):
    return client.get("/api/v1/orders",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 200


def change_password(client, current=factories.PASSWORD, new=NEW):
    return client.post("/my/password", data={"current_password": current, "password": new,
                                             "confirm": new, "csrf_token": csrf_token(client)})


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, login_as):
    user = login_as("purchaser")
    other = login(app.test_client(), user)
    assert logged_in(client) and logged_in(other)
    assert change_password(client).status_code == 302
    assert logged_in(client)
    assert not logged_in(other)
    assert other.get("/my/organization").headers["Location"].startswith("/login")


def test_remember_me_follows_the_new_password_on_this_device_only(app, client, db, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    laptop = app.test_client()
    for device in (client, laptop):
        answer = device.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                             "remember": "y", "csrf_token": csrf_token(device)})
        assert answer.status_code == 302 and device.get_cookie("remember_token") is not None
    assert change_password(client).status_code == 302
    # The browser is closed: only the remember-me cookie is left on each device.
    for device in (client, laptop):
        device.delete_cookie("session")
    assert logged_in(client)
    assert not logged_in(laptop)
    assert laptop.get_cookie("remember_token") is None  # the stale cookie is cleared


def test_a_password_reset_logs_the_user_out_everywhere(app, client, db, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    phone = login(app.test_client(), user)
    assert logged_in(phone)
    token = services.make_reset_token(user)
    response = post_form(f"/password/reset/{token}", {"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert not logged_in(phone)
    assert post_form("/login", {"email": user.email, "password": NEW}).status_code == 302


def test_a_deactivated_user_is_logged_out_and_its_tokens_revoked(app, client, login_as):
    user = factories.user("purchaser")
    login_as("admin")
    phone = login(app.test_client(), user)
    token = token_by_password(phone, user)
    assert logged_in(phone) and api_works(phone, token)
    response = client.post(f"/admin/users/{user.id}/active",
                           data={"active": "0", "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert not logged_in(phone)
    assert not api_works(phone, token)
    # Reactivation lets the user log in again, but what was ended stays ended.
    client.post(f"/admin/users/{user.id}/active",
                data={"active": "1", "csrf_token": csrf_token(client)})
    assert not logged_in(phone)
    assert not api_works(phone, token)
    assert ApiToken.query.filter_by(user_id=user.id).one().revoked_at is not None
    assert logged_in(login(phone, user))


def test_changing_the_password_revokes_the_api_tokens(client, login_as):
    user = login_as("purchaser")
    token = token_by_password(client, user)
    assert api_works(client, token)
    assert change_password(client).status_code == 302
    assert not api_works(client, token)
    assert api_works(client, token_by_password(client, user, password=NEW))


def test_a_reset_revokes_the_api_tokens(client, db, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    token = token_by_password(client, user)
    post_form(f"/password/reset/{services.make_reset_token(user)}",
              {"password": NEW, "confirm": NEW})
    assert not api_works(client, token)
    assert api_works(client, token_by_password(client, user, password=NEW))


def test_a_session_without_the_password_fingerprint_is_not_logged_in(client, db):
    user = factories.user("purchaser")
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # the id alone, as before fingerprints
    assert not logged_in(client)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{'0' * 16}"
    assert not logged_in(client)


def test_a_suspension_ends_the_members_logins_for_good(app, client, db, login_as, post_form):
    supplier = factories.org("supplier")
    staff = factories.user("supplier_staff", organization=supplier)
    bystander = factories.user("supplier_staff", organization=factories.org("supplier"))
    db.session.commit()
    phone, other = login(app.test_client(), staff), login(app.test_client(), bystander)
    token = token_by_password(phone, staff)
    login_as("admin")
    assert post_form(f"/admin/organizations/{supplier.id}/status",
                     {"action": "suspend", "note": "投诉核查中"}).status_code == 302
    assert not logged_in(phone) and not api_works(phone, token)
    assert post_form(f"/admin/organizations/{supplier.id}/status",
                     {"action": "reactivate"}).status_code == 302
    assert not logged_in(phone) and not api_works(phone, token)
    assert logged_in(other)
    fresh = app.test_client()
    answer = fresh.post("/login", data={"email": staff.email, "password": factories.PASSWORD,
                                        "csrf_token": csrf_token(fresh)})
    assert answer.status_code == 302 and logged_in(fresh)


def _login_remembered(app, user, password=factories.PASSWORD):
    device = app.test_client()
    answer = device.post("/login", data={"email": user.email, "password": password,
                                         "remember": "y", "csrf_token": csrf_token(device)})
    assert answer.status_code == 302
    return device


def _stolen_copies(app, device):
    """Two other browsers: one holding a copy of the session cookie, one of the remember-me."""
    copies = []
    for name in ("session", "remember_token"):
        copy = app.test_client()
        copy.set_cookie(name, device.get_cookie(name).value)
        copies.append(copy)
    return copies


def test_logout_ends_the_login_on_the_server_so_copied_cookies_sign_nobody_in(app, client, db):
    user = factories.user("purchaser")
    db.session.commit()
    device = _login_remembered(app, user)
    session_copy, remember_copy = _stolen_copies(app, device)
    assert logged_in(session_copy) and logged_in(remember_copy)
    assert device.post("/logout", data={"csrf_token": csrf_token(device)}).status_code == 302
    assert not logged_in(device)
    assert not logged_in(session_copy)
    assert not logged_in(remember_copy)
    # Other logins of the same user (another device) are untouched by this logout.
    other = _login_remembered(app, user)
    assert logged_in(other)


def test_copied_cookies_stop_working_after_a_password_change(app, client, db):
    user = factories.user("purchaser")
    db.session.commit()
    device = _login_remembered(app, user)
    session_copy, remember_copy = _stolen_copies(app, device)
    answer = device.post("/my/password", data={
        "current_password": factories.PASSWORD, "password": NEW, "confirm": NEW,
        "csrf_token": csrf_token(device)})
    assert answer.status_code == 302
    assert logged_in(device)
    assert not logged_in(session_copy) and not logged_in(remember_copy)


def test_copied_cookies_stop_working_after_a_deactivation(app, client, db, login_as, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    device = _login_remembered(app, user)
    session_copy, remember_copy = _stolen_copies(app, device)
    login_as("admin")
    assert post_form(f"/admin/users/{user.id}/active", {"active": "0"}).status_code == 302
    for browser in (device, session_copy, remember_copy):
        assert not logged_in(browser)


def test_a_login_older_than_its_lifetime_is_refused(app, client, db):
    from datetime import timedelta

    from marketplace.accounts.models import LoginSession

    user = factories.user("purchaser")
    db.session.commit()
    device = _login_remembered(app, user)
    assert logged_in(device)
    row = LoginSession.query.filter_by(user_id=user.id).one()
    row.created_at -= timedelta(days=app.config["LOGIN_SESSION_DAYS"] + 1)
    db.session.commit()
    assert not logged_in(device)
    assert services.purge_login_sessions() == 1


def test_purge_logins_command_deletes_ended_logins(app, client, db):
    user = factories.user("purchaser")
    db.session.commit()
    device = _login_remembered(app, user)
    device.post("/logout", data={"csrf_token": csrf_token(device)})
    result = app.test_cli_runner().invoke(args=["accounts", "purge-logins"])
    assert result.exit_code == 0 and "1 ended logins deleted" in result.output


def test_a_signed_in_page_reads_the_user_and_its_organisation_in_one_query(client, db, login_as):
    buyer = login_as("purchaser", name="王采购")
    shown = (">王采购</summary>", f">{buyer.organization.name}</li>")  # the account menu
    db.session.expunge_all()           # as in a new request: nothing loaded yet
    pages = []
    statements = [" ".join(statement.split()) for statement in statements_during(
        lambda: pages.append(client.get("/products").get_data(as_text=True)))]
    assert all(part in pages[0] for part in shown)
    assert len([s for s in statements if "login_sessions" in s]) == 1
    assert not [s for s in statements if "FROM organizations WHERE organizations.id =" in s]
