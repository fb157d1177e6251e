"""Quota exceptions: a ratio under the policy minimum waits for the finance side's decision.

The platform admin, or an auditor whose jurisdiction covers the unit, approves it (the filed
ratio counts from then on) or rejects it with a reason (the minimum stays). A unit's own staff
never decide their own exception, nor does anyone else. Every decision is kept on the filing
version it decides, written to the audit trail and told to the unit (in-app and by e-mail).
"""
from flask_babel import lazy_gettext as _l

from marketplace.accounts import scopes
from marketplace.accounts.models import Organization, User
from marketplace.audit.services import record
from marketplace.compliance.models import Filing
from marketplace.errors import (NotFound, StateError, ValidationError,
                                required_reason)
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify
from marketplace.timeutil import utcnow

from .common import check_unit_request, ratio_str
from .filings import reserved_fen

DECISIONS = ("approve", "reject")
DECIDER_ROLES = ("admin", "auditor")


def can_decide(user, unit):
    """Whether `user` decides `unit`'s exceptions: the admin, or an auditor in scope."""
    return (user is not None and getattr(user, "role", None) in DECIDER_ROLES
            and scopes.can_see_unit(user, unit))


def decide_exception(actor, unit, year, decision, note=None):
    """Approve or reject the pending exception of the unit's current filing for `year`.

    :param decision: "approve" (the filed ratio counts: reserved = budget × ratio) or
        "reject" (the policy minimum stays; `note` says why and is required).
    :returns: the Filing decided.
    :raises PermissionDenied: neither the admin nor an auditor whose jurisdiction covers the
        unit (a unit's own staff among them).
    :raises NotFound: the unit has no filing for the year.
    :raises ValidationError: an unknown decision, a rejection without a reason.
    :raises StateError: the current filing has no exception waiting (none, or already decided).
    """
    check_unit_request(unit, year, can_decide(actor, unit),
                       _("只有平台管理员或管辖该单位的审计（财政）部门可以审批例外申请。"))
    if decision not in DECISIONS:
        raise ValidationError(_("请选择批准或驳回。"), fields={"decision": "invalid"})
    note = required_reason(note, _("驳回例外申请时请填写理由。"), field="note") \
        if decision == "reject" or (note or "").strip() else None
    # One decision per version, even when two deciders click at once (a row lock on PostgreSQL).
    filing = (Filing.query.filter_by(budget_unit_id=unit.id, year=year, is_current=True)
              .with_for_update().first())
    if filing is None:
        raise NotFound(_("该单位本年度尚未填报。"))
    if filing.exception_status != "pending":
        raise StateError(_("该填报没有待审批的例外申请。"),
                         fields={"exception_status": filing.exception_status})
    filing.exception_status = "approved" if decision == "approve" else "rejected"
    filing.exception_note = note
    filing.exception_decided_by_id = actor.id
    filing.exception_decided_at = utcnow()
    if decision == "approve":
        filing.reserved_fen = reserved_fen(filing.food_budget_fen, filing.ratio)
    db.session.flush()
    record(f"filing.exception_{decision}", filing, actor=actor,
           detail={"unit_id": unit.id, "year": year, "version": filing.version,
                   "exception_ref": filing.exception_ref, "ratio": ratio_str(filing.ratio),
                   "counted_ratio": ratio_str(filing.counted_ratio),
                   "reserved_fen": filing.reserved_fen, "note": note})
    _tell_unit(filing, unit, year, decision, note)
    return filing


def _tell_unit(filing, unit, year, decision, note):
    """The unit's managers (and whoever filed) hear of the decision, in-app and by e-mail."""
    readers = User.query.filter_by(organization_id=unit.id, role="unit_manager", active=True).all()
    if filing.filed_by is not None and filing.filed_by.active and filing.filed_by not in readers \
            and filing.filed_by.organization_id == unit.id:
        readers.append(filing.filed_by)
    if decision == "approve":
        message = _l("%(unit)s %(year)s 年度预留比例例外申请（%(ref)s）已批准，按 %(ratio)s 计算预留金额。",
                     unit=unit.name, year=year, ref=filing.exception_ref,
                     ratio=ratio_str(filing.ratio))
    else:
        message = _l("%(unit)s %(year)s 年度预留比例例外申请（%(ref)s）未获批准，按最低比例 %(ratio)s "
                     "计算预留金额。理由：%(note)s", unit=unit.name, year=year,
                     ref=filing.exception_ref, ratio=ratio_str(filing.minimum_ratio), note=note)
    notify(readers, f"quota.exception_{decision}", message, link=f"/quota/filing?year={year}")


def pending_exceptions(user, year=None):
    """The current filings whose exception waits for `user`'s decision (its scope), oldest
    first; every decider's list, by year when given."""
    if getattr(user, "role", None) not in DECIDER_ROLES:
        return []
    query = (Filing.query.join(Organization, Organization.id == Filing.budget_unit_id)
             .filter(Filing.is_current.is_(True), Filing.exception_status == "pending",
                     scopes.units_condition(user)))
    if year is not None:
        query = query.filter(Filing.year == year)
    return query.order_by(Filing.filed_at, Filing.id).all()


def decided_exceptions(user, limit=50):
    """The latest decided exceptions in `user`'s scope, newest first (the deciders' page)."""
    if getattr(user, "role", None) not in DECIDER_ROLES:
        return []
    return (Filing.query.join(Organization, Organization.id == Filing.budget_unit_id)
            .filter(Filing.exception_status.in_(("approved", "rejected")),
                    Filing.exception_decided_at.isnot(None), scopes.units_condition(user))
            .order_by(Filing.exception_decided_at.desc(), Filing.id.desc()).limit(limit).all())


def exception_document_for(user, filing_id):
    """The filing whose approving document `user` may open: the deciders in scope, and those
    who may see the unit (its managers, managers above it).

    :raises NotFound: no such filing or document, or not the user's to see.
    """
    filing = db.session.get(Filing, filing_id) if isinstance(filing_id, int) else None
    if filing is None or not filing.exception_document or \
            not scopes.can_see_unit(user, filing.budget_unit) or user.role == "purchaser":
        raise NotFound(_("文件不存在。"))
    return filing
