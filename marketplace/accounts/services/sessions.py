"""Ending a user's logins when its password changes or the admin deactivates it.

Browser sessions and remember-me cookies end by themselves: they carry a fingerprint of the
password hash (`User.get_id`) and the user loader refuses inactive users. API tokens are
revoked here.
"""
from marketplace.accounts.models import ApiToken
from marketplace.timeutil import utcnow


def revoke_api_tokens(user):
    """Revoke every API token of `user` still unrevoked; the number revoked."""
    tokens = ApiToken.query.filter(ApiToken.user_id == user.id,
                                   ApiToken.revoked_at.is_(None)).all()
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
    return len(tokens)
