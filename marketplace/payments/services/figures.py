"""What an order is worth, what was paid and what is due; the order's payment status.

Amounts are integer fen. Services flush and never commit (the request or CLI command does).

- a line's value is its accepted value once accepted (验收), its ordered value before;
- refunds on a line are at most its value (see refunds.py for the exact limit); a refund made
  while money is still due lowers what is due (a credit, no money moves); the rest gives money
  back through a payment (Stripe refund, or a bank transfer recorded with its reference);
- due = (value − refunds that lower it) − (money received − money given back), never below
  zero; money given back beyond a line's value (an overpayment) does not lower what is due.
"""
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.ordering import services as ordering_services
from marketplace.payments.models import Refund
from marketplace.payments.services.core import PAYABLE_STATUSES, PaymentStateError


def line_value_fen(line):
    """A line's value: its accepted value once accepted, its ordered value before."""
    return line.value_fen


def order_value_fen(order):
    return order.value_fen


def succeeded_refunds(order):
    return [refund for refund in Refund.query.filter_by(order_id=order.id, status="succeeded")]


def received_fen(order):
    """Money received: succeeded Stripe payments and confirmed bank transfers."""
    return sum(p.amount_fen for p in order.payments if p.status in ("succeeded", "confirmed"))


def _spread(amount, weights, rooms=None):
    """Split `amount` fen in proportion to `weights` (largest remainder, so the parts add up
    exactly); with `rooms`, `amount` is at most their sum and no part exceeds its room."""
    total = sum(weights)
    if amount <= 0 or total <= 0:
        return [0] * len(weights)
    parts = [amount * weight // total for weight in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order[:amount - sum(parts)]:
        parts[i] += 1
    if rooms is not None:
        parts = [min(part, room) for part, room in zip(parts, rooms)]
    return parts


def line_figures(order, refunds=None):
    """Per line (by id): its value, what was paid for it and how its refunds count (fen).

    What was paid for a line (its share of the money received, before anything was given
    back) is allocated in three rounds, each in proportion to the room left on each line:
    1. up to what the buyer owes for the line: its value less its credits;
    2. then up to its ordered value less its credits: a pay-first order paid in full before a
       short acceptance has paid each line its ordered value;
    3. then anything paid beyond the ordered values (an acknowledged overpaid transfer), in
       proportion to the ordered values.
    A partly paid order has thus paid each line in proportion to what it is worth.

    A refund is a credit (lowers what is due, no money moves) or money back. `refunded` is
    every refund on the line (stored as OrderLine.refunded_fen: the API's refunded_amount, and
    what compliance subtracts from the purchases it counts). For what is due, money given back
    on a line first returns what was paid beyond the line's value (`over`), and only the rest lowers the
    value owed: `value_refunded` = credits + (money back − over, if positive), so that giving
    back an overpayment leaves nothing "overpaid" behind.
    """
    if refunds is None:
        refunds = succeeded_refunds(order)
    lines = sorted(order.lines, key=lambda line: line.id or 0)
    credit = {line.id: 0 for line in lines}
    back = {line.id: 0 for line in lines}
    for refund in refunds:
        target = back if refund.payment_id is not None else credit
        target[refund.line_id] = target.get(refund.line_id, 0) + refund.amount_fen
    values = [line_value_fen(line) for line in lines]
    ordered = [line.quantity * line.unit_price_fen for line in lines]
    credits = [credit[line.id] for line in lines]
    received = received_fen(order)
    rooms = [max(0, value - c) for value, c in zip(values, credits)]
    shares = _spread(min(received, sum(rooms)), rooms, rooms)
    left = received - sum(shares)
    rooms = [max(0, o - c - s) for o, c, s in zip(ordered, credits, shares)]
    second = _spread(min(left, sum(rooms)), rooms, rooms)
    left -= sum(second)
    third = _spread(left, ordered)
    result = {}
    for i, line in enumerate(lines):
        paid = shares[i] + second[i] + third[i]
        over = max(0, paid - _owed_before_money_back(values[i], credits[i]))
        value_refunded = credits[i] + max(0, back[line.id] - over)
        result[line.id] = {
            "value": values[i], "ordered": ordered[i], "paid": paid, "credit": credits[i],
            "money_back": back[line.id], "refunded": credits[i] + back[line.id],
            "value_refunded": value_refunded,
            "owed": max(0, values[i] - value_refunded),
            "refundable": max(0, max(paid + credits[i], values[i])
                              - credits[i] - back[line.id]),
        }
    return result


def _owed_before_money_back(value, credit):
    """What the buyer owes for a line before any money back: its value less its credits."""
    return max(0, value - credit)


def figures(order):
    """The order's money at a glance (all in fen); `lines` holds line_figures()."""
    refunds = succeeded_refunds(order)
    lines = line_figures(order, refunds)
    value = order_value_fen(order)
    refunded = sum(r.amount_fen for r in refunds)
    money_back = sum(r.amount_fen for r in refunds if r.payment_id is not None)
    received = received_fen(order)
    owed = sum(line["owed"] for line in lines.values())
    net_paid = received - money_back
    overpaid = max(0, net_paid - owed)
    return {"value": value, "refunded": refunded, "money_back": money_back,
            "received": received, "owed": owed, "net_paid": net_paid,
            "due": max(0, owed - net_paid), "overpaid": overpaid, "refund_due": overpaid,
            "lines": lines}


def amount_due_fen(order):
    """What the buyer still owes for what it accepted (or ordered, before acceptance), never
    below zero: the API's `amount_due`."""
    return figures(order)["due"]


def refund_due_fen(order):
    """What was paid beyond the order's value (after a partial acceptance of a paid order) and
    not yet given back: the API's `refund_due`."""
    return figures(order)["refund_due"]


def refresh_order(order, actor=None):
    """Recompute paid_fen, refunded_fen and payment_status; complete an accepted, settled order."""
    numbers = figures(order)
    order.paid_fen = max(0, numbers["net_paid"])  # received less money given back
    order.refunded_fen = numbers["refunded"]
    for line in order.lines:
        if line.id in numbers["lines"]:
            line.refunded_fen = numbers["lines"][line.id]["refunded"]  # every refund on it
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
    if is_settled(order, numbers):
        complete_order(order, actor)
    db.session.flush()
    return numbers


def is_settled(order, numbers=None):
    """Whether an accepted order is settled: nothing due from the buyer and nothing owed back
    to it (a paid order accepted in part stays open until its refund is made)."""
    numbers = numbers if numbers is not None else figures(order)
    return order.status == "accepted" and numbers["due"] == 0 and numbers["refund_due"] == 0


def complete_order(order, actor=None):
    """A settled, accepted order → completed (the ordering module records the transition)."""
    return ordering_services.complete_order(order, actor=actor)


def check_payable(order):
    if order.status in ("cancelled", "rejected"):
        raise PaymentStateError(_("订单已取消，不能付款。"))
    if order.status not in PAYABLE_STATUSES:
        raise PaymentStateError(_("订单当前状态不能付款。"))
    if amount_due_fen(order) <= 0:
        raise PaymentStateError(_("该订单没有待付款项。"))


def waiting_payment(order):
    """The payment awaiting an outcome (a transfer to confirm, a card payment under way), or
    None: while one waits no second payment is offered."""
    return next((p for p in sorted(order.payments, key=lambda p: p.id or 0)
                 if p.status == "pending"), None)


def money_turn(order, numbers=None):
    """Who must act on the order's money next, as (party, what): party is "buyer",
    "supplier" or None when nothing is asked. The one rule both sides' pages read."""
    numbers = numbers if numbers is not None else figures(order)
    if numbers["refund_due"] > 0:
        return "supplier", _("供应商退还多付的 %(amount)s", amount=format_yuan(numbers["refund_due"]))
    waiting = waiting_payment(order)
    if waiting is not None and waiting.method == "bank_transfer":
        return "supplier", _("供应商确认转账 %(amount)s 是否到账",
                             amount=format_yuan(waiting.amount_fen))
    if waiting is not None:
        return "buyer", _("采购方完成在线支付 %(amount)s", amount=format_yuan(waiting.amount_fen))
    if order.status in PAYABLE_STATUSES and numbers["due"] > 0:
        return "buyer", _("采购方付款 %(amount)s", amount=format_yuan(numbers["due"]))
    return None, None
