"""What acceptance (验收) means for the money: a goods-first order becomes due, a settled order
completes, and a paid order accepted in part owes the buyer what was paid beyond the accepted
value — its supplier is told at once and reminded until the refund is made."""
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import User
from marketplace.audit.services import record
from marketplace.extensions import db
from marketplace.money import format_yuan
from marketplace.notifications.services import notify
from marketplace.ordering.models import Order
from marketplace.payments.services.figures import figures, refresh_order
from marketplace.payments.services.terms import assign_terms

# Orders that may owe money back: accepted with money received. Completed ones are settled
# (completion waits for the refund), except those completed before that rule.
_CANDIDATE_STATUSES = ("accepted", "completed")


def on_order_accepted(order, actor=None):
    """After acceptance: the goods-first due date, completion when settled, and the supplier
    told of any refund due. :returns: the refund due (fen)."""
    assign_terms(order)
    numbers = refresh_order(order, actor)
    if numbers["refund_due"] > 0:
        _tell_refund_due(order, numbers["refund_due"], first=True)
    return numbers["refund_due"]


def orders_owing_refunds(supplier_id=None):
    """[(order, refund due in fen)] of the orders that owe the buyer money back, oldest first."""
    query = Order.query.filter(Order.status.in_(_CANDIDATE_STATUSES),
                               Order.accepted_at.isnot(None), Order.paid_fen > 0)
    if supplier_id is not None:
        query = query.filter(Order.supplier_id == supplier_id)
    owing = []
    for order in query.order_by(Order.accepted_at, Order.id):
        due = figures(order)["refund_due"]
        if due > 0:
            owing.append((order, due))
    return owing


def remind_refunds():
    """Remind each supplier of every order that still owes its buyer money back (in-app and by
    e-mail); :returns: how many orders were reminded."""
    owing = orders_owing_refunds()
    for order, due in owing:
        _tell_refund_due(order, due, first=False)
    db.session.flush()
    return len(owing)


def _tell_refund_due(order, due, first):
    staff = User.query.filter_by(organization_id=order.supplier_id, role="supplier_staff",
                                 active=True).all()
    message = (_l("订单 %(number)s 部分验收：买方已付款多于验收金额，应退款 %(amount)s，请尽快办理退款。",
                  number=order.number, amount=format_yuan(due)) if first else
               _l("提醒：订单 %(number)s 仍有应退款 %(amount)s 未退给买方，请尽快办理退款。",
                  number=order.number, amount=format_yuan(due)))
    notify(staff, "payment.refund_due", message, link=f"/payments/orders/{order.id}")
    record("payment.refund_due" if first else "payment.refund_reminder", order, actor=None,
           detail={"refund_due_fen": due})
