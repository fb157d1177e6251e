"""The shared web helpers: "go back" and `next` lead only to pages of this site."""
from tests import factories
from tests.helpers import csrf_token


def test_going_back_follows_a_page_of_this_site_and_never_another(client, db, login_as,
                                                                   post_form):
    login_as("admin")
    target = factories.user("purchaser")
    db.session.commit()
    url = f"/admin/users/{target.id}/active"
    ours = post_form(url, {"active": "0"}, headers={"Referer": "http://localhost/admin/users?q=x"})
    assert ours.status_code == 302 and ours.headers["Location"] == "http://localhost/admin/users?q=x"
    theirs = post_form(url, {"active": "1"}, headers={"Referer": "http://localhost.evil.cn/"})
    assert theirs.status_code == 302 and theirs.headers["Location"] == "/admin/users"


def test_logging_in_follows_next_only_within_this_site(app, db):
    user = factories.user("purchaser")
    db.session.commit()
    for next_url, landing in (("/orders", "/orders"), ("https://evil.cn/", "/"),
                              ("//evil.cn/", "/")):
        client = app.test_client()  # signed out
        response = client.post(f"/login?next={next_url}", data={
            "email": user.email, "password": factories.PASSWORD,
            "csrf_token": csrf_token(client)})
        assert response.status_code == 302 and response.headers["Location"] == landing, next_url
