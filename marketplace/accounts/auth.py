"""Who may do what: the login user loader, role decorators and organisation scopes."""
import hmac
from functools import wraps

from flask import abort, session
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from marketplace.accounts.models import Organization, User
from marketplace.accounts.services.sessions import open_login
from marketplace.extensions import db, login_manager
from marketplace.regions.models import region_prefix


@login_manager.user_loader
def load_user(user_id):
    """The user a session or remember-me cookie names, while that login is still valid.

    The id is "<id>:<login key>:<fingerprint>" (`User.get_id`): the login must still be open
    on the server (logout ends it), and the fingerprint of the password hash and session
    generation must match (a new password, a deactivation or a suspension end it). An inactive
    user, or one whose organisation is suspended, is logged out too. A refused login is
    forgotten, remember-me cookie included.
    """
    number, _, rest = str(user_id).partition(":")
    key, _, fingerprint = rest.rpartition(":")
    user = None
    if number.isdigit() and len(number) < 12 and open_login(int(number), key) is not None:
        # With its organisation (is_active asks whether it is suspended): one round trip.
        user = db.session.get(User, int(number), options=[joinedload(User.organization)])
    if user is None or not user.is_active or \
            not hmac.compare_digest(fingerprint, user.session_fingerprint()):
        session.pop("_user_id", None)
        session["_remember"] = "clear"
        return None
    user.login_key = key
    return user


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


def subtree_filter(column_path, unit):
    """A SQL condition: the organisation whose tree_path column is `column_path` is `unit` or below it."""
    return column_path.like(f"{unit.tree_path}%")


def is_in_subtree(org, unit):
    """Whether `org` is `unit` or one of its descendants."""
    return bool(org and unit and org.tree_path and unit.tree_path
                and org.tree_path.startswith(unit.tree_path))


def in_jurisdiction(org, audit_office):
    """Whether `org` lies in the audit office's region prefix."""
    return bool(org) and org.region_code.startswith(region_prefix(audit_office.region_code))


def can_see_unit(user, unit):
    """Whether `user` may read the figures and orders of budget unit `unit`."""
    if user.role == "admin":
        return True
    if user.role == "auditor":
        return in_jurisdiction(unit, user.organization)
    if user.role == "unit_manager":
        return is_in_subtree(unit, user.organization)
    if user.role == "purchaser":
        org = user.organization
        return unit.id in (org.id, org.budget_unit_id)
    return False


def buyer_unit_of(org):
    """The budget unit an organisation's orders are bound to (a union's is its budget unit)."""
    if org.kind == "budget_unit":
        return org
    if org.kind == "union":
        return org.budget_unit
    return None


def visible_units_query(user):
    """Budget units the user may see, as a query (admin: all; auditor: jurisdiction; manager: subtree)."""
    query = Organization.query.filter(Organization.kind == "budget_unit")
    if user.role == "admin":
        return query
    if user.role == "auditor":
        return query.filter(Organization.region_code.like(f"{user.organization.jurisdiction_prefix}%"))
    if user.role == "unit_manager":
        return query.filter(subtree_filter(Organization.tree_path, user.organization))
    unit = buyer_unit_of(user.organization) if user.role == "purchaser" else None
    if unit is None:
        return query.filter(db.false())
    return query.filter(Organization.id == unit.id)
