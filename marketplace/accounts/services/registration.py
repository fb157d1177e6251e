"""Self-registration of organisations and the admin's review (approve, reject, suspend)."""
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import BUYER_KINDS, User
from marketplace.accounts.services.links import external_url as _url
from marketplace.accounts.services.links import path_for
from marketplace.accounts.services.organizations import create_organization
from marketplace.accounts.services.passwords import (hash_password, normalize_email,
                                                      validate_password)
from marketplace.accounts.services.sessions import end_sessions, revoke_api_tokens
from marketplace.accounts.services.users import create_user
from marketplace.audit.services import record
from marketplace.database import savepoint
from marketplace.errors import (Conflict, FieldErrors, PermissionDenied, StateError,
                                ValidationError, required_reason)
from marketplace.i18n import translate as _
from marketplace.mail import send_mail
from marketplace.notifications.services import notify


def register_organization(org_name, kind, region_code, contact_name, email, password,
                          contact_phone=None, credit_code=None, parent=None):
    """Self-registration of a buyer or supplier organisation and its first user, pending approval.

    The answer is the same whether or not the e-mail already has an account, so registering
    tells nobody which e-mails exist: for a taken e-mail nothing is created and the owner of
    the account is told by e-mail instead.

    :returns: (organisation, user), or (None, None) when the e-mail was taken.
    :raises ValidationError: a kind that cannot self-register, or bad fields (the same checks
        whether or not the e-mail is taken).
    """
    if kind not in BUYER_KINDS + ("supplier",) or kind == "union":
        raise ValidationError(_("只能注册预算单位、企业或供应商。"), fields={"kind": "not_allowed"})
    role = {"budget_unit": "unit_manager", "enterprise": "purchaser",
            "supplier": "supplier_staff"}[kind]
    # The organisation's and the password's problems are told together, not one per try.
    errors = FieldErrors()
    errors.check(validate_password, password, email, contact_name)
    try:
        with savepoint():
            org = errors.check(create_organization, org_name, kind, region_code, parent=parent,
                               status="pending", contact_name=contact_name,
                               contact_phone=contact_phone, credit_code=credit_code)
            errors.raise_any()
            user = create_user(email, password, contact_name, org, role)
    except Conflict as error:
        if error.code != "duplicate":
            raise
        hash_password(password)  # the work a new account costs: the time tells nothing either
        _tell_owner_of_the_attempt(email)
        return None, None
    record("organization.register", org, actor=user)
    _tell_admins(org)
    return org, user


def _tell_owner_of_the_attempt(email):
    """Someone registered with an e-mail that has an account: tell its owner (only they read
    it), with the way back in."""
    owner = User.query.filter_by(email=normalize_email(email)).first()
    if owner is None:
        return
    login = _url("accounts.login")
    forgot = _url("accounts.forgot_password")
    send_mail(owner.email, "注册提醒 / Someone tried to register with your e-mail",
              f"{owner.name}，您好：\n\n有人使用您的电子邮箱在平台上提交了注册申请。您已经有账户，"
              f"因此没有创建新账户。\n请直接登录：{login}\n忘记密码：{forgot}\n"
              "如果不是您本人操作，请忽略本邮件。\n\n"
              "Someone tried to register a new organisation with this e-mail. You already have "
              f"an account, so nothing was created.\nLog in: {login}\nForgot your password: "
              f"{forgot}\nIf this was not you, ignore this message.\n")
    record("user.registration_attempt", owner, actor=None)


def _tell_admins(org):
    """An in-app note to every platform admin that a registration waits for review."""
    admins = User.query.filter_by(role="admin", active=True).all()
    notify(admins, "organization.registered", _l("新的注册申请待审核：%(name)s", name=org.name),
           link=path_for("admin.organization", org_id=org.id), email=False)


REVIEW_ACTIONS = {
    # action: (statuses it applies to, the resulting status)
    "approve": (("pending", "rejected"), "active"),
    "reject": (("pending",), "rejected"),
    "suspend": (("active",), "suspended"),
    "reactivate": (("suspended",), "active"),
}


def set_organization_status(actor, org, action, note=None):
    """The admin approves or rejects a registration, or suspends / reactivates an organisation.

    The organisation's users are told by e-mail (and in-app) of the decision. A suspension
    ends their logins and revokes their API tokens; reactivation revives neither.
    :param action: one of REVIEW_ACTIONS.
    :raises PermissionDenied: the actor is not an admin.
    :raises ValidationError: an unknown action, or a rejection without a note.
    :raises StateError: the action does not apply to the organisation's current status.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以审核组织。"))
    if action not in REVIEW_ACTIONS:
        raise ValidationError(_("未知的审核操作。"), fields={"action": "unknown"})
    if org.kind == "platform":
        raise StateError(_("不能更改平台组织的状态。"))
    allowed, target = REVIEW_ACTIONS[action]
    if org.status not in allowed:
        raise StateError(_("该组织当前的状态不允许此操作。"), fields={"status": org.status})
    # A rejection or a suspension must say why (its members read it); others may.
    note = required_reason(note, _("请填写原因。"), field="note") \
        if action in ("reject", "suspend") or (note or "").strip() else None
    before = org.status
    org.status = target
    org.review_note = note
    detail = {"from": before, "to": target, "note": note}
    if action == "suspend":
        # Its members' logins and API tokens end for good, as when a user is deactivated.
        members = User.query.filter(User.organization_id == org.id)
        detail["sessions_ended"] = end_sessions(members)
        detail["api_tokens_revoked"] = sum(revoke_api_tokens(user) for user in members)
    record("organization." + action, org, actor=actor, detail=detail)
    _tell_members(org, action, note)
    return org


def change_organization_status(actor, org, status, reason=None):
    """The admin moves an organisation to `status` (what the JSON API asks for): to "active"
    approves a registration or reactivates a suspended organisation, to "suspended" suspends
    it, to "rejected" rejects a registration — each exactly as set_organization_status does
    from the console (notices, ended logins and tokens, the audit trail).

    :raises PermissionDenied: the actor is not an admin.
    :raises ValidationError: an unknown status, or no reason for a suspension or rejection.
    :raises StateError: the organisation cannot go from its status to `status`.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以审核组织。"))
    targets = {target for _allowed, target in REVIEW_ACTIONS.values()}
    if status not in targets:
        raise ValidationError(_("未知的组织状态。"), fields={"status": "unknown"})
    action = next((action for action, (allowed, target) in REVIEW_ACTIONS.items()
                   if target == status and org.status in allowed), None)
    if action is None:
        raise StateError(_("该组织当前的状态不允许此操作。"), fields={"status": org.status})
    if action in ("reject", "suspend"):
        reason = required_reason(reason, _("请填写原因。"))
    return set_organization_status(actor, org, action, reason)


def _tell_members(org, action, note):
    """In-app and e-mail notice of a decision, in each member's language."""
    decisions = {
        "approve": lambda: _("您的组织“%(name)s”已通过审核，现在可以登录使用平台。",
                             name=org.name),
        "reject": lambda: _("您的组织“%(name)s”的注册申请未通过审核。", name=org.name),
        "suspend": lambda: _("您的组织“%(name)s”已被暂停使用。", name=org.name),
        "reactivate": lambda: _("您的组织“%(name)s”已恢复使用。", name=org.name),
    }

    def message():
        text = decisions[action]()
        return text + _("说明：%(note)s", note=note[:150]) if note else text

    notify([user for user in org.users if user.active], "organization." + action, message,
           link=path_for("accounts.login"))
