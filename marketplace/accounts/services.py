"""Accounts: organisations, users, passwords, registration and approval, password reset."""
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace.accounts.models import BUYER_KINDS, ORG_KINDS, ROLES, ROLES_BY_KIND, Organization, User
from marketplace.audit.services import record
from marketplace.errors import Conflict, NotFound, PermissionDenied, StateError, ValidationError
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.timeutil import utcnow

_HASHERS = {}
_DUMMY_HASHES = {}


def _hasher():
    """Argon2id with the library's (RFC 9106) parameters; the test suite sets
    PASSWORD_HASH_PROFILE = "fast" so thousands of logins stay quick there."""
    profile = "strong"
    if has_app_context():
        profile = current_app.config.get("PASSWORD_HASH_PROFILE", "strong")
    if profile not in _HASHERS:
        _HASHERS[profile] = PasswordHasher() if profile != "fast" else \
            PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return _HASHERS[profile]


def _dummy_hash():
    """Verified against when the e-mail is unknown, so a miss costs as long as a hit."""
    hasher = _hasher()
    if hasher not in _DUMMY_HASHES:
        _DUMMY_HASHES[hasher] = hasher.hash("not-a-real-password")
    return _DUMMY_HASHES[hasher]
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8


def hash_password(password):
    """An Argon2id hash of the password."""
    return _hasher().hash(password)


def check_password(user, password):
    """Whether `password` is the user's; rehashes transparently when parameters changed."""
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
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
            _hasher().verify(_dummy_hash(), password or "x")
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


def create_user(email, password, name, organization, role, *, actor=None, password_hash=None):
    """Create a user with one role in one organisation.

    :param password_hash: a hash made by `hash_password` (demo data, bulk imports); then
        `password` is ignored.

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
    if password_hash is None:
        validate_password(password)
    if User.query.filter_by(email=email).first() is not None:
        raise Conflict("该电子邮箱已被使用。", fields={"email": "taken"}, code="duplicate")
    user = User(email=email, password_hash=password_hash or hash_password(password),
                name=name.strip(),
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
    _tell_admins(org)
    return org, user


def _tell_admins(org):
    """An in-app note to every platform admin that a registration waits for review."""
    from marketplace.notifications.services import notify

    admins = User.query.filter_by(role="admin", active=True).all()
    link = _url("admin.organization", org_id=org.id)
    notify(admins, "organization.registered", f"新的注册申请待审核：{org.name}", link=link,
           email=False)


REVIEW_ACTIONS = {
    # action: (statuses it applies to, the resulting status)
    "approve": (("pending", "rejected"), "active"),
    "reject": (("pending",), "rejected"),
    "suspend": (("active",), "suspended"),
    "reactivate": (("suspended",), "active"),
}


def set_organization_status(actor, org, action, note=None):
    """The admin approves or rejects a registration, or suspends / reactivates an organisation.

    The organisation's users are told by e-mail (and in-app) of the decision.
    :param action: one of REVIEW_ACTIONS.
    :raises PermissionDenied: the actor is not an admin.
    :raises ValidationError: an unknown action, or a rejection without a note.
    :raises StateError: the action does not apply to the organisation's current status.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied("只有平台管理员可以审核组织。")
    if action not in REVIEW_ACTIONS:
        raise ValidationError("未知的审核操作。", fields={"action": "unknown"})
    if org.kind == "platform":
        raise StateError("不能更改平台组织的状态。")
    allowed, target = REVIEW_ACTIONS[action]
    if org.status not in allowed:
        raise StateError("该组织当前的状态不允许此操作。", fields={"status": org.status})
    note = (note or "").strip()[:500] or None
    if action in ("reject", "suspend") and not note:
        raise ValidationError("请填写原因。", fields={"note": "required"})
    before = org.status
    org.status = target
    org.review_note = note
    record("organization." + action, org, actor=actor,
           detail={"from": before, "to": target, "note": note})
    _tell_members(org, action, note)
    return org


def _tell_members(org, action, note):
    """In-app and e-mail notice of a decision, in Chinese and English (the locale is unknown)."""
    from marketplace.notifications.services import notify

    messages = {
        "approve": ("您的组织“{name}”已通过审核，现在可以登录使用平台。",
                    "Your organisation “{name}” has been approved: you can log in now."),
        "reject": ("您的组织“{name}”的注册申请未通过审核。",
                   "The registration of “{name}” has been rejected."),
        "suspend": ("您的组织“{name}”已被暂停使用。",
                    "Your organisation “{name}” has been suspended."),
        "reactivate": ("您的组织“{name}”已恢复使用。",
                       "Your organisation “{name}” has been reactivated."),
    }
    chinese, english = (text.format(name=org.name) for text in messages[action])
    if note:
        chinese += f"说明：{note[:150]}"
        english += f" Note: {note[:150]}"
    notify([user for user in org.users if user.active], "organization." + action,
           f"{chinese}\n{english}", link=_url("accounts.login"))


def _url(endpoint, **values):
    """An absolute link for e-mails (a path when there is no request, as in CLI commands)."""
    from flask import has_request_context, url_for

    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    return None


def review_organization(actor, org, approve, note=None):
    """The admin approves or rejects a pending organisation, or suspends/reactivates another.

    :raises PermissionDenied: the actor is not an admin.
    :raises StateError: the decision does not apply to the organisation's status.
    """
    if approve:
        action = "reactivate" if org.status == "suspended" else "approve"
    else:
        action = "reject" if org.status == "pending" else "suspend"
    return set_organization_status(actor, org, action, note)


def update_organization(actor, org, *, name=None, region_code=None, parent=None,
                        budget_unit=None, approval_threshold=None, **fields):
    """The admin edits an organisation; moving a budget unit re-roots its whole subtree.

    :param parent: the new parent budget unit, or None to make it a root (budget units only).
    :param approval_threshold: yuan (str/Decimal), "" or None for no threshold.
    :raises PermissionDenied: the actor is not an admin.
    :raises ValidationError: bad name or region, a parent that is not a budget unit or lies in
        the unit's own subtree, a union without its budget unit.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied("只有平台管理员可以编辑组织。")
    errors = {}
    name = (name if name is not None else org.name).strip()
    if not name:
        errors["name"] = "required"
    region_code = str(region_code or org.region_code)
    if db.session.get(Region, region_code) is None:
        errors["region_code"] = "unknown"
    if org.kind == "budget_unit":
        if parent is not None and (parent.kind != "budget_unit" or is_descendant(parent, org)):
            errors["parent_id"] = "not a budget unit outside this unit's subtree"
    elif parent is not None:
        errors["parent_id"] = "only a budget unit can have a parent budget unit"
    if org.kind == "union" and (budget_unit is None or budget_unit.kind != "budget_unit"):
        errors["budget_unit_id"] = "a union needs its budget unit"
    threshold_fen = org.approval_threshold_fen
    if org.kind == "budget_unit":
        try:
            threshold_fen = parse_threshold(approval_threshold)
        except ValidationError as error:
            errors.update(error.fields)
    if errors:
        raise ValidationError("组织信息不完整或有误。", fields=errors)
    before = {"name": org.name, "region_code": org.region_code, "parent_id": org.parent_id}
    org.name = name
    org.region_code = region_code
    org.approval_threshold_fen = threshold_fen
    if org.kind == "union":
        org.budget_unit = budget_unit
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS:
            raise ValueError(f"not an editable field: {key}")
        setattr(org, key, (value or "").strip() or None)
    if org.kind == "budget_unit" and (parent.id if parent else None) != org.parent_id:
        _move(org, parent)
    db.session.flush()
    record("organization.update", org, actor=actor,
           detail={"before": before, "after": {"name": org.name, "region_code": org.region_code,
                                               "parent_id": org.parent_id}})
    if org.kind == "supplier" and org.name != before["name"]:
        from marketplace.catalog.services import reindex_supplier  # lazy: avoids an import cycle

        reindex_supplier(org)  # search finds its products under the new name
    return org


EDITABLE_FIELDS = ("credit_code", "contact_name", "contact_phone", "address", "settlement_bank",
                   "settlement_account", "settlement_account_name")


def is_descendant(candidate, unit):
    """Whether `candidate` is `unit` itself or lies below it in the tree."""
    return bool(candidate.tree_path and unit.tree_path
                and candidate.tree_path.startswith(unit.tree_path))


def _move(org, parent):
    """Give `org` a new parent and rewrite the tree_path of its whole subtree."""
    old_path = org.tree_path
    new_path = f"{parent.tree_path if parent else '/'}{org.id}/"
    subtree = Organization.query.filter(Organization.tree_path.like(f"{old_path}%")).all()
    for member in subtree:
        member.tree_path = new_path + member.tree_path[len(old_path):]
    org.parent = parent


def parse_threshold(value):
    """A yuan approval threshold to fen; "" or None means none.

    :raises ValidationError: not a non-negative amount.
    """
    from marketplace.money import yuan_to_fen

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        fen = yuan_to_fen(value)
    except ValueError:
        raise ValidationError("审批额度必须是金额（元）。",
                              fields={"approval_threshold": "invalid"}) from None
    if fen < 0:
        raise ValidationError("审批额度不能为负数。", fields={"approval_threshold": "negative"})
    return fen


def set_approval_threshold(actor, unit, value):
    """A unit manager (of that unit) or the admin sets the unit's order-approval threshold.

    Orders whose total is above it wait for a unit manager's approval; none by default.
    :param value: yuan as text or Decimal; "" or None removes the threshold.
    :raises PermissionDenied: not the unit's manager nor an admin.
    :raises ValidationError: not an amount, or negative.
    """
    if unit.kind != "budget_unit":
        raise ValidationError("只有预算单位可以设置审批额度。", fields={"approval_threshold": "not_a_unit"})
    if not (actor.role == "admin" or (actor.role == "unit_manager"
                                      and actor.organization_id == unit.id)):
        raise PermissionDenied("只有本单位的管理员可以设置审批额度。")
    fen = parse_threshold(value)
    before = unit.approval_threshold_fen
    unit.approval_threshold_fen = fen
    record("organization.approval_threshold", unit, actor=actor,
           detail={"from_fen": before, "to_fen": fen})
    return unit


def set_user_active(actor, user, active):
    """The admin deactivates (or reactivates) a user; a deactivated user cannot log in.

    :raises PermissionDenied: the actor is not an admin, or deactivates itself.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied("只有平台管理员可以停用用户。")
    if user.id == actor.id and not active:
        raise PermissionDenied("不能停用自己的账户。")
    user.active = bool(active)
    record("user.activate" if active else "user.deactivate", user, actor=actor)
    return user


def members_of(org):
    """The users of an organisation, by name."""
    return User.query.filter_by(organization_id=org.id).order_by(User.role, User.name).all()


def can_manage_members(user):
    """Unit managers add people to their unit; supplier staff to their supplier."""
    return user.role in ("unit_manager", "supplier_staff")


def can_manage_addresses(user):
    """Who keeps an organisation's delivery addresses: the unit manager of a budget unit, the
    purchasers of a union or enterprise (which have no manager role)."""
    kind = user.organization.kind
    return (user.role == "unit_manager" and kind == "budget_unit") or \
        (user.role == "purchaser" and kind in ("union", "enterprise"))


def addresses_of(org):
    """An organisation's saved delivery addresses."""
    from marketplace.ordering.models import DeliveryAddress

    return (DeliveryAddress.query.filter_by(organization_id=org.id)
            .order_by(DeliveryAddress.id).all())


def own_address(actor, address_id):
    """One of the actor organisation's addresses.

    :raises NotFound: no such address in the actor's organisation.
    """
    from marketplace.ordering.models import DeliveryAddress

    address = db.session.get(DeliveryAddress, address_id) if isinstance(address_id, int) else None
    if address is None or address.organization_id != actor.organization_id:
        raise NotFound("地址不存在。")
    return address


def save_address(actor, label, recipient, phone, address, address_id=None):
    """Add (or edit) a delivery address of the actor's organisation.

    :raises PermissionDenied: the actor may not keep its organisation's addresses.
    :raises NotFound: `address_id` is not one of the organisation's addresses.
    :raises ValidationError: an empty or too long field.
    """
    from marketplace.ordering.models import DeliveryAddress

    if not can_manage_addresses(actor):
        raise PermissionDenied("您不能管理本单位的收货地址。")
    values = {"label": (label or "").strip(), "recipient": (recipient or "").strip(),
              "phone": (phone or "").strip(), "address": (address or "").strip()}
    limits = {"label": 60, "recipient": 60, "phone": 40, "address": 300}
    errors = {key: "required" for key, value in values.items() if not value}
    errors.update({key: "too_long" for key, value in values.items() if len(value) > limits[key]})
    if errors:
        raise ValidationError("收货地址信息不完整或有误。", fields=errors)
    if address_id is None:
        entry = DeliveryAddress(organization_id=actor.organization_id, **values)
        db.session.add(entry)
    else:
        entry = own_address(actor, address_id)
        for key, value in values.items():
            setattr(entry, key, value)
    db.session.flush()
    record("delivery_address.save", entry, actor=actor, detail=values)
    return entry


def delete_address(actor, address_id):
    """Remove a delivery address of the actor's organisation (orders keep their own copy).

    :raises PermissionDenied: the actor may not keep its organisation's addresses.
    :raises NotFound: not one of the organisation's addresses.
    """
    if not can_manage_addresses(actor):
        raise PermissionDenied("您不能管理本单位的收货地址。")
    entry = own_address(actor, address_id)
    record("delivery_address.delete", entry, actor=actor,
           detail={"label": entry.label, "address": entry.address})
    db.session.delete(entry)
    db.session.flush()


def change_password(user, current_password, new_password):
    """A logged-in user replaces its password, proving it knows the current one.

    :raises ValidationError: the current password is wrong, or the new one too short.
    """
    if not check_password(user, current_password or ""):
        raise ValidationError("当前密码不正确。", fields={"current_password": "wrong"})
    validate_password(new_password)
    user.password_hash = hash_password(new_password)
    record("user.password_change", user, actor=user)
    return user


def subordinate_units(unit):
    """The budget units directly under `unit`, by name."""
    return (Organization.query.filter_by(parent_id=unit.id, kind="budget_unit")
            .order_by(Organization.name).all())


def request_password_reset(email):
    """E-mail a reset link to the user with this address, if there is one; silent otherwise.

    The caller shows the same message either way, so nobody learns which e-mails exist.
    """
    from marketplace.mail import send_mail

    user = User.query.filter_by(email=normalize_email(email)).first()
    if user is None or not user.active:
        return None
    token = make_reset_token(user)
    link = _url("accounts.reset_password", token=token) or f"/password/reset/{token}"
    send_mail(user.email, "重置密码 / Reset your password",
              f"{user.name}，您好：\n\n请在一小时内打开下面的链接设置新密码：\n{link}\n\n"
              "如果不是您本人操作，请忽略本邮件。\n\n"
              f"To choose a new password, open this link within an hour:\n{link}\n")
    record("user.password_reset_requested", user, actor=user)
    return user


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
