"""Paying through a settlement statement: the buyer confirms the statement, pays what its
orders still owe with one bank transfer (kept as one pending payment per order, linked to the
statement), and the supplier's confirmation of that transfer pays every order (completing the
accepted ones) and settles the statement. A transfer that did not arrive is rejected as a
whole and the buyer records it again."""
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.errors import required_reason
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.notifications.services import notify
from marketplace.payments.models import Payment
from marketplace.payments.services.core import PaymentStateError, lock_order
from marketplace.payments.services.figures import refresh_order
from marketplace.payments.services.statements import (buyer_staff, require_statement_buyer,
                                                      require_statement_supplier,
                                                      statement_due_fen, supplier_staff)
from marketplace.payments.services.transfers import (check_transfer_fields,
                                                     expected_transfer_fen, mark_transfer)
from marketplace.timeutil import to_cst, utcnow


def confirm_statement(statement, user):
    """The buyer agrees to the statement's orders and amounts (open → confirmed): it may then
    be invoiced and paid.

    :raises PermissionDenied: not a buyer of the statement's organisation.
    :raises PaymentStateError: already confirmed or settled.
    """
    require_statement_buyer(user, statement)
    if statement.status != "open":
        raise PaymentStateError(_("结算单已确认。"))
    statement.status = "confirmed"
    statement.confirmed_by_id, statement.confirmed_at = user.id, utcnow()
    db.session.flush()
    record("settlement.confirm", statement, actor=user,
           detail={"total_fen": statement.total_fen})
    notify(supplier_staff(statement), "settlement.confirmed",
           _l("采购单位已确认结算单 %(number)s（%(total)s）。", number=statement.number,
              total=format_yuan(statement.total_fen)),
           link=f"/payments/statements/{statement.id}")
    return statement


def statement_transfers(statement, status=None):
    """The payments made through the statement (one per order and transfer), by id."""
    query = Payment.query.filter_by(statement_id=statement.id)
    if status is not None:
        query = query.filter_by(status=status)
    return query.order_by(Payment.id).all()


def pay_statement_by_transfer(statement, user, transferred_at, payer_account, reference,
                              voucher_path=None):
    """The buyer records one bank transfer for what the confirmed statement still owes; each
    owing order gets a pending payment of its own due, waiting for the supplier.

    :param reference: the transfer's note (the statement's number when empty).
    :raises PermissionDenied: not a buyer of the statement's organisation.
    :raises PaymentStateError: not confirmed yet, settled, nothing owed, or a transfer for it
        already waits for the supplier.
    :raises ValidationError: date, payer account or note (their fields).
    :returns: the amount recorded (fen).
    """
    require_statement_buyer(user, statement)
    if statement.status != "confirmed":
        raise PaymentStateError(_("请先确认结算单，再付款。") if statement.status == "open"
                                else _("结算单已结清。"))
    if statement_transfers(statement, "pending"):
        raise PaymentStateError(_("已登记的转账正在等待供应商确认。"))
    payer_account, reference = check_transfer_fields(
        transferred_at, to_cst(statement.created_at).date(), payer_account, reference)
    payments = []
    for item in statement.items:
        order = lock_order(item.order)
        due = expected_transfer_fen(order)
        if due <= 0:
            continue
        payment = Payment(order=order, statement_id=statement.id, method="bank_transfer",
                          amount_fen=due, status="pending", transferred_at=transferred_at,
                          payer_account=payer_account, reference=reference or statement.number,
                          voucher_path=voucher_path, created_by_id=user.id)
        db.session.add(payment)
        payments.append(payment)
    if not payments:
        raise PaymentStateError(_("该结算单没有待付款项。"), code="nothing_due")
    db.session.flush()
    total = sum(payment.amount_fen for payment in payments)
    record("settlement.transfer_recorded", statement, actor=user,
           detail={"amount_fen": total, "orders": [p.order_id for p in payments]})
    for payment in payments:
        refresh_order(payment.order, user)
    notify(supplier_staff(statement), "payment.transfer_recorded",
           _l("结算单 %(number)s 的采购单位登记了一笔转账 %(amount)s，请核对到账后确认。",
              number=statement.number, amount=format_yuan(total)),
           link=f"/payments/statements/{statement.id}")
    return total


def confirm_statement_transfer(statement, user):
    """The supplier confirms the statement's transfer arrived: every order on it is paid
    (accepted ones complete) and the statement is settled, with its invoice's number when
    the invoice is issued.

    :raises PermissionDenied: not the statement's supplier.
    :raises PaymentStateError: no transfer waits for confirmation.
    """
    pending = _pending(statement, user)
    for payment in pending:
        lock_order(payment.order)
        mark_transfer(payment, user, "confirmed")
    total = sum(payment.amount_fen for payment in pending)
    if statement_due_fen(statement) == 0:
        statement.status, statement.settled_at = "settled", utcnow()
        if statement.invoice is not None and statement.invoice.status == "issued":
            statement.invoice_number = statement.invoice.number
    db.session.flush()
    record("settlement.transfer_confirmed", statement, actor=user,
           detail={"amount_fen": total, "status": statement.status})
    notify(buyer_staff(statement), "payment.transfer_confirmed",
           _l("结算单 %(number)s 的转账 %(amount)s 已由供应商确认到账。",
              number=statement.number, amount=format_yuan(total)),
           link=f"/payments/statements/{statement.id}")
    return statement


def reject_statement_transfer(statement, user, reason):
    """The supplier reports that the statement's transfer did not arrive: every payment of it
    is rejected and the buyer may record the transfer again.

    :raises ValidationError: no reason (field reason).
    """
    pending = _pending(statement, user)
    reason = required_reason(reason, _("请说明原因。"))
    for payment in pending:
        lock_order(payment.order)
        mark_transfer(payment, user, "rejected", reason)
    record("settlement.transfer_rejected", statement, actor=user,
           detail={"amount_fen": sum(p.amount_fen for p in pending), "reason": reason[:500]})
    notify(buyer_staff(statement), "payment.transfer_rejected",
           _l("结算单 %(number)s 的转账未被确认：%(reason)s", number=statement.number,
              reason=reason[:200]), link=f"/payments/statements/{statement.id}")
    return statement


def _pending(statement, user):
    require_statement_supplier(user, statement)
    pending = statement_transfers(statement, "pending")
    if not pending:
        raise PaymentStateError(_("该结算单没有等待确认的转账。"))
    return pending
