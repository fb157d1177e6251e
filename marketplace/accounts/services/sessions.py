"""Browser logins kept on the server, ended by logout, a new password, a deactivation or a
suspension; API tokens revoked with them.

Each login is a LoginSession row named by a random key in the session and remember-me cookies
(`User.get_id`); the user loader accepts a cookie only while its row is open and younger than
LOGIN_SESSION_DAYS. The cookies also carry a fingerprint of the password hash and the user's
session generation, which `end_sessions` raises, so that logins ended by a deactivation or a
suspension stay ended when the user or its organisation is reactivated.
"""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.accounts.models import ApiToken, LoginSession, Organization, User
from marketplace.extensions import db
from marketplace.timeutil import utcnow


def _hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def start_login(user):
    """Open a new browser login for `user` (before `login_user`); its key stays on the user
    object so that `User.get_id` names it."""
    key = secrets.token_urlsafe(24)
    db.session.add(LoginSession(user_id=user.id, key_hash=_hash(key)))
    db.session.flush()
    user.login_key = key
    return key


# Built once (per set of extra columns): on every signed-in request this is the one query, and
# composing the statement (and its cache key) each time cost more than running it. The
# organisation comes as a second entity of the row (no joined eager load to set up), handed to
# `user.organization` as loaded (the session holds it only weakly); the extra columns (the
# header's counts) follow it.
_OPEN_LOGIN = {}


def _open_login(columns):
    key = tuple(columns.items())
    statement = _OPEN_LOGIN.get(key)
    if statement is None:
        statement = _OPEN_LOGIN[key] = (
            sa.select(User, Organization, LoginSession.created_at,
                      *(column(User.id) for column in columns.values()))
            .join(LoginSession, LoginSession.user_id == User.id)
            .join(Organization, Organization.id == User.organization_id)
            .where(User.id == sa.bindparam("user_id"),
                   LoginSession.key_hash == sa.bindparam("key_hash"),
                   LoginSession.ended_at.is_(None),
                   LoginSession.created_at >= sa.bindparam("oldest"))
            .limit(1))
    return statement


def user_of_open_login(user_id, key, columns=None):
    """The user (with its organisation) whose browser login a cookie names, if that login is
    still open and not too old; else None. One query: it runs on every signed-in request.

    `columns` ({name: column(user_id)}, scalar subqueries correlated to the users' id column)
    are selected in the same statement; their values are on the user as `loaded_counts`, and
    when the login began as `login_started_at`."""
    if not key or len(key) > 64:
        return None
    columns = columns or {}
    oldest = utcnow() - timedelta(days=current_app.config.get("LOGIN_SESSION_DAYS", 30))
    row = db.session.execute(_open_login(columns), {"user_id": user_id, "key_hash": _hash(key),
                                                    "oldest": oldest}).first()
    if row is None:
        return None
    user, organization, started_at, *values = row
    set_committed_value(user, "organization", organization)
    user.loaded_counts = dict(zip(columns, values))
    user.login_started_at = started_at
    return user


def end_login(user):
    """End the browser login the current request was made with (logging out)."""
    key = getattr(user, "login_key", None)
    if key:
        LoginSession.query.filter(LoginSession.key_hash == _hash(key),
                                  LoginSession.ended_at.is_(None)) \
            .update({LoginSession.ended_at: utcnow()}, synchronize_session=False)


def end_logins(user_ids):
    """End every open browser login of these users; how many."""
    return LoginSession.query.filter(LoginSession.user_id.in_(user_ids),
                                     LoginSession.ended_at.is_(None)) \
        .update({LoginSession.ended_at: utcnow()}, synchronize_session=False)


def end_sessions(users_query):
    """End every browser login of the users `users_query` selects, for good (their session
    generation goes up too); how many users."""
    ids = [row[0] for row in users_query.with_entities(User.id).all()]
    end_logins(ids)
    return users_query.update({User.session_generation: User.session_generation + 1},
                              synchronize_session="fetch")


def purge_login_sessions():
    """Delete the rows of logins ended or expired (older than LOGIN_SESSION_DAYS); how many."""
    oldest = utcnow() - timedelta(days=current_app.config.get("LOGIN_SESSION_DAYS", 30))
    return LoginSession.query.filter(sa.or_(LoginSession.ended_at.isnot(None),
                                            LoginSession.created_at < oldest)) \
        .delete(synchronize_session=False)


def revoke_api_tokens(user):
    """Revoke every API token of `user` still unrevoked; the number revoked."""
    tokens = ApiToken.query.filter(ApiToken.user_id == user.id,
                                   ApiToken.revoked_at.is_(None)).all()
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
    return len(tokens)
