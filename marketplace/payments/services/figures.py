"""What an order is worth, what was paid and what is due; the order's payment status.

Amounts are integer fen. Services flush and never commit (the request or CLI command does).

- a line's value is its accepted value once accepted (验收), its ordered value before;
- refunds on a line are at most its value (see refunds.py for the exact limit); a refund made
  while money is still due lowers what is due (a credit, no money moves); the rest gives money
  back through a payment (Stripe refund, or a bank transfer recorded with its reference);
- due = (value − refunds) − (money received − money given back), never below zero.
"""
from marketplace.audit.services import record
from marketplace.extensions import db
from marketplace.ordering.models import OrderEvent
from marketplace.payments.models import Refund
from marketplace.payments.services.core import PAYABLE_STATUSES, PaymentStateError, _
from marketplace.timeutil import utcnow


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
