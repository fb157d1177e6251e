"""Pairings: the admin creates and ends them; an enterprise asks to pair with a village and the
admin approves or rejects the request. Everything is checked before anything is written, so a
refused pairing leaves nothing behind; every change is in the audit trail."""
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Organization
from marketplace.audit.services import record
from marketplace.database import insert_or_conflict
from marketplace.errors import (Conflict, FieldErrors, PermissionDenied, StateError,
                               required_reason)
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import fen_str, format_yuan
from marketplace.notifications.services import notify
from marketplace.pairings.models import Pairing, PairingSupplier
from marketplace.timeutil import to_cst, utcnow

from .checks import enterprise_of, parse_target, projects_of, suppliers_of
from .common import (HOLDING_STATUSES, admins, check_year, clean_text, is_enterprise_buyer,
                     require_admin, staff_of)
from .villages import county_of, find_village


def _check_free(enterprise, village_name, year, suppliers, existing):
    """A pairing of this enterprise, village and year, or a supplier already holding sales of
    this enterprise and year in another pairing, is a conflict (no line may count twice)."""
    if existing is not None and existing.status != "rejected":
        raise Conflict(_("该企业 %(year)s 年度已与 %(village)s 结对（或已提出申请）。", year=year,
                         village=village_name), fields={"village": "duplicate"},
                       code="duplicate_pairing")
    taken = (PairingSupplier.query.join(Pairing, Pairing.id == PairingSupplier.pairing_id)
             .filter(Pairing.enterprise_id == enterprise.id, Pairing.year == year,
                     Pairing.status.in_(HOLDING_STATUSES),
                     PairingSupplier.supplier_id.in_([s.id for s in suppliers])).all())
    if taken:
        names = "、".join(s.name for s in suppliers if s.id in {t.supplier_id for t in taken})
        raise Conflict(_("%(names)s 已在该企业 %(year)s 年度的另一个结对中，同一笔采购不能计入两个结对。",
                         names=names, year=year), fields={"supplier_ids": "already_paired"},
                       code="supplier_already_paired")


def _write(user, enterprise, village_name, county_code, supplier_ids, year, target_amount,
           projects, status, note=None):
    """Check everything, then write the pairing (reusing a rejected request's row)."""
    errors = FieldErrors()  # every bad field told at once
    if not isinstance(enterprise, Organization):
        enterprise = errors.check(enterprise_of, enterprise)
    county = errors.check(county_of, county_code)
    village_name = errors.check(clean_text, village_name, "village", _("请填写行政村名称。"),
                                max_length=100)
    year = errors.check(check_year, year)
    target = errors.check(parse_target, target_amount)
    suppliers = errors.check(suppliers_of, supplier_ids, county) if county else None
    made_projects = errors.check(projects_of, projects)
    note = errors.check(clean_text, note, "note", "", max_length=500, required=False,
                        multiline=True)
    errors.raise_any()
    village = find_village(village_name, county.code)
    existing = None if village is None else Pairing.query.filter_by(
        enterprise_id=enterprise.id, village_id=village.id, year=year).first()
    _check_free(enterprise, village_name, year, suppliers, existing)
    village = village or find_village(village_name, county.code, create_for=user)
    if existing is not None:
        # A rejected request asked again: its row is reused (the trail keeps its history), and
        # its old suppliers and projects go first so the new ones never meet them in one flush.
        existing.supplier_links, existing.projects = [], []
        db.session.flush()
    pairing = existing or Pairing(enterprise_id=enterprise.id, village_id=village.id, year=year)
    pairing.target_fen, pairing.status, pairing.note = target, status, note
    pairing.created_by_id, pairing.created_at = user.id, utcnow()
    pairing.decided_by_id = pairing.decided_at = pairing.decision_note = None
    pairing.supplier_links = [PairingSupplier(supplier_id=s.id) for s in suppliers]
    pairing.projects = made_projects
    insert_or_conflict(pairing, _("同一结对刚刚被创建，请刷新后查看。"), "duplicate_pairing")
    return pairing


def _detail(pairing):
    return {"enterprise_id": pairing.enterprise_id, "village_id": pairing.village_id,
            "village": pairing.village.name, "county_code": pairing.village.county_code,
            "year": pairing.year, "target": fen_str(pairing.target_fen),
            "supplier_ids": pairing.supplier_ids, "status": pairing.status,
            "projects": [{"kind": p.kind, "name": p.name, "households": p.households,
                          "bases": p.bases} for p in pairing.projects]}


def create_pairing(user, enterprise_id, village, county_code, supplier_ids, year, target_amount,
                   projects=None):
    """The admin pairs an enterprise with a village (its name and county) for a year.

    :param supplier_ids: the village's cooperatives and bases: suppliers certified for the
        county. :param projects: [{"kind", "name"?, "households"?, "bases"?, "description"?}].
    :raises PermissionDenied: not the admin.
    :raises ValidationError: not an enterprise, not a county, a supplier outside the county, a
        target ≤ 0, a bad year or project (nothing is written).
    :raises Conflict: this pairing exists, or a supplier already counts for another pairing of
        the enterprise and year.
    """
    require_admin(user)
    pairing = _write(user, enterprise_id, village, county_code, supplier_ids, year,
                     target_amount, projects, "active")
    pairing.decided_by_id, pairing.decided_at = user.id, utcnow()
    record("pairing.create", pairing, actor=user, detail=_detail(pairing))
    _tell_enterprise_approved(pairing)
    return pairing


def request_pairing(user, village, supplier_ids, year, target_amount, projects=None, note=None):
    """An enterprise asks to pair with a village from the board; the admin decides.

    :param village: the Village asked for.
    :raises PermissionDenied: not a buyer of an enterprise.
    :raises ValidationError, Conflict: as `create_pairing`.
    """
    if not is_enterprise_buyer(user):
        raise PermissionDenied(_("只有企业可以申请与行政村结对。"))
    pairing = _write(user, user.organization, village.name, village.county_code, supplier_ids,
                     year, target_amount, projects, "requested", note)
    record("pairing.request", pairing, actor=user, detail=_detail(pairing))
    notify(admins(), "pairing.requested",
           _l("【万企兴万村】%(enterprise)s 申请与 %(village)s 结对（%(year)s 年度，采购目标 %(target)s），请审核。",
              enterprise=pairing.enterprise.name, village=pairing.village.name,
              year=pairing.year, target=format_yuan(pairing.target_fen)),
           link=f"/pairings/{pairing.id}")
    return pairing


def approve_pairing(user, pairing):
    """The admin approves a requested pairing; the enterprise is told.

    :raises StateError: it is not a pending request. :raises Conflict: a supplier was paired
        with the enterprise elsewhere meanwhile.
    """
    require_admin(user)
    if pairing.status != "requested":
        raise StateError(_("只有待审核的结对申请可以批准。"))
    pairing.status, pairing.decided_by_id, pairing.decided_at = "active", user.id, utcnow()
    db.session.flush()
    record("pairing.approve", pairing, actor=user, detail={"status": "active"})
    _tell_enterprise_approved(pairing)
    return pairing


def reject_pairing(user, pairing, reason):
    """The admin rejects a request, saying why; the enterprise is told and may ask again.

    :raises StateError: not a pending request. :raises ValidationError: no reason.
    """
    return _close(user, pairing, "rejected", reason, lambda why: _l(
        "【万企兴万村】您与 %(village)s 的结对申请未通过：%(reason)s",
        village=pairing.village.name, reason=why))


def end_pairing(user, pairing, reason):
    """The admin ends an active pairing: what is accepted from now on no longer counts for it.

    :raises StateError: not active. :raises ValidationError: no reason.
    """
    return _close(user, pairing, "ended", reason, lambda why: _l(
        "【万企兴万村】您与 %(village)s 的 %(year)s 年度结对已结束：%(reason)s",
        village=pairing.village.name, year=pairing.year, reason=why))


@dataclass(frozen=True)
class _Closing:
    """How the admin closes a pairing: from which status; the refusal when it is in another and
    the message when no reason is given (functions: translated when raised); the columns that
    keep the reason, who and when; the audit trail's action."""

    from_status: str
    refusal: Callable[[], str]
    missing: Callable[[], str]
    reason_column: str
    by_column: str
    at_column: str
    action: str


_CLOSINGS = {
    "rejected": _Closing("requested", lambda: _("只有待审核的结对申请可以驳回。"),
                         lambda: _("请填写驳回原因。"),
                         "decision_note", "decided_by_id", "decided_at", "pairing.reject"),
    "ended": _Closing("active", lambda: _("只有进行中的结对可以结束。"), lambda: _("请填写结束原因。"),
                      "end_reason", "ended_by_id", "ended_at", "pairing.end"),
}


def _close(user, pairing, status, reason, message):
    """Reject or end `pairing` (`status` "rejected" or "ended"): checked, written with its
    reason, who and when, put on the audit trail and told to the enterprise's staff
    (`message(reason)`, a notification "pairing.<status>"); returns the pairing.

    :raises PermissionDenied: not an admin. :raises StateError: not in the status it closes from.
    :raises ValidationError: no reason.
    """
    closing = _CLOSINGS[status]
    require_admin(user)
    if pairing.status != closing.from_status:
        raise StateError(closing.refusal())
    reason = required_reason(reason, closing.missing())
    pairing.status = status
    setattr(pairing, closing.reason_column, reason)
    setattr(pairing, closing.by_column, user.id)
    setattr(pairing, closing.at_column, utcnow())
    db.session.flush()
    record(closing.action, pairing, actor=user, detail={"reason": reason})
    notify(staff_of(pairing.enterprise), f"pairing.{status}", message(reason),
           link=f"/pairings/{pairing.id}")
    return pairing


def _tell_enterprise_approved(pairing):
    notify(staff_of(pairing.enterprise), "pairing.approved",
           _l("【万企兴万村】贵企业与 %(county)s %(village)s 的 %(year)s 年度结对已生效，采购目标 %(target)s。"
              "向结对合作社采购并验收的金额将计入进度。",
              county=pairing.village.county.name, village=pairing.village.name,
              year=pairing.year, target=format_yuan(pairing.target_fen)),
           link=f"/pairings/{pairing.id}")


def current_pairings_of(enterprise_id, now=None):
    """The enterprise's active pairings of the current CST year."""
    year = to_cst(now or utcnow()).year
    return Pairing.query.filter_by(enterprise_id=enterprise_id, year=year, status="active").all()
