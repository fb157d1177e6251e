"""Accounts: organisations, users, passwords, registration and approval, password reset."""
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace.accounts.models import BUYER_KINDS, ORG_KINDS, ROLES, ROLES_BY_KIND, Organization, User
from marketplace.audit.services import record
from marketplace.errors import Conflict, NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.timeutil import utcnow

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a miss costs as long as a hit (no enumeration).
_DUMMY_HASH = _hasher.hash("not-a-real-password")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8


def hash_password(password):
    """An Argon2id hash of the password."""
    return _hasher.hash(password)


def check_password(user, password):
    """Whether `password` is the user's; rehashes transparently when parameters changed."""
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


def normalize_email(email):
    return (email or "").strip().lower()


def validate_password(password):
    """:raises ValidationError: the password is too short."""
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。",
                              fields={"password": "too_short"})


def authenticate(email, password):
    """The active user with this e-mail and password, or None (the same answer for every failure)."""
    user = User.query.filter_by(email=normalize_email(email)).first()
    if user is None:
        try:
            _hasher.verify(_DUMMY_HASH, password or "x")
        except VerificationError:
            pass
        return None
    if not check_password(user, password or "") or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def create_organization(name, kind, region_code, *, parent=None, budget_unit=None, status="active",
                        actor=None, **fields):
    """Create an organisation and place it in the budget-unit tree.

    :raises ValidationError: unknown kind or region, a union without a budget unit, a parent
        that is not a budget unit.
    """
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "required"
    if kind not in ORG_KINDS:
        errors["kind"] = "unknown"
    if not region_code or db.session.get(Region, str(region_code)) is None:
        errors["region_code"] = "unknown"
    if kind == "union" and (budget_unit is None or budget_unit.kind != "budget_unit"):
        errors["budget_unit_id"] = "a union needs its budget unit"
    if parent is not None and (kind != "budget_unit" or parent.kind != "budget_unit"):
        errors["parent_id"] = "only a budget unit can have a parent budget unit"
    if errors:
        raise ValidationError("组织信息不完整或有误。", fields=errors)
    org = Organization(name=name, kind=kind, region_code=str(region_code), parent=parent,
                       budget_unit=budget_unit if kind == "union" else None, status=status,
                       **fields)
    db.session.add(org)
    db.session.flush()
    prefix = parent.tree_path if parent is not None else "/"
    org.tree_path = f"{prefix}{org.id}/"
    record("organization.create", org, actor=actor, detail={"kind": kind, "status": status})
    return org


def create_user(email, password, name, organization, role, *, actor=None):
    """Create a user with one role in one organisation.

    :raises ValidationError: a malformed e-mail, short password, or a role the organisation's
        kind cannot hold.
    :raises Conflict: the e-mail is taken.
    """
    email = normalize_email(email)
    errors = {}
    if not EMAIL_RE.match(email):
        errors["email"] = "invalid"
    if not (name or "").strip():
        errors["name"] = "required"
    if role not in ROLES:
        errors["role"] = "unknown"
    elif organization is None or role not in ROLES_BY_KIND.get(organization.kind, ()):
        errors["role"] = "not allowed for this organisation"
    if errors:
        raise ValidationError("用户信息有误。", fields=errors)
    validate_password(password)
    if User.query.filter_by(email=email).first() is not None:
        raise Conflict("该电子邮箱已被使用。", fields={"email": "taken"}, code="duplicate")
    user = User(email=email, password_hash=hash_password(password), name=name.strip(),
                role=role, organization=organization)
    db.session.add(user)
    db.session.flush()
    record("user.create", user, actor=actor, detail={"role": role, "organization_id": organization.id})
    return user


def add_member(actor, email, password, name, role=None):
    """A unit manager adds a purchaser to its own unit; supplier staff add staff to their supplier.

    :raises PermissionDenied: the actor may not add users.
    """
    if actor.role == "unit_manager":
        role = role or "purchaser"
        if role not in ("purchaser", "unit_manager"):
            raise PermissionDenied("单位管理员只能添加本单位的采购人或管理员。")
    elif actor.role == "supplier_staff":
        role = "supplier_staff"
    else:
        raise PermissionDenied("您不能添加用户。")
    return create_user(email, password, name, actor.organization, role, actor=actor)


def register_organization(org_name, kind, region_code, contact_name, email, password,
                          contact_phone=None, credit_code=None, parent=None):
    """Self-registration of a buyer or supplier organisation and its first user, pending approval.

    :raises ValidationError: a kind that cannot self-register, or bad fields.
    :raises Conflict: the e-mail is taken.
    """
    if kind not in BUYER_KINDS + ("supplier",) or kind == "union":
        raise ValidationError("只能注册预算单位、企业或供应商。", fields={"kind": "not_allowed"})
    org = create_organization(org_name, kind, region_code, parent=parent, status="pending",
                              contact_name=contact_name, contact_phone=contact_phone,
                              credit_code=credit_code)
    role = {"budget_unit": "unit_manager", "enterprise": "purchaser",
            "supplier": "supplier_staff"}[kind]
    user = create_user(email, password, contact_name, org, role)
    record("organization.register", org, actor=user)
    return org, user


def review_organization(actor, org, approve, note=None):
    """The admin approves or rejects a pending organisation, or suspends/reactivates an active one.

    :raises PermissionDenied: the actor is not an admin.
    """
    if actor.role != "admin":
        raise PermissionDenied("只有平台管理员可以审核组织。")
    before = org.status
    org.status = "active" if approve else ("rejected" if before == "pending" else "suspended")
    org.review_note = note
    record("organization.review", org, actor=actor,
           detail={"from": before, "to": org.status, "note": note})
    return org


def get_organization(org_id):
    """:raises NotFound: no such organisation."""
    org = db.session.get(Organization, org_id) if isinstance(org_id, int) else None
    if org is None:
        raise NotFound("组织不存在。")
    return org


def _reset_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user):
    """A signed token valid for one hour and only until the password changes."""
    return _reset_serializer().dumps({"uid": user.id, "ph": user.password_hash[-16:]})


def user_for_reset_token(token, max_age=3600):
    """The user a reset token was issued to, or None if it is bad, expired or already used."""
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.password_hash[-16:] != data.get("ph"):
        return None
    return user


def reset_password(token, new_password):
    """Set a new password from a reset token.

    :raises ValidationError: the token is invalid or expired, or the password is too short.
    """
    user = user_for_reset_token(token)
    if user is None:
        raise ValidationError("重置链接无效或已过期。", fields={"token": "invalid"})
    validate_password(new_password)
    user.password_hash = hash_password(new_password)
    record("user.password_reset", user, actor=user)
    return user
