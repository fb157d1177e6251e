"""Password reset by an e-mailed token: no enumeration, rate-limited, single use."""
import re

from marketplace import mail
from marketplace.accounts import services
from marketplace.accounts.models import User
from tests import factories


def reset_link():
    body = mail.outbox()[-1].get_content()
    return re.search(r"https://market.example.cn(/password/reset/\S+)", body).group(1)


def test_known_and_unknown_emails_get_the_same_answer(client, db, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    known = post_form("/password/forgot", {"email": user.email}, follow_redirects=True)
    unknown = post_form("/password/forgot", {"email": "nobody@example.com"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    message = "如果该邮箱已注册"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert len(mail.outbox()) == 1 and user.email in mail.outbox()[0]["To"]


def test_the_emailed_link_sets_a_new_password_once(client, db, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    post_form("/password/forgot", {"email": user.email.upper()})
    link = reset_link()
    assert client.get(link).status_code == 200
    response = post_form(link, {"password": "brand-new-pass", "confirm": "brand-new-pass"})
    assert response.status_code == 302
    answer = post_form("/login", {"email": user.email, "password": "brand-new-pass"})
    assert answer.status_code == 302
    post_form("/logout")
    assert post_form("/login", {"email": user.email,
                                "password": factories.PASSWORD}).status_code == 401
    # the link was for the old password: it no longer works
    assert client.get(link).status_code == 404
    again = post_form(link, {"password": "another-pass-1", "confirm": "another-pass-1"})
    assert again.status_code == 404


def test_a_forged_token_is_refused_and_changes_nothing(client, db, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    before = user.password_hash
    response = post_form("/password/reset/not-a-token", {"password": "brand-new-pass",
                                                          "confirm": "brand-new-pass"})
    assert response.status_code == 404
    assert "重置链接无效或已过期" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == before


def test_a_short_or_mismatched_new_password_is_refused(client, db, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    token = services.make_reset_token(user)
    short = post_form(f"/password/reset/{token}", {"password": "short", "confirm": "short"})
    mismatch = post_form(f"/password/reset/{token}", {"password": "long-enough-1",
                                                      "confirm": "long-enough-2"})
    assert short.status_code == mismatch.status_code == 422
    assert "两次输入的密码不一致" in mismatch.get_data(as_text=True)
    assert services.user_for_reset_token(token) is not None


def test_an_expired_token_is_refused(db):
    user = factories.user("purchaser")
    token = services.make_reset_token(user)
    assert services.user_for_reset_token(token, max_age=-1) is None


def test_reset_requests_are_rate_limited(client, db, post_form):
    for _ in range(5):
        post_form("/password/forgot", {"email": "x@example.com"})
    assert post_form("/password/forgot", {"email": "x@example.com"}).status_code == 429
