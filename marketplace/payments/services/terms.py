"""Payment terms: the bank-transfer reference, due dates, the one extension of a pay-first
order, overdue orders and their reminders.

The terms are set when an order is placed (its reference; a pay-first due date) and when it is
accepted (a goods-first due date), by `assign_terms`; reading an order never writes them.
"""
import secrets
from datetime import timedelta
from functools import partial


from marketplace.accounts.models import User
from marketplace.audit.services import record
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.i18n import format_day
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.notifications.services import notify
from marketplace.ordering.models import Order
from marketplace.payments.services.core import (BUYER_ROLES, OPEN_STATUSES, PaymentStateError,
                                                require_supplier)
from marketplace.payments.services.figures import amount_due_fen
from marketplace.timeutil import to_cst, utcnow

PAY_FIRST_DAYS = 30
GOODS_FIRST_DAYS = 30
EXTENSION_DAYS = 15


def terms_due_date(order):
    """The due date the payment terms give: pay-first 30 days after placing, goods-first 30
    days after acceptance (None before it), in China Standard Time."""
    if order.payment_terms == "goods_first":
        if order.accepted_at is None:
            return None
        return to_cst(order.accepted_at).date() + timedelta(days=GOODS_FIRST_DAYS)
    if order.created_at is None:
        return None
    return to_cst(order.created_at).date() + timedelta(days=PAY_FIRST_DAYS)


def effective_due_date(order):
    """When the order is due (None: not yet known, a goods-first order before acceptance)."""
    return order.due_date


def today_cst():
    return to_cst(utcnow()).date()


def is_overdue(order, today=None):
    due_date = order.due_date
    return (order.status in OPEN_STATUSES and due_date is not None
            and due_date < (today or today_cst()) and amount_due_fen(order) > 0)


def assign_terms(order):
    """Give the order its bank-transfer reference and, once its terms say, its due date.

    Called when an order is placed and when it is accepted (the payments module listens to
    ordering's signals); never when a page or the API reads an order.
    """
    if order.payment_reference is None and order.id is not None:
        order.payment_reference = f"FK{order.id:06d}{secrets.token_hex(2).upper()}"
    if order.due_date is None:
        order.due_date = terms_due_date(order)
    return order


def extend_due_date(order, user):
    """The supplier grants a pay-first order its one 15-day extension."""
    require_supplier(user, order)
    if order.payment_terms != "pay_first":
        raise PaymentStateError(_("只有先款后货的订单可以延期付款。"))
    if order.due_extended:
        raise PaymentStateError(_("该订单已经延期过一次。"))
    if order.status not in OPEN_STATUSES or amount_due_fen(order) <= 0:
        raise PaymentStateError(_("该订单没有待付款项。"))
    before = order.due_date or terms_due_date(order)
    order.due_date = before + timedelta(days=EXTENSION_DAYS)
    order.due_extended = True
    record("order.extend_due", order, actor=user,
           detail={"from": before.isoformat(), "to": order.due_date.isoformat()})
    db.session.flush()
    return order


def overdue_orders(user, today=None):
    """Overdue orders the user may see: a supplier its own, an admin all, a buyer its own."""
    today = today or today_cst()
    query = Order.query.filter(Order.status.in_(OPEN_STATUSES),
                               Order.payment_status.in_(("unpaid", "pending")),
                               Order.due_date < today)
    if user.role == "supplier_staff":
        query = query.filter(Order.supplier_id == user.organization_id)
    elif user.role in BUYER_ROLES:
        query = query.filter(Order.buyer_organization_id == user.organization_id)
    elif user.role != "admin":
        raise PermissionDenied(_("无权查看逾期账款。"))
    orders = query.order_by(Order.due_date, Order.id).all()
    return [order for order in orders if is_overdue(order, today)]


def _overdue_text(order, due):
    """The overdue reminder in the reader's language (notify renders it per user): the due
    date as people read it (2026年12月4日), the amount in yuan."""
    return _("订单 %(number)s 应于 %(date)s 前付款 %(amount)s，现已逾期，请尽快付款"
             "（转账附言：%(reference)s）。", number=order.number,
             date=format_day(order.due_date), amount=format_yuan(due),
             reference=order.payment_reference)


def remind_overdue(today=None):
    """E-mail each overdue order's buyer (and tell its supplier); returns how many were reminded."""
    today = today or today_cst()
    admin = User.query.filter_by(role="admin").first()
    if admin is None:
        return 0
    count = 0
    for order in overdue_orders(admin, today):
        due = amount_due_fen(order)
        buyers = [u for u in order.buyer_organization.users
                  if u.role in BUYER_ROLES and u.active] or [order.placed_by]
        notify(buyers, "payment.overdue", partial(_overdue_text, order, due),
               link=f"/payments/orders/{order.id}")
        record("payment.overdue_reminder", order, actor=None, detail={"due_fen": due})
        count += 1
    db.session.flush()
    return count
