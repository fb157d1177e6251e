"""Users: creating them, members added by their organisation, activation by the admin."""
import re

from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import ROLES, ROLES_BY_KIND, User
from marketplace.accounts.services.passwords import (hash_password, normalize_email,
                                                     validate_password)
from marketplace.accounts.services.sessions import end_sessions, revoke_api_tokens
from marketplace.audit.services import record
from marketplace.database import savepoint
from marketplace.errors import Conflict, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_user(email, password, name, organization, role, *, actor=None, password_hash=None):
    """Create a user with one role in one organisation.

    :param password_hash: a hash made by `hash_password` (demo data, bulk imports); then
        `password` is ignored.

    :raises ValidationError: a malformed e-mail, a weak password (`validate_password`), or a
        role the organisation's kind cannot hold.
    :raises Conflict: the e-mail is taken.
    """
    email = normalize_email(email)
    errors = {}
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors["email"] = "invalid"
    if not (name or "").strip():
        errors["name"] = "required"
    elif len(name.strip()) > 100:
        errors["name"] = "too_long"
    if role not in ROLES:
        errors["role"] = "unknown"
    elif organization is None or role not in ROLES_BY_KIND.get(organization.kind, ()):
        errors["role"] = "not allowed for this organisation"
    messages = {}
    if password_hash is None:  # a weak password is told with the other fields' problems
        try:
            validate_password(password, email, name)
        except ValidationError as weak:
            if not errors:
                raise
            errors.update(weak.fields)
            messages.update(password=weak.message)
    if errors:
        raise ValidationError(_("用户信息有误。"), fields=errors, summary=True, messages=messages)
    if User.query.filter_by(email=email).first() is not None:
        raise _email_taken()
    password_hash = password_hash or hash_password(password)
    # By id, not through the relationship: that would first read the organisation's users
    # inside the transaction, and SQLite then refuses the insert as "locked" (a stale read)
    # instead of reporting the duplicate.
    user = User(email=email, password_hash=password_hash, name=name.strip(), role=role,
                organization_id=organization.id)
    try:
        # Another request may take the e-mail between the check above and this insert: the
        # unique index refuses it, and only this insert is undone.
        with savepoint():
            db.session.add(user)
            db.session.flush()
    except IntegrityError:
        raise _email_taken() from None
    db.session.expire(organization, ["users"])
    record("user.create", user, actor=actor, detail={"role": role, "organization_id": organization.id})
    return user


def _email_taken():
    return Conflict(_("该电子邮箱已被使用。"), fields={"email": "taken"}, code="duplicate")


def add_member(actor, email, password, name, role=None):
    """A unit manager adds a purchaser to its own unit; supplier staff add staff to their supplier.

    :raises PermissionDenied: the actor may not add users.
    """
    if actor.role == "unit_manager":
        role = role or "purchaser"
        if role not in ("purchaser", "unit_manager"):
            raise PermissionDenied(_("单位管理员只能添加本单位的采购人或管理员。"))
    elif actor.role == "supplier_staff":
        role = "supplier_staff"
    else:
        raise PermissionDenied(_("您不能添加用户。"))
    return create_user(email, password, name, actor.organization, role, actor=actor)


def set_user_active(actor, user, active):
    """The admin deactivates (or reactivates) a user; a deactivated user cannot log in, its
    sessions end (for good: reactivating it revives none) and its API tokens are revoked.

    :raises PermissionDenied: the actor is not an admin, or deactivates itself.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以停用用户。"))
    if user.id == actor.id and not active:
        raise PermissionDenied(_("不能停用自己的账户。"))
    user.active = bool(active)
    if active:
        record("user.activate", user, actor=actor)
    else:
        end_sessions(User.query.filter(User.id == user.id))
        record("user.deactivate", user, actor=actor,
               detail={"api_tokens_revoked": revoke_api_tokens(user)})
    return user


def members_of(org):
    """The users of an organisation, by name."""
    return User.query.filter_by(organization_id=org.id).order_by(User.role, User.name).all()


def can_manage_members(user):
    """Unit managers add people to their unit; supplier staff to their supplier."""
    return user.role in ("unit_manager", "supplier_staff")
