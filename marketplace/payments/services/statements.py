"""Settlement statements (结算单), and account summaries (paid, due, overdue; payments by
status).

A statement groups one buyer's orders with one supplier over a period: completed (paid)
orders, settled with the invoice number as before, and accepted goods-first orders still to be
paid, the usual way for public units. The buyer confirms such a statement, asks for its invoice
(statement_invoices.py) and pays it with one transfer (statement_payments.py), which settles
the statement and its orders."""
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Organization, User
from marketplace.audit.services import record
from marketplace.errors import Conflict, NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.notifications.services import notify
from marketplace.ordering.models import Order
from marketplace.payments.models import SettlementItem, SettlementStatement
from marketplace.payments.services.core import BUYER_ROLES, OPEN_STATUSES, PaymentStateError
from marketplace.payments.services.figures import figures, waiting_payment
from marketplace.payments.services.terms import effective_due_date, today_cst
from marketplace.timeutil import CST, to_cst, utcnow


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


def statement_candidates(supplier_id, buyer_organization_id, start, end):
    """Orders of one buyer with one supplier not yet on a statement, of [start, end] (CST
    dates): completed ones by their completion, and accepted goods-first ones that still owe
    money with no payment waiting (a transfer recorded for the order alone) by their
    acceptance."""
    since = datetime.combine(start, datetime.min.time(), tzinfo=CST)
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=CST)
    taken = db.session.query(SettlementItem.order_id)
    theirs = Order.query.filter(Order.supplier_id == supplier_id,
                                Order.buyer_organization_id == buyer_organization_id,
                                Order.id.notin_(taken))
    completed = theirs.filter(Order.status == "completed", Order.completed_at >= since,
                              Order.completed_at < until).all()
    owing = [order for order in theirs.filter(
        Order.status == "accepted", Order.payment_terms == "goods_first",
        Order.accepted_at >= since, Order.accepted_at < until).all()
        if waiting_payment(order) is None and figures(order)["due"] > 0]
    return sorted(completed + owing, key=lambda order: (order.completed_at or order.accepted_at,
                                                        order.id))


def statement_due_fen(statement):
    """What the buyer still owes for the statement's orders (fen)."""
    return sum(figures(item.order)["due"] for item in statement.items)


def create_statement(user, buyer_organization_id, start, end):
    """A supplier groups a buyer's orders of a period (`statement_candidates`) into one
    statement (结算单); an order is on one statement at most. Each line holds what the order
    is worth after refunds.

    :raises ValidationError: a bad period.
    :raises PaymentStateError: no order of the period is left to settle (409).
    """
    if user.role != "supplier_staff":
        raise PermissionDenied(_("只有供应商可以生成结算单。"))
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        raise ValidationError(_("请填写正确的起止日期。"), fields={"period": "invalid"})
    orders = statement_candidates(user.organization_id, buyer_organization_id, start, end)
    if not orders:
        raise PaymentStateError(_("该期间没有可结算的订单（已完成，或先货后款已验收待付款）。"),
                                fields={"period": "empty"},
                                code="nothing_to_settle")
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
    if statement_due_fen(statement):
        notify(buyer_staff(statement), "settlement.created",
               _l("%(supplier)s 开出结算单 %(number)s（%(total)s），请核对后确认并付款。",
                  supplier=statement.supplier.name, number=statement.number,
                  total=format_yuan(statement.total_fen)),
               link=f"/payments/statements/{statement.id}")
    return statement


def settle_statement(statement, user, invoice_number):
    """Attach the invoice number (发票号) and mark a statement of paid orders settled.

    :raises PaymentStateError: already settled, or money is still due on it (it is settled
        by its payment: statement_payments.py)."""
    require_statement_supplier(user, statement)
    if statement.status == "settled":
        raise PaymentStateError(_("结算单已结清。"))
    if statement_due_fen(statement):
        raise PaymentStateError(_("结算单上还有未付款的订单：买方确认并付款后结清。"),
                                code="statement_unpaid")
    invoice_number = (invoice_number or "").strip()
    if not invoice_number or len(invoice_number) > 40:
        raise ValidationError(_("请填写发票号（40 字以内）。"), fields={"invoice_number": "required"})
    statement.invoice_number = invoice_number
    statement.status = "settled"
    statement.settled_at = utcnow()
    record("settlement.settle", statement, actor=user, detail={"invoice_number": invoice_number})
    db.session.flush()
    return statement


def require_statement_supplier(user, statement):
    """:raises PermissionDenied: `user` is not staff of the statement's supplier."""
    if user.role != "supplier_staff" or user.organization_id != statement.supplier_id:
        raise PermissionDenied(_("只有该结算单的供应商可以操作。"))


def require_statement_buyer(user, statement):
    """:raises PermissionDenied: `user` is not a buyer of the statement's organisation."""
    if user.role not in BUYER_ROLES or user.organization_id != statement.buyer_organization_id:
        raise PermissionDenied(_("只有结算单的采购单位可以操作。"))


def buyer_staff(statement):
    """The active purchasers and managers of the statement's buyer organisation."""
    return User.query.filter(User.organization_id == statement.buyer_organization_id,
                             User.role.in_(BUYER_ROLES), User.active.is_(True)).all()


def supplier_staff(statement):
    """The active staff of the statement's supplier."""
    return User.query.filter_by(organization_id=statement.supplier_id, role="supplier_staff",
                                active=True).all()


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
    """Buyer organisations with completed orders, or accepted goods-first ones, from this
    supplier (for the statement form)."""
    ids = (db.session.query(Order.buyer_organization_id)
           .filter(Order.supplier_id == supplier_id,
                   db.or_(Order.status == "completed",
                          db.and_(Order.status == "accepted",
                                  Order.payment_terms == "goods_first"))).distinct())
    return Organization.query.filter(Organization.id.in_(ids)).order_by(Organization.name).all()
