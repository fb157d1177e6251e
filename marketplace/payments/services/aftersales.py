"""After-sales (售后): returns and complaints the buyer opens on accepted lines, the supplier's
agreement or answer, the buyer's escalation and the admin's arbitration. Agreeing to a return
refunds through the refund rules (a credit while money is due) and puts the goods back in stock.
"""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace import images
from marketplace.audit.services import entries_for, record
from marketplace.errors import (FieldErrors, NotFound, PermissionDenied, StateError,
                                ValidationError, required_reason)
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify
from marketplace.ordering.models import Order, OrderLine
from marketplace.ordering.services.common import supplier_staff_of
from marketplace.ordering.services.lifecycle import record_event
from marketplace.ordering.services.stock import release_stock
from marketplace.payments.models import AFTER_SALE_KINDS, AfterSaleCase, AfterSalePhoto
from marketplace.payments.services.core import is_buyer, is_supplier, lock_order
from marketplace.payments.services.refunds import create_refund, refundable_fen
from marketplace.timeutil import utcnow

KINDS = AFTER_SALE_KINDS
OPEN_STATUSES = ("open", "answered", "escalated")
MAX_PHOTOS = 3
PHOTO_FOLDER = "aftersales"


def window_closes_at(order):
    """When the buyer can no longer open a case on the order (None before acceptance)."""
    if order.accepted_at is None:
        return None
    return order.accepted_at + timedelta(days=current_app.config["AFTER_SALES_DAYS"])


def returnable_quantities(order):
    """{line id: the accepted quantity less what earlier return cases (not refused) took
    back} for every line of the order, in one query."""
    taken = dict(db.session.execute(
        sa.select(AfterSaleCase.line_id, sa.func.sum(AfterSaleCase.quantity))
        .where(AfterSaleCase.order_id == order.id, AfterSaleCase.kind == "return",
               AfterSaleCase.status != "closed")
        .group_by(AfterSaleCase.line_id)).all())
    return {line.id: (line.accepted_quantity or 0) - (taken.get(line.id) or 0)
            for line in order.lines}


def get_case(case_id, user):
    """The case, if `user` may see it (its buyer, its supplier, or an admin)."""
    case = db.session.get(AfterSaleCase, case_id) if isinstance(case_id, int) else None
    if case is None:
        raise NotFound(_("售后申请不存在。"))
    if not (is_buyer(user, case.order) or is_supplier(user, case.order) or user.role == "admin"):
        raise PermissionDenied(_("无权查看该售后申请。"))
    return case


def require_open_allowed(order, user):
    """:raises PermissionDenied: `user` is not a buyer of the order.
    :raises StateError: the order is not accepted, or its after-sales window has closed."""
    if not is_buyer(user, order):
        raise PermissionDenied(_("只有下单单位的采购人可以申请售后。"))
    closes = window_closes_at(order)
    if order.status not in ("accepted", "completed") or closes is None:
        raise StateError(_("订单验收后才能申请售后。"), fields={"status": order.status})
    if utcnow() > closes:
        raise StateError(_("售后期限已过。"), fields={"status": "window_closed"})


def may_open(order, user):
    """Whether `user` may open a case on the order now (the order page offers it then)."""
    try:
        require_open_allowed(order, user)
    except (PermissionDenied, StateError):
        return False
    return any(quantity > 0 for quantity in returnable_quantities(order).values())


def open_case(order, user, line_id, kind, quantity, reason, photos=()):
    """The buyer opens a return or a complaint on an accepted line within the window, with up
    to MAX_PHOTOS photos of what arrived (re-encoded like every uploaded image; stored only
    once everything else is right).

    :raises PermissionDenied: not a purchaser or unit manager of the buyer organisation.
    :raises StateError: the order is not accepted, or the window has closed.
    :raises ValidationError: unknown line, kind, quantity out of range, no reason, too many
        photos or one that is not a JPEG, PNG or WebP image (every bad field at once).
    """
    require_open_allowed(order, user)
    line = db.session.get(OrderLine, line_id) if isinstance(line_id, int) else None
    if line is None or line.order_id != order.id:
        raise ValidationError(_("订单中没有这一行。"), fields={"line_id": "unknown"})
    errors = FieldErrors()
    if kind not in KINDS:
        errors.add(_("请选择退货或投诉。"), "kind", "unknown")
    reason = errors.check(required_reason, reason, _("请填写售后原因（500 字以内）。"))
    limit = returnable_quantities(order)[line.id]
    if not isinstance(quantity, int) or quantity <= 0:
        errors.add(_("数量必须大于零。"), "quantity", "positive")
    elif quantity > limit:
        errors.add(_("数量超过可售后数量 %(limit)s。", limit=limit), "quantity", "above_limit")
    checked = _checked_photos(photos, errors)
    errors.raise_any()
    case = AfterSaleCase(order_id=order.id, line_id=line.id, kind=kind, quantity=quantity,
                         reason=reason, opened_by_id=user.id)
    db.session.add(case)
    case.photos = [AfterSalePhoto(file_name=images.store_photo(*photo, PHOTO_FOLDER))
                   for photo in checked]
    db.session.flush()
    _step(case, user, "aftersale_opened", f"{line.product_name} ×{quantity} · {reason}",
          supplier_staff_of(order.supplier_id),
          _l("订单 %(number)s 有新的售后申请：%(product)s ×%(quantity)s。", number=order.number,
             product=line.product_name, quantity=quantity))
    return case


def _checked_photos(photos, errors):
    """The uploaded photos (empty file inputs left out) checked and re-encoded, refusals kept
    in `errors` on the field `photos`."""
    given = [photo for photo in photos or () if photo is not None
             and (isinstance(photo, bytes) or getattr(photo, "filename", ""))]
    if len(given) > MAX_PHOTOS:
        errors.add(_("最多上传 %(count)s 张照片。", count=MAX_PHOTOS), "photos", "too_many")
        return []
    checked = [errors.check(images.photo_upload, photo, "photos") for photo in given]
    return [photo for photo in checked if photo]


def case_history(case):
    """The case's steps, oldest first, as the audit trail keeps them (who, when, which)."""
    return entries_for(AfterSaleCase.__tablename__, case.id)


def order_cases(order):
    """The cases opened on an order, oldest first."""
    return AfterSaleCase.query.filter_by(order_id=order.id).order_by(AfterSaleCase.id).all()


def case_photo(case, photo_id):
    """The path of one of the case's photos (the caller checked the reader may see the case).

    :raises NotFound: not a photo of this case, or its file is gone."""
    photo = next((item for item in case.photos if item.id == photo_id), None)
    path = images.photo_folder(PHOTO_FOLDER) / photo.file_name if photo else None
    if path is None or not path.is_file():
        raise NotFound(_("照片不存在。"))
    return path


def cases_for(user):
    """The cases `user` works on, newest first: a supplier's staff its organisation's cases
    still open, answered or escalated; an admin those escalated (waiting for arbitration);
    a buyer its organisation's cases, open or closed."""
    query = AfterSaleCase.query.join(Order, Order.id == AfterSaleCase.order_id)
    if user.role == "supplier_staff":
        query = query.filter(Order.supplier_id == user.organization_id,
                             AfterSaleCase.status.in_(OPEN_STATUSES))
    elif user.role == "admin":
        query = query.filter(AfterSaleCase.status == "escalated")
    elif user.role in ("purchaser", "unit_manager"):
        query = query.filter(Order.buyer_organization_id == user.organization_id)
    else:
        raise PermissionDenied(_("无权查看售后申请。"))
    return query.order_by(AfterSaleCase.id.desc())


def waiting_cases(user):
    """The cases waiting for `user`'s decision: a supplier's open ones, an admin's escalated
    ones (none for anyone else)."""
    waiting = {"supplier_staff": "open", "admin": "escalated"}.get(user.role)
    if waiting is None:
        return AfterSaleCase.query.filter(db.false())
    return cases_for(user).filter(AfterSaleCase.status == waiting)


def agree(case, user, transfer_reference=None):
    """The supplier agrees (or the admin decides for the buyer). A return refunds the line's
    value for the quantity (capped at what is still refundable) and puts the goods back in stock.

    :raises PermissionDenied: not the order's supplier (nor, once escalated, an admin).
    :raises StateError: the case is not waiting for this decision.
    """
    order = case.order
    admin = user.role == "admin"
    # The supplier decides an open case; the admin only one escalated to arbitration.
    waiting = "escalated" if admin else "open"
    if (not admin and not is_supplier(user, order)) or case.status != waiting:
        _refuse(case, user, admin)
    lock_order(order)
    if case.kind == "return":
        amount = min(case.quantity * case.line.unit_price_fen, refundable_fen(case.line))
        if amount > 0:
            create_refund(order, user, case.line_id, amount, f"售后退货：{case.reason}"[:500],
                          transfer_reference)
        release_stock([(case.line.product_id, case.quantity)])
    case.status, case.closed_at = "agreed", utcnow()
    _step(case, user, "aftersale_agreed", case.decision_note if admin else None,
          [order.placed_by], _l("订单 %(number)s 的售后申请已同意。", number=order.number))
    return case


def answer(case, user, text):
    """The supplier disagrees, with its reason; the buyer may then escalate."""
    if not is_supplier(user, case.order):
        raise PermissionDenied(_("只有该订单的供应商可以处理售后。"))
    if case.status != "open":
        raise StateError(_("该售后申请已处理。"), fields={"status": case.status})
    case.answer = required_reason(text, _("请填写不同意的理由（500 字以内）。"), field="answer")
    case.status = "answered"
    _step(case, user, "aftersale_answered", case.answer, [case.order.placed_by],
          _l("订单 %(number)s 的售后申请，供应商已答复。", number=case.order.number))
    return case


def escalate(case, user):
    """The buyer asks the admin to arbitrate an answered case."""
    if not is_buyer(user, case.order):
        raise PermissionDenied(_("只有下单单位的采购人可以申请仲裁。"))
    if case.status != "answered":
        raise StateError(_("只有供应商答复后才能申请仲裁。"), fields={"status": case.status})
    case.status = "escalated"
    _step(case, user, "aftersale_escalated", None, supplier_staff_of(case.order.supplier_id),
          _l("订单 %(number)s 的售后申请已提交平台仲裁。", number=case.order.number))
    return case


def arbitrate(case, user, for_buyer, note):
    """The admin decides an escalated case: for the buyer (as if the supplier agreed) or for the
    supplier (closed)."""
    if user.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以仲裁。"))
    if case.status != "escalated":
        raise StateError(_("该售后申请不在仲裁中。"), fields={"status": case.status})
    case.decision_note = required_reason(note, _("请填写仲裁意见（500 字以内）。"), field="note")
    if for_buyer:
        return agree(case, user)
    case.status, case.closed_at = "closed", utcnow()
    _step(case, user, "aftersale_closed", case.decision_note, [case.order.placed_by],
          _l("订单 %(number)s 的售后申请经平台仲裁已关闭。", number=case.order.number))
    return case


def _refuse(case, user, admin):
    if not admin and not is_supplier(user, case.order):
        raise PermissionDenied(_("只有该订单的供应商可以处理售后。"))
    raise StateError(_("该售后申请已处理。"), fields={"status": case.status})


def _step(case, user, name, words, recipients, message):
    """One step on the order's timeline (named by the step; its note is the case's number and
    the person's own words, nothing the app writes in one language), in the audit log, and
    told to the other side (`message`, in the reader's language)."""
    order = case.order
    record_event(order, order.status, name, user,
                 " · ".join(part for part in (f"#{case.id}", words) if part)[:500])
    record(f"aftersale.{name.split('_', 1)[1]}", case, actor=user,
           detail={"order_id": order.id, "line_id": case.line_id, "status": case.status})
    if recipients:
        notify(recipients, "payment.aftersale", message, link=f"/payments/after-sales/{case.id}")
