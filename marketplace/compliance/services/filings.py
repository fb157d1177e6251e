"""Filing windows and filings: each budget unit's yearly canteen status, food budget, ratio and
reserved amount (every corrected version kept)."""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from marketplace.accounts.models import Organization
from marketplace.audit.services import record
from marketplace.catalog import uploads
from marketplace.compliance.models import CANTEEN_STATUSES, Filing, FilingWindow
from marketplace.database import get_by_id, insert_or_conflict
from marketplace.errors import FieldErrors, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import format_day
from marketplace.i18n import translate as _
from marketplace.money import MAX_YUAN, fen_str, to_decimal
from marketplace.timeutil import to_cst, utcnow

from .common import EXEMPT_STATUSES, check_unit_request, check_year, ratio_str
from .policies import governing_policy, parse_ratio


def set_filing_window(actor, year, opens_on, closes_on):
    """Set (or replace) the filing window of a year; dates are China Standard Time dates.

    :raises PermissionDenied: not an admin. :raises ValidationError: closing before opening.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以设置填报期。"))
    check_year(year)
    if not isinstance(opens_on, date) or not isinstance(closes_on, date):
        raise ValidationError(_("请填写开始和截止日期。"), fields={"opens_on": "required"})
    if closes_on < opens_on:
        raise ValidationError(_("截止日期不能早于开始日期。"), fields={"closes_on": "before_opening"})
    window = db.session.get(FilingWindow, year)
    if window is None:
        window = FilingWindow(year=year, opens_on=opens_on, closes_on=closes_on)
        db.session.add(window)
    window.opens_on, window.closes_on = opens_on, closes_on
    db.session.flush()
    record("filing_window.set", window, actor=actor, object_id=year,
           detail={"year": year, "opens_on": opens_on.isoformat(),
                   "closes_on": closes_on.isoformat()})
    return window


def delete_filing_window(actor, year):
    """Remove a year's window (filing is then open all year)."""
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以设置填报期。"))
    window = db.session.get(FilingWindow, year)
    if window is not None:
        record("filing_window.delete", window, actor=actor, object_id=year, detail={"year": year})
        db.session.delete(window)
        db.session.flush()


def window_state(year, now=None):
    """("open" | "not_open" | "closed" | "always_open", window or None) for filing `year` now."""
    window = db.session.get(FilingWindow, year)
    if window is None:
        return "always_open", None
    today = to_cst(now or utcnow()).date()
    if today < window.opens_on:
        return "not_open", window
    if today > window.closes_on:
        return "closed", window
    return "open", window


def current_filing(unit, year):
    """The unit's current filing version for the year, or None."""
    unit_id = unit.id if hasattr(unit, "id") else unit
    return Filing.query.filter_by(budget_unit_id=unit_id, year=year, is_current=True).first()


def filing_history(unit, year):
    """Every version of the unit's filing for the year, newest first."""
    return (Filing.query.filter_by(budget_unit_id=unit.id, year=year)
            .order_by(Filing.version.desc()).all())


def can_file_for(actor, unit):
    """Whether `actor` may file for `unit`: that unit's own unit manager, or an admin."""
    if actor is None or unit is None:
        return False
    if actor.role == "admin":
        return True
    return actor.role == "unit_manager" and actor.organization_id == unit.id


def reserved_fen(food_budget_fen, ratio):
    """food budget × ratio, rounded half-up to the fen."""
    return int((Decimal(food_budget_fen) * Decimal(ratio)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _parse_budget(value):
    """A yuan amount ≥ 0, at most two decimals → fen. :raises ValidationError:"""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(_("请填写食堂年度食材采购预算。"), fields={"food_budget": "required"})
    try:
        amount = to_decimal(value)
    except ValueError:
        raise ValidationError(_("食材采购预算必须是金额（元）。"), fields={"food_budget": "invalid"}) from None
    if amount < 0:
        raise ValidationError(_("食材采购预算不能为负数。"), fields={"food_budget": "negative"})
    if amount > MAX_YUAN:
        raise ValidationError(_("食材采购预算超出范围。"), fields={"food_budget": "out_of_range"})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("食材采购预算最多保留两位小数（分）。"), fields={"food_budget": "too_precise"})
    return int(amount * 100)


def file_quota(actor, unit, year, canteen_status, food_budget, ratio=None, exception_ref=None,
               representative_unit=None, now=None, document=None):
    """File (or correct) a budget unit's reserved share for a year; every version is kept.

    :param unit: the budget unit (Organization).
    :param food_budget: the annual canteen food purchasing total in yuan (str/int/Decimal);
        optional for the exempt statuses `none` and `shared_member`.
    :param ratio: defaults to the governing policy's `min_ratio`; under it only with
        `exception_ref`, the reference of the approving document. Such an exception is
        `pending` and the reserved amount counts at the minimum until it is decided
        (`exceptions.decide_exception`); each new version starts a new decision.
    :param representative_unit: for `shared_member`, the representative budget unit
        (an Organization or its id).
    :param document: the approving document (an uploaded PDF or image), for an exception;
        without one, a correction keeps the previous version's document of the same reference.
    :raises PermissionDenied: the actor is neither the unit's unit manager nor an admin.
    :raises ValidationError: bad status, budget, ratio, representative, year, document, or the
        year's filing window has not opened. Nothing is stored then.
    :returns: the new current Filing (``late`` when filed after the window closed).
    """
    check_unit_request(unit, year, can_file_for(actor, unit), _("只能为本单位填报预留份额。"))
    if canteen_status not in CANTEEN_STATUSES:
        raise ValidationError(_("请选择食堂情况。"), fields={"canteen_status": "invalid"})
    state, window = window_state(year, now)
    if state == "not_open":
        raise ValidationError(
            _("%(year)s 年度的填报期尚未开始（%(opens)s 开始）。", year=year,
              opens=format_day(window.opens_on)),
            fields={"year": "window_not_open"}, code="filing_window_not_open")
    errors = FieldErrors()  # the budget, the ratio and the reference told at once
    exception_ref = (exception_ref or "").strip() or None
    if exception_ref is not None and len(exception_ref) > 100:
        errors.add(_("例外批准文号过长。"), "exception_ref", "too_long")
    policy = governing_policy(unit.region_code, year)
    exempt = canteen_status in EXEMPT_STATUSES
    budget_fen = None
    if not exempt or not (food_budget is None or (isinstance(food_budget, str)
                                                  and not food_budget.strip())):
        budget_fen = errors.check(_parse_budget, food_budget)
    ratio_value = None
    reserved = None
    if not exempt:
        if ratio is None or (isinstance(ratio, str) and not ratio.strip()):
            ratio_value = policy.min_ratio
        else:
            ratio_value = errors.check(parse_ratio, ratio, "ratio")
        if ratio_value is not None and ratio_value < policy.min_ratio and exception_ref is None:
            errors.add(_("预留比例不得低于政策规定的 %(min)s；低于时须填写已批准的例外文号。",
                         min=ratio_str(policy.min_ratio)),
                       "ratio", "below_minimum", code="ratio_below_minimum")
    errors.raise_any()
    exception = not exempt and ratio_value < policy.min_ratio
    if not exempt:
        # An exception counts at the minimum until it is approved.
        reserved = reserved_fen(budget_fen, policy.min_ratio if exception else ratio_value)
    if document is not None and not exception:
        raise ValidationError(_("只有预留比例低于政策最低值（申请例外）时才需上传批准文件。"),
                              fields={"document": "not_an_exception"})
    representative = _check_representative(unit, year, canteen_status, representative_unit)
    # Serialise filings of one unit (PostgreSQL: a row lock on the unit), so two concurrent
    # corrections cannot both stay current; a lost race on the version number is a 409.
    db.session.query(Organization.id).filter(Organization.id == unit.id).with_for_update().scalar()
    previous = Filing.query.filter_by(budget_unit_id=unit.id, year=year, is_current=True).all()
    last_version = db.session.query(sa.func.max(Filing.version)).filter(
        Filing.budget_unit_id == unit.id, Filing.year == year).scalar() or 0
    for old in previous:
        old.is_current = False
    db.session.flush()
    filing = Filing(budget_unit_id=unit.id, year=year, version=last_version + 1, is_current=True,
                    canteen_status=canteen_status, food_budget_fen=budget_fen, ratio=ratio_value,
                    reserved_fen=reserved,
                    exception_ref=exception_ref if not exempt else None,
                    exception_status="pending" if exception else None,
                    minimum_ratio=None if exempt else policy.min_ratio,
                    representative_unit_id=representative.id if representative else None,
                    late=state == "closed", filed_by_id=actor.id, filed_at=now or utcnow())
    if exception:
        _attach_document(filing, document, previous)
    insert_or_conflict(filing, _("另一份填报刚刚提交，请刷新后重试。"), "concurrent_filing")
    record("filing.create" if last_version == 0 else "filing.correct", filing, actor=actor,
           detail={"unit_id": unit.id, "year": year, "version": filing.version,
                   "canteen_status": canteen_status, "food_budget": fen_str(budget_fen),
                   "ratio": ratio_str(ratio_value), "reserved": fen_str(reserved),
                   "exception_ref": filing.exception_ref,
                   "exception_status": filing.exception_status,
                   "exception_document": filing.exception_document_name, "late": filing.late,
                   "representative_unit_id": filing.representative_unit_id})
    return filing


def _attach_document(filing, document, previous):
    """The approving document: the one uploaded now (checked and re-encoded as every uploaded
    document is), else the previous version's when it names the same reference."""
    if document is not None:
        stored = uploads.save_document(document, field="document")
        filing.exception_document = stored["stored_name"]
        filing.exception_document_name = stored["original_name"]
        return
    for old in previous:
        if old.exception_document and old.exception_ref == filing.exception_ref:
            filing.exception_document = old.exception_document
            filing.exception_document_name = old.exception_document_name


def _check_representative(unit, year, canteen_status, representative_unit):
    if canteen_status != "shared_member":
        return None
    if representative_unit is None or representative_unit == "":
        raise ValidationError(_("共享食堂成员单位须指定代表单位。"),
                              fields={"representative_unit_id": "required"})
    if isinstance(representative_unit, Organization):
        representative = representative_unit
    else:
        representative = get_by_id(Organization, representative_unit)
    if representative is None or representative.kind != "budget_unit":
        raise ValidationError(_("代表单位必须是系统中的预算单位。"),
                              fields={"representative_unit_id": "unknown"})
    if representative.id == unit.id:
        raise ValidationError(_("代表单位不能是本单位自己。"),
                              fields={"representative_unit_id": "self"})
    rep_filing = current_filing(representative, year)
    if rep_filing is not None and rep_filing.canteen_status == "shared_member":
        raise ValidationError(_("所指定的代表单位本身是共享食堂成员，请指定其代表单位。"),
                              fields={"representative_unit_id": "is_member"})
    members = Filing.query.filter_by(year=year, is_current=True, canteen_status="shared_member",
                                     representative_unit_id=unit.id).count()
    if members:
        raise ValidationError(_("本单位是其他单位的共享食堂代表单位，不能再登记为成员。"),
                              fields={"canteen_status": "is_representative"})
    return representative
