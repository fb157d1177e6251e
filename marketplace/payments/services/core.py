"""Shared pieces of the payment services: constants, messages, who may do what, lookups
and the order lock.

Who may read an order (and so its payments) is the ordering module's one rule
(`ordering.services.can_view` / `get_order`).
"""
from pathlib import Path

from flask import current_app

from marketplace.database import lock_for_writing
from marketplace.errors import NotFound, PermissionDenied, StateError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.ordering.models import Order, OrderLine
from marketplace.payments.models import Payment

PAYABLE_STATUSES = ("placed", "confirmed", "shipped", "accepted")
REFUNDABLE_STATUSES = ("placed", "confirmed", "shipped", "accepted", "completed")
OPEN_STATUSES = ("placed", "confirmed", "shipped", "accepted")
BUYER_ROLES = ("purchaser", "unit_manager")


class PaymentStateError(StateError):
    """The order or payment is not in a state that allows this (409)."""

    code = "payment_state"


def is_buyer(user, order):
    """A purchaser (or unit manager) of the buyer organisation."""
    return user.role in BUYER_ROLES and user.organization_id == order.buyer_organization_id


def is_supplier(user, order):
    return user.role == "supplier_staff" and user.organization_id == order.supplier_id


def require_buyer(user, order):
    if not is_buyer(user, order):
        raise PermissionDenied(_("只有下单单位的采购人可以付款。"))


def require_supplier(user, order, allow_admin=False):
    if is_supplier(user, order) or (allow_admin and user.role == "admin"):
        return
    raise PermissionDenied(_("只有该订单的供应商可以执行此操作。"))


def get_payment(order, payment_id):
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.order_id != order.id:
        raise NotFound(_("付款记录不存在。"))
    return payment


def lock_order(order):
    """Lock the order (a row lock on PostgreSQL, the write lock on SQLite) so concurrent
    payments and refunds recompute its figures in turn, then re-read what the figures are
    made of (another request may have changed them between our first read and the lock)."""
    lock_for_writing(Order, order.id)
    db.session.query(Order).filter_by(id=order.id).populate_existing().one()
    db.session.query(OrderLine).filter_by(order_id=order.id).populate_existing().all()
    db.session.query(Payment).filter_by(order_id=order.id).populate_existing().all()
    return order


def stored_file(relative_path):
    """The file saved under UPLOAD_FOLDER at `relative_path` (a voucher, an invoice), or None
    when there is none, it is gone, or the path would lead outside the folder."""
    if not relative_path:
        return None
    root = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
    path = (root / relative_path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path
