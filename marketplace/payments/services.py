"""Payment rules: what is due, Stripe payments and their webhooks, bank transfers, refunds,
payment terms and settlement statements.

Amounts are integer fen. Services flush and never commit (the request or CLI command does).

What an order is worth and what is due:
- a line's value is its accepted value once accepted (验收), its ordered value before;
- refunds on a line are at most its value; a refund made while money is still due lowers what
  is due (a credit, no money moves); the rest gives money back through a payment (Stripe refund,
  or a bank transfer recorded with its reference);
- due = (value − refunds) − (money received − money given back), never below zero.
"""
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app, has_request_context
from flask_babel import gettext
from sqlalchemy import and_, func, or_
from sqlalchemy.exc import IntegrityError

from marketplace.audit.services import record
from marketplace.errors import Conflict, NotFound, PermissionDenied, StateError, ValidationError
from marketplace.extensions import db
from marketplace.money import format_yuan
from marketplace.ordering.models import Order, OrderEvent, OrderLine
from marketplace.payments import stripe_client
from marketplace.payments.models import (Payment, Refund, SettlementItem, SettlementStatement,
                                         StripeEvent)
from marketplace.timeutil import to_cst, utcnow

PAY_FIRST_DAYS = 30
GOODS_FIRST_DAYS = 30
EXTENSION_DAYS = 15
PAYABLE_STATUSES = ("placed", "confirmed", "shipped", "accepted")
REFUNDABLE_STATUSES = ("placed", "confirmed", "shipped", "accepted", "completed")
OPEN_STATUSES = ("placed", "confirmed", "shipped", "accepted")
BUYER_ROLES = ("purchaser", "unit_manager")
INTENT_EVENTS = {"payment_intent.succeeded": "succeeded",
                 "payment_intent.payment_failed": "failed",
                 "payment_intent.canceled": "canceled"}
REFUND_EVENTS = ("refund.created", "refund.updated", "refund.failed", "charge.refund.updated")
VOUCHER_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
                 ".jpeg": "image/jpeg", ".webp": "image/webp"}


def _(message, **values):
    """gettext in a request (the reader's language); the Chinese text in CLI and tests."""
    if has_request_context():
        return gettext(message, **values)
    return message % values if values else message


class PaymentStateError(StateError):
    """The order or payment is not in a state that allows this (409)."""

    code = "payment_state"


# --------------------------------------------------------------------------- who may do what

def is_buyer(user, order):
    """A purchaser (or unit manager) of the buyer organisation."""
    return user.role in BUYER_ROLES and user.organization_id == order.buyer_organization_id


def is_supplier(user, order):
    return user.role == "supplier_staff" and user.organization_id == order.supplier_id


def can_view(user, order):
    """Who sees an order's payments: buyer, supplier, admins, auditors and managers in scope."""
    from marketplace.accounts.auth import can_see_unit

    if user.role == "admin" or is_supplier(user, order):
        return True
    if user.organization_id == order.buyer_organization_id:
        return True
    if user.role in ("auditor", "unit_manager") and order.budget_unit is not None:
        return can_see_unit(user, order.budget_unit)
    return False


def require_buyer(user, order):
    if not is_buyer(user, order):
        raise PermissionDenied(_("只有下单单位的采购人可以付款。"))


def require_supplier(user, order, allow_admin=False):
    if is_supplier(user, order) or (allow_admin and user.role == "admin"):
        return
    raise PermissionDenied(_("只有该订单的供应商可以执行此操作。"))


def get_order(order_id, user):
    """The order, if `user` may see it.

    :raises NotFound: no such order. :raises PermissionDenied: outside the user's scope.
    """
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(_("订单不存在。"))
    if not can_view(user, order):
        raise PermissionDenied(_("您无权查看此订单。"))
    return order


def get_payment(order, payment_id):
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.order_id != order.id:
        raise NotFound(_("付款记录不存在。"))
    return payment


def _lock(order):
    """Lock the order row (PostgreSQL) so concurrent payments recompute its figures in turn."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Lock, then re-read what the figures are made of (another request may have changed
        # them between our first read and the lock).
        db.session.query(Order).filter_by(id=order.id).populate_existing().with_for_update().one()
        db.session.query(OrderLine).filter_by(order_id=order.id).populate_existing().all()
        db.session.query(Payment).filter_by(order_id=order.id).populate_existing().all()
    return order


# --------------------------------------------------------------------------- figures

def line_value_fen(line):
    """A line's value: its accepted value once accepted, its ordered value before."""
    if line.accepted_quantity is not None:
        return line.accepted_quantity * line.unit_price_fen
    return line.quantity * line.unit_price_fen


def order_value_fen(order):
    return sum(line_value_fen(line) for line in order.lines)


def _succeeded_refunds(order):
    return [refund for refund in Refund.query.filter_by(order_id=order.id, status="succeeded")]


def money_refunded_fen(order):
    """Money given back through payments (Stripe refunds, bank transfers back)."""
    return sum(r.amount_fen for r in _succeeded_refunds(order) if r.payment_id is not None)


def received_fen(order):
    """Money received: succeeded Stripe payments and confirmed bank transfers."""
    return sum(p.amount_fen for p in order.payments if p.status in ("succeeded", "confirmed"))


def figures(order):
    """The order's money at a glance (all in fen)."""
    value = order_value_fen(order)
    refunded = sum(r.amount_fen for r in _succeeded_refunds(order))
    money_back = money_refunded_fen(order)
    received = received_fen(order)
    owed = max(0, value - refunded)
    net_paid = received - money_back
    return {"value": value, "refunded": refunded, "money_back": money_back,
            "received": received, "owed": owed, "net_paid": net_paid,
            "due": max(0, owed - net_paid), "overpaid": max(0, net_paid - owed)}


def amount_due_fen(order):
    """What the buyer still has to pay."""
    return figures(order)["due"]


def effective_due_date(order):
    """The due date, from the stored one or the payment terms (None while not yet known)."""
    if order.due_date is not None:
        return order.due_date
    if order.payment_terms == "goods_first":
        if order.accepted_at is None:
            return None
        return to_cst(order.accepted_at).date() + timedelta(days=GOODS_FIRST_DAYS)
    if order.created_at is None:
        return None
    return to_cst(order.created_at).date() + timedelta(days=PAY_FIRST_DAYS)


def today_cst():
    return to_cst(utcnow()).date()


def is_overdue(order, today=None):
    due_date = effective_due_date(order)
    return (order.status in OPEN_STATUSES and due_date is not None
            and due_date < (today or today_cst()) and amount_due_fen(order) > 0)


def ensure_terms(order):
    """Give the order its bank-transfer reference and due date when it has none yet.

    The ordering module may call this when an order is placed and when it is accepted; the
    payment pages call it too, so older orders get theirs on first view.
    """
    if order.payment_reference is None and order.id is not None:
        order.payment_reference = f"FK{order.id:06d}{secrets.token_hex(2).upper()}"
    if order.due_date is None:
        order.due_date = effective_due_date(order)
    return order


def on_order_accepted(order, actor=None):
    """Hook for the ordering module after acceptance: set goods-first terms, complete if paid."""
    ensure_terms(order)
    refresh_order(order, actor)


def refresh_order(order, actor=None):
    """Recompute paid_fen, refunded_fen and payment_status; complete an accepted, settled order."""
    numbers = figures(order)
    order.paid_fen = max(0, numbers["net_paid"])  # received less money given back
    order.refunded_fen = numbers["refunded"]
    pending = any(p.status == "pending" for p in order.payments)
    if numbers["refunded"] > 0 and numbers["owed"] == 0:
        status = "refunded"
    elif numbers["due"] == 0 and (numbers["net_paid"] > 0 or numbers["refunded"] > 0):
        status = "partially_refunded" if numbers["refunded"] > 0 else "paid"
    elif pending:
        status = "pending"
    else:
        status = "unpaid"
    order.payment_status = status
    if order.status == "accepted" and numbers["due"] == 0:
        complete_order(order, actor)
    db.session.flush()
    return numbers


def complete_order(order, actor=None):
    """Accepted and nothing due → completed (through the ordering module when it offers it)."""
    try:
        from marketplace.ordering import services as ordering_services

        complete = getattr(ordering_services, "complete_order", None)
    except ImportError:
        complete = None
    if complete is not None:
        complete(order, actor=actor)
        return
    order.status = "completed"
    order.completed_at = utcnow()
    db.session.add(OrderEvent(order_id=order.id, actor_id=getattr(actor, "id", None),
                              from_status="accepted", to_status="completed",
                              note="款项已结清"))
    record("order.complete", order, actor=actor, detail={"reason": "paid"})


def _check_payable(order):
    if order.status in ("cancelled", "rejected"):
        raise PaymentStateError(_("订单已取消，不能付款。"))
    if order.status not in PAYABLE_STATUSES:
        raise PaymentStateError(_("订单当前状态不能付款。"))
    if amount_due_fen(order) <= 0:
        raise PaymentStateError(_("该订单没有待付款项。"))


# --------------------------------------------------------------------------- Stripe

def start_stripe_payment(order, user):
    """A Stripe PaymentIntent for what is due (the pending one is reused when it still fits).

    :raises PermissionDenied: not the buyer.
    :raises PaymentStateError: cancelled, not yet payable, or nothing due.
    """
    require_buyer(user, order)
    _lock(order)
    _check_payable(order)
    ensure_terms(order)
    due = amount_due_fen(order)
    for payment in order.payments:
        if payment.method == "stripe" and payment.status == "pending":
            if payment.amount_fen == due:
                return payment
            payment.status = "canceled"  # an outdated amount: never let it be paid as well
            _cancel_quietly(payment.payment_intent_id)
    payment = Payment(order=order, method="stripe", amount_fen=due, status="pending",
                      created_by_id=user.id)
    db.session.add(payment)
    db.session.flush()
    intent = stripe_client.create_payment_intent(
        due, {"order_id": order.id, "payment_id": payment.id, "order_number": order.number},
        idempotency_key=f"payment-{payment.id}-{order.number}")
    payment.payment_intent_id = intent.id
    payment.client_secret = intent.client_secret
    record("payment.stripe_start", payment, actor=user,
           detail={"order_id": order.id, "amount_fen": due, "payment_intent": intent.id})
    refresh_order(order, user)
    return payment


def _cancel_quietly(intent_id):
    if not intent_id:
        return
    try:
        stripe_client.cancel_payment_intent(intent_id)
    except stripe_client.StripeUnavailable:
        current_app.logger.warning("could not cancel PaymentIntent %s", intent_id)


def confirm_test_payment(payment, user):
    """Test servers only: confirm the PaymentIntent with Stripe's test card from the server.

    The payment becomes succeeded when Stripe's webhook arrives (or on reconciliation).
    """
    if not stripe_client.is_test_server():
        raise PermissionDenied(_("测试付款只能在测试环境使用。"))
    require_buyer(user, payment.order)
    if payment.method != "stripe" or payment.status != "pending":
        raise PaymentStateError(_("该付款不在待支付状态。"))
    intent = stripe_client.confirm_with_test_card(payment.payment_intent_id)
    record("payment.test_confirm", payment, actor=user, detail={"intent_status": intent.status})
    return intent.status


def apply_intent_status(payment, status, created=None, actor=None):
    """Apply a PaymentIntent outcome once: `succeeded` is final; an older event changes nothing.

    :param created: the Stripe event's `created` time (None when the state came from asking
        Stripe directly).
    :returns: whether anything changed.
    """
    order = _lock(payment.order)
    db.session.refresh(payment)
    if payment.status == "succeeded" or payment.method != "stripe":
        return False
    if created is not None and payment.last_event_created is not None \
            and created < payment.last_event_created:
        return False
    if created is not None:
        payment.last_event_created = created
    if payment.status == status:
        return False
    before = payment.status
    payment.status = status
    if status == "succeeded":
        payment.confirmed_at = utcnow()
    record(f"payment.{status}", payment, actor=actor,
           detail={"order_id": order.id, "from": before, "amount_fen": payment.amount_fen})
    refresh_order(order, actor)
    if status == "succeeded":
        _notify_paid(order, payment)
    return True


def _notify_paid(order, payment):
    from marketplace.notifications.services import notify

    staff = [user for user in order.supplier.users if user.role == "supplier_staff"]
    notify(staff, "payment.received",
           f"订单 {order.number} 已收到付款 ¥{payment.amount_fen / 100:.2f}",
           link=f"/payments/orders/{order.id}")


def handle_event(event):
    """Store a verified Stripe event once and apply it; returns "applied", "duplicate" or "ignored".

    :param event: the event as a dict (id, type, created, data.object).
    """
    event_id, kind, created = event.get("id"), event.get("type"), event.get("created")
    if not event_id or not kind or not isinstance(created, int):
        raise ValidationError("Malformed event.", fields={"event": "id, type, created"})
    if db.session.get(StripeEvent, event_id) is not None:
        return "duplicate"
    stored = StripeEvent(id=event_id, type=kind, created=created, payload=event)
    db.session.add(stored)
    try:
        db.session.flush()
    except IntegrityError:
        # The same event, stored at the same moment by another worker; nothing else was done
        # in this transaction yet, so dropping it loses nothing.
        db.session.rollback()
        return "duplicate"
    obj = (event.get("data") or {}).get("object") or {}
    changed = False
    if kind in INTENT_EVENTS:
        payment = _payment_for_intent(obj)
        if payment is not None:
            changed = apply_intent_status(payment, INTENT_EVENTS[kind], created)
    elif kind in REFUND_EVENTS:
        changed = _apply_refund_object(obj)
    else:
        return "ignored"
    stored.applied = changed
    db.session.flush()
    return "applied" if changed else "ignored"


def _payment_for_intent(obj):
    intent_id = obj.get("id")
    if not intent_id:
        return None
    return Payment.query.filter_by(payment_intent_id=intent_id).first()


def _apply_refund_object(obj):
    """A refund that failed or was cancelled at Stripe gives its amount back to the line."""
    refund = Refund.query.filter_by(stripe_refund_id=obj.get("id")).first() \
        if obj.get("id") else None
    if refund is None or obj.get("status") not in ("failed", "canceled"):
        return False
    if refund.status != "succeeded":
        return False
    order = _lock(refund.line.order)
    refund.status = obj["status"]
    refund.line.refunded_fen -= refund.amount_fen
    record("refund.failed", refund, detail={"order_id": order.id, "amount_fen": refund.amount_fen})
    refresh_order(order)
    return True


def reconcile_pending(limit=500):
    """Ask Stripe about payments still pending and apply their state; returns (checked, changed)."""
    checked = changed = 0
    pending = (Payment.query.filter_by(method="stripe", status="pending")
               .filter(Payment.payment_intent_id.isnot(None))
               .order_by(Payment.id).limit(limit).all())
    for payment in pending:
        try:
            intent = stripe_client.retrieve_payment_intent(payment.payment_intent_id)
        except stripe_client.StripeUnavailable:
            current_app.logger.warning("reconcile: Stripe does not know %s",
                                       payment.payment_intent_id)
            continue  # one unknown intent must not stop the others
        checked += 1
        status = {"succeeded": "succeeded", "canceled": "canceled"}.get(intent.status)
        if status is None and intent.status == "requires_payment_method" \
                and getattr(intent, "last_payment_error", None):
            status = "failed"
        if status and apply_intent_status(payment, status):
            changed += 1
    return checked, changed


def refresh_payment(payment, user):
    """Ask Stripe about one pending payment now (the buyer's "refresh" button)."""
    if not (is_buyer(user, payment.order) or is_supplier(user, payment.order)
            or user.role == "admin"):
        raise PermissionDenied(_("无权操作。"))
    if payment.method != "stripe" or payment.status != "pending":
        return False
    intent = stripe_client.retrieve_payment_intent(payment.payment_intent_id)
    status = {"succeeded": "succeeded", "canceled": "canceled"}.get(intent.status)
    return bool(status) and apply_intent_status(payment, status, actor=user)


# --------------------------------------------------------------------------- bank transfer

def _sniff_type(head):
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def save_voucher(upload):
    """Check a voucher (PDF or image, by content and name, size-limited) and store it.

    :returns: the stored file's name, relative to UPLOAD_FOLDER.
    :raises ValidationError: not a PDF or image, empty, or too large.
    """
    if upload is None or not getattr(upload, "filename", ""):
        return None
    suffix = Path(upload.filename).suffix.lower()
    data = upload.read()
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if not data:
        raise ValidationError(_("凭证文件是空的。"), fields={"voucher": "empty"})
    if len(data) > limit:
        raise ValidationError(_("凭证文件不能超过 %(size)s MB。", size=limit // (1024 * 1024)),
                              fields={"voucher": "too_large"})
    kind = _sniff_type(data[:16])
    if kind is None or VOUCHER_TYPES.get(suffix) != kind:
        raise ValidationError(_("凭证只能是 PDF 或图片（PNG、JPEG、WebP）。"),
                              fields={"voucher": "type"})
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "vouchers"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}{'.jpg' if suffix == '.jpeg' else suffix}"
    (folder / name).write_bytes(data)
    return f"vouchers/{name}"


def voucher_file(payment):
    """The stored voucher's path on disk (None when there is none)."""
    if not payment.voucher_path:
        return None
    root = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
    path = (root / payment.voucher_path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def expected_transfer_fen(order):
    """What a new transfer should amount to: what is due less transfers awaiting confirmation."""
    waiting = sum(p.amount_fen for p in order.payments
                  if p.method == "bank_transfer" and p.status == "pending")
    return max(0, amount_due_fen(order) - waiting)


def record_transfer(order, user, amount_fen, transferred_at, payer_account, reference,
                    voucher_path=None):
    """The buyer records a bank transfer (对公转账); pending until the supplier confirms it.

    An amount different from what is due is flagged (amount_mismatch), not refused.
    :raises PermissionDenied: not the buyer. :raises PaymentStateError: not payable.
    :raises ValidationError: a missing or impossible field.
    """
    require_buyer(user, order)
    _lock(order)
    _check_payable(order)
    errors = {}
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        errors["amount"] = _("转账金额必须大于零。")
    if not isinstance(transferred_at, date):
        errors["transferred_at"] = _("请填写转账日期。")
    elif transferred_at > today_cst() or transferred_at < to_cst(order.created_at).date():
        errors["transferred_at"] = _("转账日期不能早于下单日，也不能晚于今天。")
    payer_account = (payer_account or "").strip()
    reference = (reference or "").strip()
    if not payer_account or len(payer_account) > 60:
        errors["payer_account"] = _("请填写付款账号（60 字以内）。")
    if len(reference) > 60:
        errors["reference"] = _("附言不能超过 60 字。")
    if errors:
        raise ValidationError("；".join(errors.values()), fields=errors)
    ensure_terms(order)
    due = expected_transfer_fen(order)
    if due <= 0:
        raise PaymentStateError(_("已登记的转账正在等待供应商确认，已覆盖应付金额。"))
    payment = Payment(order=order, method="bank_transfer", amount_fen=amount_fen,
                      status="pending", transferred_at=transferred_at,
                      payer_account=payer_account, reference=reference or order.payment_reference,
                      voucher_path=voucher_path, amount_mismatch=amount_fen != due,
                      created_by_id=user.id)
    db.session.add(payment)
    db.session.flush()
    record("payment.transfer_recorded", payment, actor=user,
           detail={"order_id": order.id, "amount_fen": amount_fen, "due_fen": due,
                   "amount_mismatch": payment.amount_mismatch})
    refresh_order(order, user)
    from marketplace.notifications.services import notify

    staff = [member for member in order.supplier.users if member.role == "supplier_staff"]
    notify(staff, "payment.transfer_recorded",
           f"订单 {order.number} 的买方登记了一笔转账 ¥{amount_fen / 100:.2f}，请核对到账后确认。",
           link=f"/payments/orders/{order.id}")
    return payment


def confirm_transfer(payment, user, acknowledge_mismatch=True):
    """The supplier confirms a recorded transfer arrived; the order is paid once covered.

    :param acknowledge_mismatch: False makes a flagged amount refuse confirmation (the page
        asks the supplier to tick that the differing amount really arrived).
    """
    order = payment.order
    require_supplier(user, order)
    _lock(order)
    if payment.method != "bank_transfer" or payment.status != "pending":
        raise PaymentStateError(_("该转账不在待确认状态。"))
    if payment.amount_mismatch and not acknowledge_mismatch:
        raise ValidationError(_("转账金额与应付金额不一致，请核对后勾选确认。"),
                              fields={"acknowledge_mismatch": "required"})
    payment.status = "confirmed"
    payment.confirmed_by_id = user.id
    payment.confirmed_at = utcnow()
    record("payment.transfer_confirmed", payment, actor=user,
           detail={"order_id": order.id, "amount_fen": payment.amount_fen,
                   "amount_mismatch": payment.amount_mismatch})
    refresh_order(order, user)
    from marketplace.notifications.services import notify

    notify([order.placed_by], "payment.transfer_confirmed",
           f"订单 {order.number} 的转账 ¥{payment.amount_fen / 100:.2f} 已由供应商确认到账。",
           link=f"/payments/orders/{order.id}")
    return payment


def reject_transfer(payment, user, reason):
    """The supplier reports that a recorded transfer did not arrive."""
    order = payment.order
    require_supplier(user, order)
    if payment.method != "bank_transfer" or payment.status != "pending":
        raise PaymentStateError(_("该转账不在待确认状态。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请说明原因。"), fields={"reason": "required"})
    payment.status = "rejected"
    payment.confirmed_by_id = user.id
    payment.confirmed_at = utcnow()
    record("payment.transfer_rejected", payment, actor=user,
           detail={"order_id": order.id, "reason": reason[:500]})
    refresh_order(order, user)
    from marketplace.notifications.services import notify

    notify([order.placed_by], "payment.transfer_rejected",
           f"订单 {order.number} 的转账未被确认：{reason[:200]}", link=f"/payments/orders/{order.id}")
    return payment


# --------------------------------------------------------------------------- refunds

def refundable_fen(line):
    """How much may still be refunded on a line."""
    return max(0, line_value_fen(line) - line.refunded_fen)


def create_refund(order, user, line_id, amount_fen, reason, transfer_reference=None):
    """Refund part or all of a line's value, with a reason (supplier or admin).

    While money is due, the refund lowers what is due (a credit); beyond that it gives money
    back: through Stripe for Stripe payments, or recorded with the supplier's transfer
    reference for bank transfers.

    :returns: the Refund rows written (one, or several when it spans payments).
    :raises PermissionDenied: neither the order's supplier nor an admin.
    :raises PaymentStateError: the order is cancelled or not placed yet.
    :raises ValidationError: unknown line, no reason, an amount above the line's refundable
        value, or a bank-transfer refund without its transfer reference.
    """
    require_supplier(user, order, allow_admin=True)
    _lock(order)
    numbers = figures(order)
    # A cancelled order is refunded only to give back money that still arrived for it.
    if order.status not in REFUNDABLE_STATUSES and not (
            order.status == "cancelled" and numbers["net_paid"] > 0):
        raise PaymentStateError(_("订单当前状态不能退款。"))
    line = db.session.get(OrderLine, line_id) if isinstance(line_id, int) else None
    if line is None or line.order_id != order.id:
        raise ValidationError(_("订单中没有这一行。"), fields={"line_id": "unknown"})
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationError(_("请填写退款原因（500 字以内）。"), fields={"reason": "required"})
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValidationError(_("退款金额必须大于零。"), fields={"amount": "positive"})
    limit = refundable_fen(line)
    if amount_fen > limit:
        raise ValidationError(_("退款金额超过该行可退金额 %(limit)s。", limit=format_yuan(limit)),
                              fields={"amount": "above_limit"})
    credit = 0 if order.status == "cancelled" else min(amount_fen, numbers["due"])
    money = amount_fen - credit
    sources = _refund_sources(order, money)
    transfer_reference = (transfer_reference or "").strip() or None
    if any(p.method == "bank_transfer" for p, _ in sources) and not transfer_reference:
        raise ValidationError(_("退回银行转账时请填写退款转账的流水号。"),
                              fields={"transfer_reference": "required"})
    rows = []
    if credit:
        rows.append(Refund(order_id=order.id, line_id=line.id, amount_fen=credit, reason=reason,
                           created_by_id=user.id))
    for payment, part in sources:
        rows.append(Refund(order_id=order.id, line_id=line.id, payment_id=payment.id,
                           amount_fen=part, reason=reason, created_by_id=user.id,
                           transfer_reference=transfer_reference
                           if payment.method == "bank_transfer" else None))
    for row in rows:
        db.session.add(row)
    db.session.flush()
    for row in rows:
        if row.payment is not None and row.payment.method == "stripe":
            stripe_refund = stripe_client.create_refund(
                row.payment.payment_intent_id, row.amount_fen,
                {"order_id": order.id, "refund_id": row.id, "line_id": line.id},
                idempotency_key=f"refund-{row.id}-{order.number}")
            row.stripe_refund_id = stripe_refund.id
            if stripe_refund.status in ("failed", "canceled"):
                raise ValidationError(_("Stripe 拒绝了退款。"), fields={"amount": "refused"})
    line.refunded_fen += amount_fen
    for row in rows:
        record("refund.create", row, actor=user,
               detail={"order_id": order.id, "line_id": line.id, "amount_fen": row.amount_fen,
                       "reason": reason, "kind": refund_kind(row),
                       "stripe_refund_id": row.stripe_refund_id,
                       "transfer_reference": row.transfer_reference})
    refresh_order(order, user)
    from marketplace.notifications.services import notify

    notify([order.placed_by], "payment.refund",
           f"订单 {order.number}「{line.product_name}」退款 ¥{amount_fen / 100:.2f}：{reason[:100]}",
           link=f"/payments/orders/{order.id}")
    return rows


def _refund_sources(order, money):
    """Which payments give `money` back: Stripe payments first, then confirmed transfers."""
    if money <= 0:
        return []
    given_back = {}
    for refund in _succeeded_refunds(order):
        if refund.payment_id is not None:
            given_back[refund.payment_id] = given_back.get(refund.payment_id, 0) + refund.amount_fen
    received = [p for p in order.payments if p.status in ("succeeded", "confirmed")]
    received.sort(key=lambda p: (p.method != "stripe", p.id))
    sources = []
    for payment in received:
        room = payment.amount_fen - given_back.get(payment.id, 0)
        if room <= 0:
            continue
        part = min(room, money)
        sources.append((payment, part))
        money -= part
        if money == 0:
            break
    if money > 0:
        raise ValidationError(_("退款金额超过已付金额。"), fields={"amount": "above_paid"})
    return sources


def refund_kind(refund):
    """credit (lowered what was due), stripe, or bank_transfer."""
    if refund.payment_id is None:
        return "credit"
    return refund.payment.method


# --------------------------------------------------------------------------- payment terms

def extend_due_date(order, user):
    """The supplier grants a pay-first order its one 15-day extension."""
    require_supplier(user, order)
    if order.payment_terms != "pay_first":
        raise PaymentStateError(_("只有先款后货的订单可以延期付款。"))
    if order.due_extended:
        raise PaymentStateError(_("该订单已经延期过一次。"))
    if order.status not in OPEN_STATUSES or amount_due_fen(order) <= 0:
        raise PaymentStateError(_("该订单没有待付款项。"))
    ensure_terms(order)
    before = order.due_date
    order.due_date = before + timedelta(days=EXTENSION_DAYS)
    order.due_extended = True
    record("order.extend_due", order, actor=user,
           detail={"from": before.isoformat(), "to": order.due_date.isoformat()})
    db.session.flush()
    return order


def _due_date_condition(today):
    """SQL: orders whose due date (stored, or from the terms) is before `today`."""
    from marketplace.timeutil import CST

    cutoff_pay = datetime.combine(today - timedelta(days=PAY_FIRST_DAYS), datetime.min.time(),
                                  tzinfo=CST)
    cutoff_goods = datetime.combine(today - timedelta(days=GOODS_FIRST_DAYS), datetime.min.time(),
                                    tzinfo=CST)
    return or_(
        Order.due_date < today,
        and_(Order.due_date.is_(None), Order.payment_terms == "pay_first",
             Order.created_at < cutoff_pay),
        and_(Order.due_date.is_(None), Order.payment_terms == "goods_first",
             Order.accepted_at.isnot(None), Order.accepted_at < cutoff_goods),
    )


def overdue_orders(user, today=None):
    """Overdue orders the user may see: a supplier its own, an admin all, a buyer its own."""
    today = today or today_cst()
    query = Order.query.filter(Order.status.in_(OPEN_STATUSES),
                               Order.payment_status.in_(("unpaid", "pending")),
                               _due_date_condition(today))
    if user.role == "supplier_staff":
        query = query.filter(Order.supplier_id == user.organization_id)
    elif user.role in BUYER_ROLES:
        query = query.filter(Order.buyer_organization_id == user.organization_id)
    elif user.role != "admin":
        raise PermissionDenied(_("无权查看逾期账款。"))
    orders = query.order_by(Order.due_date, Order.id).all()
    return [order for order in orders if is_overdue(order, today)]


def remind_overdue(today=None):
    """E-mail each overdue order's buyer (and tell its supplier); returns how many were reminded."""
    from marketplace.accounts.models import User
    from marketplace.notifications.services import notify

    today = today or today_cst()
    admin = User.query.filter_by(role="admin").first()
    if admin is None:
        return 0
    count = 0
    for order in overdue_orders(admin, today):
        ensure_terms(order)
        due = amount_due_fen(order)
        buyers = [u for u in order.buyer_organization.users
                  if u.role in BUYER_ROLES and u.active] or [order.placed_by]
        notify(buyers, "payment.overdue",
               f"订单 {order.number} 应于 {effective_due_date(order).isoformat()} 前付款 "
               f"¥{due / 100:.2f}，现已逾期，请尽快付款（转账附言：{order.payment_reference}）。",
               link=f"/payments/orders/{order.id}")
        record("payment.overdue_reminder", order, actor=None, detail={"due_fen": due})
        count += 1
    db.session.flush()
    return count


# --------------------------------------------------------------------------- summaries

def account_summary(org, today=None):
    """Paid, due and overdue sums (fen) of an organisation's open and completed orders."""
    today = today or today_cst()
    column = Order.supplier_id if org.kind == "supplier" else Order.buyer_organization_id
    orders = Order.query.filter(column == org.id,
                                Order.status.in_(OPEN_STATUSES + ("completed",))).all()
    paid = due = overdue = 0
    open_rows = []
    for order in orders:
        numbers = figures(order)
        paid += max(0, numbers["net_paid"])
        due += numbers["due"]
        if numbers["due"]:
            due_date = effective_due_date(order)
            late = due_date is not None and due_date < today and order.status in OPEN_STATUSES
            if late:
                overdue += numbers["due"]
            open_rows.append((order, numbers["due"], due_date, late))
    open_rows.sort(key=lambda row: (row[2] is None, row[2] or today, row[0].id))
    return {"paid": paid, "due": due, "overdue": overdue, "orders": len(orders),
            "open": open_rows}


# --------------------------------------------------------------------------- statements

def statement_candidates(supplier_id, buyer_organization_id, start, end):
    """Completed orders of one buyer with one supplier, completed in [start, end] (CST dates),
    not yet on a statement."""
    from marketplace.timeutil import CST

    since = datetime.combine(start, datetime.min.time(), tzinfo=CST)
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=CST)
    taken = db.session.query(SettlementItem.order_id)
    return (Order.query.filter(Order.supplier_id == supplier_id,
                               Order.buyer_organization_id == buyer_organization_id,
                               Order.status == "completed",
                               Order.completed_at >= since, Order.completed_at < until,
                               Order.id.notin_(taken))
            .order_by(Order.completed_at, Order.id).all())


def create_statement(user, buyer_organization_id, start, end):
    """A supplier groups a buyer's completed orders of a period into one statement (结算单).

    :raises ValidationError: bad period, or no completed order to settle.
    """
    if user.role != "supplier_staff":
        raise PermissionDenied(_("只有供应商可以生成结算单。"))
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        raise ValidationError(_("请填写正确的起止日期。"), fields={"period": "invalid"})
    orders = statement_candidates(user.organization_id, buyer_organization_id, start, end)
    if not orders:
        raise ValidationError(_("该期间没有可结算的已完成订单。"), fields={"period": "empty"})
    statement = SettlementStatement(
        number=f"JS{to_cst(utcnow()).strftime('%Y%m%d')}{secrets.token_hex(3).upper()}",
        supplier_id=user.organization_id, buyer_organization_id=buyer_organization_id,
        period_start=start, period_end=end, created_by_id=user.id)
    for order in orders:
        numbers = figures(order)
        statement.items.append(SettlementItem(order_id=order.id, amount_fen=numbers["owed"]))
    statement.total_fen = sum(item.amount_fen for item in statement.items)
    db.session.add(statement)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("部分订单已在其他结算单中。")) from None
    record("settlement.create", statement, actor=user,
           detail={"orders": [o.id for o in orders], "total_fen": statement.total_fen})
    return statement


def settle_statement(statement, user, invoice_number):
    """Attach the invoice number (发票号) and mark the statement settled."""
    if user.role != "supplier_staff" or user.organization_id != statement.supplier_id:
        raise PermissionDenied(_("只有该结算单的供应商可以操作。"))
    if statement.status == "settled":
        raise PaymentStateError(_("结算单已结清。"))
    invoice_number = (invoice_number or "").strip()
    if not invoice_number or len(invoice_number) > 40:
        raise ValidationError(_("请填写发票号（40 字以内）。"), fields={"invoice_number": "required"})
    statement.invoice_number = invoice_number
    statement.status = "settled"
    statement.settled_at = utcnow()
    record("settlement.settle", statement, actor=user, detail={"invoice_number": invoice_number})
    db.session.flush()
    return statement


def statements_for(user):
    query = SettlementStatement.query
    if user.role == "supplier_staff":
        query = query.filter_by(supplier_id=user.organization_id)
    elif user.role in BUYER_ROLES:
        query = query.filter_by(buyer_organization_id=user.organization_id)
    elif user.role != "admin":
        raise PermissionDenied(_("无权查看结算单。"))
    return query.order_by(SettlementStatement.id.desc())


def get_statement(statement_id, user):
    statement = db.session.get(SettlementStatement, statement_id)
    if statement is None or not (
            user.role == "admin" or user.organization_id in (statement.supplier_id,
                                                             statement.buyer_organization_id)):
        raise NotFound(_("结算单不存在。"))
    return statement


def statement_buyers(supplier_id):
    """Buyer organisations with completed orders from this supplier (for the statement form)."""
    from marketplace.accounts.models import Organization

    ids = (db.session.query(Order.buyer_organization_id)
           .filter(Order.supplier_id == supplier_id, Order.status == "completed").distinct())
    return Organization.query.filter(Organization.id.in_(ids)).order_by(Organization.name).all()


def sums_by_status(org):
    """Counts of the organisation's payments by status (for the summary page)."""
    column = Order.supplier_id if org.kind == "supplier" else Order.buyer_organization_id
    rows = (db.session.query(Payment.status, func.count(Payment.id), func.sum(Payment.amount_fen))
            .join(Order, Order.id == Payment.order_id).filter(column == org.id)
            .group_by(Payment.status).all())
    return {status: (count, total or 0) for status, count, total in rows}
