"""Helpers for API tests: tokens without the password round-trip, and bearer headers."""
from marketplace.api.core import issue_token
from marketplace.extensions import db
from tests import factories


def token_for(user):
    """A fresh bearer token for `user`, committed so requests see it."""
    token = issue_token(user)
    db.session.commit()
    return token


def bearer(user_or_token):
    """The Authorization header for a user (a new token) or a token string."""
    token = user_or_token if isinstance(user_or_token, str) else token_for(user_or_token)
    return {"Authorization": f"Bearer {token}"}


def as_role(role, **kwargs):
    """A new user of `role` and its bearer header."""
    user = factories.user(role, **kwargs)
    db.session.commit()
    return user, bearer(user)


def assert_error(response, status, code=None):
    """The response is the API's error shape with this status (and code, when given)."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]
