"""Ending a user's logins when its password changes or the admin deactivates it.

Browser sessions and remember-me cookies carry a fingerprint of the password hash and the
user's session generation (`User.get_id`); the user loader refuses a stale fingerprint and
inactive users. A new password changes the fingerprint by itself; `end_sessions` raises the
generation, so that logins made before a deactivation or a suspension stay ended when the
user or its organisation is reactivated. API tokens are revoked here.
"""
from marketplace.accounts.models import ApiToken, User
from marketplace.timeutil import utcnow


def end_sessions(users_query):
    """End every browser login of the users `users_query` selects; how many users."""
    return users_query.update({User.session_generation: User.session_generation + 1},
                              synchronize_session="fetch")


def revoke_api_tokens(user):
    """Revoke every API token of `user` still unrevoked; the number revoked."""
    tokens = ApiToken.query.filter(ApiToken.user_id == user.id,
                                   ApiToken.revoked_at.is_(None)).all()
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
    return len(tokens)
