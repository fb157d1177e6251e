"""Putting back in stock what the buyer refused at acceptance (验收), once per order."""
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.errors import StateError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify
from marketplace.ordering.models import Order, OrderEvent
from marketplace.ordering.services.common import order_link
from marketplace.ordering.services.lifecycle import record_event, require_order_supplier
from marketplace.ordering.services.stock import release_stock

# The timeline entry that says it was done: its presence is what makes the step "once".
RESTOCKED = "restocked"


def refused_quantities(order):
    """[(line, refused quantity)] for the lines accepted short; empty before acceptance."""
    if order.accepted_at is None:
        return []
    return [(line, line.quantity - line.accepted_quantity) for line in order.lines
            if line.accepted_quantity is not None and line.accepted_quantity < line.quantity]


def restocked_event(order):
    """The timeline entry of the restock, None while it has not been done."""
    return (OrderEvent.query.filter_by(order_id=order.id, to_status=RESTOCKED)
            .order_by(OrderEvent.id).first())


def can_restock(order, user):
    """Whether `user` may put the order's refused quantities back in stock now."""
    return (user.role == "supplier_staff" and user.organization_id == order.supplier_id
            and bool(refused_quantities(order)) and restocked_event(order) is None)


def restock_refused(order, user):
    """The supplier puts every quantity refused at acceptance back in stock, in one step, once.

    The order row is locked first so two clicks cannot both give the stock back; the stock and
    sales counts change through `release_stock` (which tells the catalog caches). The timeline
    says who did it and how many of what; the buyer is told.

    :raises PermissionDenied: not the order's supplier.
    :raises StateError: nothing was refused, or it was already put back.
    """
    require_order_supplier(order, user)
    # Lock the order (PostgreSQL; SQLite writes one at a time anyway) before looking.
    db.session.execute(db.select(Order.id).where(Order.id == order.id).with_for_update())
    refused = refused_quantities(order)
    if not refused:
        raise StateError(_("订单 %(number)s 没有拒收的商品。", number=order.number),
                         fields={"status": order.status})
    if restocked_event(order) is not None:
        raise StateError(_("订单 %(number)s 的拒收商品已退回库存。", number=order.number),
                         fields={"status": RESTOCKED})
    release_stock([(line.product_id, quantity) for line, quantity in refused])
    # Names and numbers only: the step's own label says what happened, in the reader's language.
    detail = " · ".join(f"{line.product_name} ×{quantity}" for line, quantity in refused)
    record_event(order, order.status, RESTOCKED, user, detail)
    db.session.flush()
    record("order.restocked", order, actor=user,
           detail={"lines": {str(line.id): quantity for line, quantity in refused}})
    notify([order.placed_by], "order.restocked",
           _l("订单 %(number)s 拒收的商品已由供应商退回库存：%(detail)s",
              number=order.number, detail=detail), link=order_link(order))
    return order
