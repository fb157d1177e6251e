"""Who is logged in and in which role: the login user loader and the role decorator.

Which units and orders a user may see is decided in `marketplace.accounts.scopes`.
"""
import hmac
from functools import partial, wraps

import sqlalchemy as sa
from flask import abort, has_request_context, session
from flask_login import current_user, login_required

from marketplace import nav
from marketplace.accounts.kept_logins import signed_in_user
from marketplace.accounts.services.sessions import user_of_open_login
from marketplace.database import before_the_transaction
from marketplace.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id):
    """The user a session or remember-me cookie names, while that login is still valid.

    The id is "<id>:<login key>:<fingerprint>" (`User.get_id`): the login must still be open
    on the server (logout ends it), and the fingerprint of the password hash and session
    generation must match (a new password, a deactivation or a suspension end it). An inactive
    user, or one whose organisation is suspended, is logged out too. A refused login is
    forgotten, remember-me cookie included.

    The header's counts come in the same statement (`nav.count_columns`): the page then runs
    no query of its own for them, unless the request writes something (below). On a page
    that only reads, the statement runs before the request's transaction
    (`before_the_transaction`): a kept page then sends no BEGIN and no COMMIT. What it found is
    kept for the login's next requests until any of it changes (`kept_logins`): a kept page
    then sends no query at all.
    """
    number, _, rest = str(user_id).partition(":")
    key, _, fingerprint = rest.rpartition(":")
    user = None
    if number.isdigit() and len(number) < 12:
        user = signed_in_user(int(number), key, partial(_user_of_open_login, int(number), key))
    if user is None or not user.is_active or \
            not hmac.compare_digest(fingerprint, user.session_fingerprint()):
        session.pop("_user_id", None)
        session["_remember"] = "clear"
        return None
    user.login_key = key
    nav.load_counts(user.loaded_counts)
    return user


def _user_of_open_login(number, key):
    with before_the_transaction():
        return user_of_open_login(number, key, nav.count_columns())


# A request that writes (adds to the cart, reads a message) may change what the counts loaded
# with the user say: they are counted again when next shown.
@sa.event.listens_for(db.session, "after_flush")
def _forget_counts_after_flush(_session, _context):
    if has_request_context():
        nav.forget_counts()


@sa.event.listens_for(db.session, "do_orm_execute")
def _forget_counts_before_write(state):
    if (state.is_insert or state.is_update or state.is_delete) and has_request_context():
        nav.forget_counts()


def roles_required(*roles):
    """A view decorator: logged in, and holding one of `roles` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
