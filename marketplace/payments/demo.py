"""Demo data for payments: settlement accounts for the suppliers, terms and a few payments."""
from datetime import timedelta

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.ordering.models import OrderEvent
from marketplace.payments import services
from marketplace.timeutil import to_cst, utcnow

BANKS = ("中国农业银行西藏分行营业部", "中国银行拉萨分行", "西藏银行林芝分行", "中国建设银行日喀则分行")


def seed(ctx):
    """Give every demo supplier a settlement account (shown to buyers paying by transfer);
    give demo orders their payment reference and due date, and pay some accepted ones by a
    confirmed bank transfer so the figures show paid and due amounts."""
    for number, supplier in enumerate(ctx.get("suppliers", []), start=1):
        supplier.settlement_bank = supplier.settlement_bank or BANKS[number % len(BANKS)]
        supplier.settlement_account = (supplier.settlement_account
                                       or f"6228 4801 {number:04d} 0000 {number * 7:04d}")
        supplier.settlement_account_name = supplier.settlement_account_name or supplier.name
    db.session.flush()
    _pay_some_orders(ctx.get("orders") or [])
    _settle_trade_history(ctx.get("trade_history") or [])


def _settle_trade_history(orders):
    """The credit demo's year of trade was paid by bank transfer a few days after each
    acceptance: confirmed through the services, then dated like the orders themselves."""
    for order in orders:
        if order.status != "accepted":
            continue
        paid_at = order.accepted_at + timedelta(days=4)
        staff = [u for u in order.supplier.users if u.role == "supplier_staff"]
        if not staff:
            continue
        payment = services.record_transfer(order, order.placed_by, services.amount_due_fen(order),
                                           to_cst(paid_at).date(), "6217 0000 0000 6666",
                                           order.payment_reference)
        services.confirm_transfer(payment, staff[0])
        payment.created_at = payment.confirmed_at = paid_at
        if order.completed_at is not None:
            order.completed_at = paid_at
            for event in OrderEvent.query.filter_by(order_id=order.id, to_status="completed"):
                event.at = paid_at


def _pay_some_orders(orders):
    paid = 0
    for order in orders:
        if order.status != "accepted" or paid >= 3:
            continue
        buyer = order.placed_by
        staff = [u for u in order.supplier.users if u.role == "supplier_staff"]
        if not staff:
            continue
        try:
            payment = services.record_transfer(order, buyer, services.amount_due_fen(order),
                                               to_cst(utcnow()).date(), "6217 0000 0000 8888",
                                               order.payment_reference)
            services.confirm_transfer(payment, staff[0])
            paid += 1
        except DomainError:
            continue
