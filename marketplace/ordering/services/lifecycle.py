"""The order life cycle after checkout: approval, confirmation, shipping, cancellation, completion.

Every state change goes through `record_transition`, which checks the life cycle, writes an
OrderEvent (who, when, why) and an audit entry; each is then announced by its signal
(`ordering.signals`). Acceptance (验收) lives in `acceptance`. What is due and when, and so when
an accepted order is settled, is the payments module's to say: it listens to the signals.
"""
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.catalog.caching import note_delivery
from marketplace.errors import PermissionDenied, StateError, ValidationError, required_reason
from marketplace.extensions import db
from marketplace.notifications.services import notify
from marketplace.ordering.models import Order, OrderEvent
from marketplace.ordering.services.common import (BUYER_ROLES, CANCELLABLE, approving_unit_id,
                                                  SETTLED_PAYMENT_STATUSES, TRANSITIONS, _,
                                                  PaymentRequired, order_link,
                                                  tell_supplier_new, status_label,
                                                  supplier_staff_of)
from marketplace.ordering.services.stock import release_stock
from marketplace.ordering.signals import (order_approved, order_cancelled, order_completed,
                                          order_confirmed, order_shipped)
from marketplace.timeutil import utcnow


def record_event(order, from_status, to_status, actor, note):
    event = OrderEvent(order_id=order.id, at=utcnow(), actor_id=getattr(actor, "id", None),
                       from_status=from_status, to_status=to_status, note=note)
    db.session.add(event)
    return event


def record_transition(order, to_status, actor, note=None):
    """Move an order to `to_status` if the life cycle allows it; keep who, when and why.

    Writes an OrderEvent and an audit entry ("order.<to_status>").

    :param actor: the user acting (None for the system, e.g. a payment webhook).
    :returns: the OrderEvent.
    :raises StateError: the transition is not allowed from the order's status.
    """
    from_status = order.status
    if to_status not in TRANSITIONS.get(from_status, ()):
        raise StateError(
            _("订单 %(number)s 当前状态为「%(status)s」，不能执行此操作。", number=order.number,
              status=status_label(from_status)),
            fields={"status": from_status})
    order.status = to_status
    if to_status == "accepted":  # its products may now be reviewed by the buyer's unit
        note_delivery(db.session, order.buyer_organization_id)
    note = (note or "").strip()[:1000] or None
    event = record_event(order, from_status, to_status, actor, note)
    db.session.flush()
    record(f"order.{to_status}", order, actor=actor,
           detail={"from": from_status, "to": to_status, "note": note})
    return event


def require_order_buyer(order, user):
    if not (user.role in BUYER_ROLES and user.organization_id == order.buyer_organization_id):
        raise PermissionDenied(_("只有下单单位可以执行此操作。"))


def require_order_supplier(order, user):
    if not (user.role == "supplier_staff" and user.organization_id == order.supplier_id):
        raise PermissionDenied(_("只有该订单的供应商可以执行此操作。"))


def can_approve(order, user):
    """Whether `user` is a unit manager of the unit that approves the order's budget unit (its
    own, or the nearest one above it with a manager: `approving_unit_id`)."""
    return (user.role == "unit_manager" and order.budget_unit_id is not None
            and user.organization_id == approving_unit_id(order.budget_unit_id))


def checkout_orders(order):
    """Every order of the checkout that made `order` (itself included), by id."""
    if not order.checkout_id:
        return [order]
    return (Order.query.filter_by(checkout_id=order.checkout_id, placed_by_id=order.placed_by_id)
            .order_by(Order.id).all())


def _waiting_together(order, user):
    """The orders of `order`'s checkout still waiting for approval (`order` first).

    :raises PermissionDenied: not a manager of the unit. :raises StateError: `order` does not
        wait for approval.
    """
    if not can_approve(order, user):
        raise PermissionDenied(_("只有采购单位的管理员可以审批此订单。"))
    if order.status != "pending_approval":
        raise StateError(
            _("订单 %(number)s 当前状态为「%(status)s」，不能执行此操作。", number=order.number,
              status=status_label(order.status)), fields={"status": order.status})
    return [order] + [other for other in checkout_orders(order)
                      if other.id != order.id and other.status == "pending_approval"]


def approve_order(order, user, note=None):
    """A unit manager of the buyer's budget unit approves a pending order, and with it every
    order of the same checkout still waiting (the threshold covered them together): they
    become placed.

    :returns: the order. :raises PermissionDenied: not a manager of that unit.
    :raises StateError: the order is not pending approval.
    """
    for each in _waiting_together(order, user):
        record_transition(each, "placed", user, note)
        each.approved_at = utcnow()
        db.session.flush()
        order_approved.send(each, actor=user)
        notify([each.placed_by], "order.approved",
               _l("订单 %(number)s 已通过审批。", number=each.number), link=order_link(each))
        tell_supplier_new(each)
    return order


def reject_order(order, user, reason):
    """A unit manager rejects a pending order with a reason, and with it every order of the
    same checkout still waiting; their stock goes back.

    :returns: the order. :raises PermissionDenied: not a manager of that unit.
    :raises ValidationError: no reason given.
    :raises StateError: the order is not pending approval.
    """
    together = _waiting_together(order, user)
    reason = required_reason(reason, _("请填写驳回理由。"))
    for each in together:
        record_transition(each, "rejected", user, reason)
        each.cancel_reason = reason
        each.cancelled_at = utcnow()
        release_stock([(line.product_id, line.quantity) for line in each.lines])
        db.session.flush()
        notify([each.placed_by], "order.rejected",
               _l("订单 %(number)s 未通过审批：%(reason)s", number=each.number, reason=reason),
               link=order_link(each))
    return order


def confirm_order(order, user, note=None):
    """The supplier confirms a placed order.

    :raises PermissionDenied: not this order's supplier.
    :raises StateError: the order is not placed.
    """
    require_order_supplier(order, user)
    record_transition(order, "confirmed", user, note)
    order.confirmed_at = utcnow()
    db.session.flush()
    order_confirmed.send(order, actor=user)
    notify([order.placed_by], "order.confirmed",
           _l("订单 %(number)s 已被供应商确认。", number=order.number), link=order_link(order),
           email=False)
    return order


def ship_order(order, user, carrier, tracking_number, note=None):
    """The supplier ships a confirmed order, naming the carrier and the tracking number.

    A pay-first (先款后货) order ships only once paid: its payment status (kept by the payments
    module) must say nothing is left to pay.

    :raises PermissionDenied: not this order's supplier.
    :raises ValidationError: carrier or tracking number missing or too long.
    :raises StateError: the order is not confirmed.
    :raises PaymentRequired: a pay-first order not yet paid (409 payment_required).
    """
    require_order_supplier(order, user)
    if order.status == "confirmed" and not may_ship(order):
        raise PaymentRequired(
            _("订单 %(number)s 为先款后货，买方付款后才能发货。", number=order.number),
            fields={"payment_status": order.payment_status})
    carrier = (carrier or "").strip() if isinstance(carrier, str) else ""
    tracking_number = (tracking_number or "").strip() if isinstance(tracking_number, str) else ""
    errors = {}
    if not carrier:
        errors["carrier"] = "required"
    elif len(carrier) > 60:
        errors["carrier"] = "too_long"
    if not tracking_number:
        errors["tracking_number"] = "required"
    elif len(tracking_number) > 60:
        errors["tracking_number"] = "too_long"
    if errors:
        raise ValidationError(_("请填写承运商和运单号。"), fields=errors, summary=True)
    record_transition(order, "shipped", user,
                      note or f"{carrier} {tracking_number}")
    order.carrier = carrier
    order.tracking_number = tracking_number
    order.shipped_at = utcnow()
    db.session.flush()
    order_shipped.send(order, actor=user)
    notify([order.placed_by], "order.shipped",
           _l("订单 %(number)s 已发货：%(carrier)s %(tracking)s", number=order.number,
              carrier=carrier, tracking=tracking_number), link=order_link(order))
    return order


def cancel_order(order, user, reason=None):
    """Cancel an order before it ships; its stock goes back.

    The buyer may cancel while pending approval, placed or confirmed; the supplier (or an
    admin) may cancel placed or confirmed orders with a reason. A paid order needs a refund
    first.

    :raises PermissionDenied: neither the buyer, the supplier nor an admin.
    :raises ValidationError: the supplier or admin gave no reason; a reason too long.
    :raises StateError: shipped, accepted, completed or already cancelled, money was paid, or a
        payment waits for confirmation.
    """
    is_buyer = user.role in BUYER_ROLES and user.organization_id == order.buyer_organization_id
    is_supplier = user.role == "supplier_staff" and user.organization_id == order.supplier_id
    if not (is_buyer or is_supplier or user.role == "admin"):
        raise PermissionDenied(_("您不能取消此订单。"))
    # The buyer may say why (or not); the supplier and the admin must tell the buyer.
    reason = required_reason(reason, _("请填写取消原因。")) \
        if not is_buyer or (reason or "").strip() else None
    if order.status not in CANCELLABLE:
        raise StateError(_("订单 %(number)s 已发货或已结束，不能取消。", number=order.number),
                         fields={"status": order.status})
    if (order.paid_fen or 0) > 0:
        raise StateError(_("订单 %(number)s 已付款，请先办理退款。", number=order.number),
                         fields={"paid_amount": "not_zero"})
    if order.payment_status == "pending":
        # A bank transfer (or card payment) waits for confirmation: the money may be on its
        # way; the supplier confirms or rejects it first.
        raise StateError(_("订单 %(number)s 有一笔付款正在等待确认，确认或退回后才能取消。",
                           number=order.number), fields={"payment_status": "pending"})
    before = order.status
    record_transition(order, "cancelled", user, reason)
    order.cancelled_at = utcnow()
    order.cancel_reason = reason
    release_stock([(line.product_id, line.quantity) for line in order.lines])
    db.session.flush()
    order_cancelled.send(order, actor=user)
    if is_buyer:
        if before != "pending_approval":  # the supplier never saw an unapproved order
            notify(supplier_staff_of(order.supplier_id), "order.cancelled",
                   _l("订单 %(number)s 已被买方取消。", number=order.number),
                   link=order_link(order))
    else:
        notify([order.placed_by], "order.cancelled",
               _l("订单 %(number)s 已被取消：%(reason)s", number=order.number, reason=reason),
               link=order_link(order))
    return order


def may_ship(order):
    """Whether the order's payment terms let it ship now: goods-first always; pay-first once
    its payment status says nothing is left to pay."""
    return order.payment_terms != "pay_first" or order.payment_status in SETTLED_PAYMENT_STATUSES


def complete_order(order, actor=None):
    """Move an accepted order to completed. The payments module calls this once the order is
    settled (nothing due, nothing owed back); it decides when that is.

    :returns: True when the order was completed by this call (False: not accepted).
    """
    if order.status != "accepted":
        return False
    record_transition(order, "completed", actor, None)
    order.completed_at = utcnow()
    db.session.flush()
    order_completed.send(order, actor=actor)
    return True
