"""After-sales (售后): returns and complaints the buyer opens on accepted lines, the supplier's
agreement or answer, the buyer's escalation and the admin's arbitration. Agreeing to a return
refunds through the refund rules (a credit while money is due) and puts the goods back in stock.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.errors import (FieldErrors, NotFound, PermissionDenied, StateError,
                                ValidationError, required_reason)
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify
from marketplace.ordering.models import OrderLine
from marketplace.ordering.services.common import supplier_staff_of
from marketplace.ordering.services.lifecycle import record_event
from marketplace.ordering.services.stock import release_stock
from marketplace.payments.models import AfterSaleCase
from marketplace.payments.services.core import is_buyer, is_supplier, lock_order
from marketplace.payments.services.refunds import create_refund, refundable_fen
from marketplace.timeutil import utcnow

KINDS = ("return", "complaint")
OPEN_STATUSES = ("open", "answered", "escalated")


def window_closes_at(order):
    """When the buyer can no longer open a case on the order (None before acceptance)."""
    if order.accepted_at is None:
        return None
    return order.accepted_at + timedelta(days=current_app.config["AFTER_SALES_DAYS"])


def returnable_quantity(line):
    """The accepted quantity less what earlier return cases (not refused) took back."""
    taken = sum(c.quantity for c in AfterSaleCase.query.filter_by(line_id=line.id, kind="return")
                if c.status != "closed")
    return (line.accepted_quantity or 0) - taken


def get_case(case_id, user):
    """The case, if `user` may see it (its buyer, its supplier, or an admin)."""
    case = db.session.get(AfterSaleCase, case_id) if isinstance(case_id, int) else None
    if case is None:
        raise NotFound(_("售后申请不存在。"))
    if not (is_buyer(user, case.order) or is_supplier(user, case.order) or user.role == "admin"):
        raise PermissionDenied(_("无权查看该售后申请。"))
    return case


def open_case(order, user, line_id, kind, quantity, reason):
    """The buyer opens a return or a complaint on an accepted line within the window.

    :raises PermissionDenied: not a purchaser or unit manager of the buyer organisation.
    :raises StateError: the order is not accepted, or the window has closed.
    :raises ValidationError: unknown line, kind, quantity out of range, or no reason.
    """
    if not is_buyer(user, order):
        raise PermissionDenied(_("只有下单单位的采购人可以申请售后。"))
    closes = window_closes_at(order)
    if order.status not in ("accepted", "completed") or closes is None:
        raise StateError(_("订单验收后才能申请售后。"), fields={"status": order.status})
    if utcnow() > closes:
        raise StateError(_("售后期限已过。"), fields={"status": "window_closed"})
    line = db.session.get(OrderLine, line_id) if isinstance(line_id, int) else None
    if line is None or line.order_id != order.id:
        raise ValidationError(_("订单中没有这一行。"), fields={"line_id": "unknown"})
    errors = FieldErrors()
    if kind not in KINDS:
        errors.add(_("请选择退货或投诉。"), "kind", "unknown")
    reason = errors.check(required_reason, reason, _("请填写售后原因（500 字以内）。"))
    limit = returnable_quantity(line)
    if not isinstance(quantity, int) or quantity <= 0:
        errors.add(_("数量必须大于零。"), "quantity", "positive")
    elif quantity > limit:
        errors.add(_("数量超过可售后数量 %(limit)s。", limit=limit), "quantity", "above_limit")
    errors.raise_any()
    case = AfterSaleCase(order_id=order.id, line_id=line.id, kind=kind, quantity=quantity,
                         reason=reason, opened_by_id=user.id)
    db.session.add(case)
    db.session.flush()
    _step(case, user, "aftersale_opened", f"售后申请（{_kind_zh(kind)}）{line.product_name} "
          f"×{quantity}：{reason}", supplier_staff_of(order.supplier_id))
    return case


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
    _step(case, user, "aftersale_agreed", "售后已同意" if not admin else "仲裁：支持采购方",
          [order.placed_by])
    return case


def answer(case, user, text):
    """The supplier disagrees, with its reason; the buyer may then escalate."""
    if not is_supplier(user, case.order):
        raise PermissionDenied(_("只有该订单的供应商可以处理售后。"))
    if case.status != "open":
        raise StateError(_("该售后申请已处理。"), fields={"status": case.status})
    case.answer = required_reason(text, _("请填写不同意的理由（500 字以内）。"), field="answer")
    case.status = "answered"
    _step(case, user, "aftersale_answered", f"供应商答复：{case.answer}", [case.order.placed_by])
    return case


def escalate(case, user):
    """The buyer asks the admin to arbitrate an answered case."""
    if not is_buyer(user, case.order):
        raise PermissionDenied(_("只有下单单位的采购人可以申请仲裁。"))
    if case.status != "answered":
        raise StateError(_("只有供应商答复后才能申请仲裁。"), fields={"status": case.status})
    case.status = "escalated"
    _step(case, user, "aftersale_escalated", "采购方申请平台仲裁",
          supplier_staff_of(case.order.supplier_id))
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
    _step(case, user, "aftersale_closed", f"仲裁：支持供应商：{case.decision_note}",
          [case.order.placed_by])
    return case


def _refuse(case, user, admin):
    if not admin and not is_supplier(user, case.order):
        raise PermissionDenied(_("只有该订单的供应商可以处理售后。"))
    raise StateError(_("该售后申请已处理。"), fields={"status": case.status})


def _kind_zh(kind):
    return "退货" if kind == "return" else "投诉"


def _step(case, user, name, note, recipients):
    """One step on the order's timeline (kept as data in Chinese, like other timeline notes),
    in the audit log, and told to the other side."""
    order = case.order
    record_event(order, order.status, name, user, note[:500])
    record(f"aftersale.{name.split('_', 1)[1]}", case, actor=user,
           detail={"order_id": order.id, "line_id": case.line_id, "status": case.status})
    if recipients:
        notify(recipients, "payment.aftersale",
               _l("订单 %(number)s 售后：%(note)s", number=order.number, note=note[:100]),
               link=f"/payments/orders/{order.id}")
