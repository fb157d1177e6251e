"""Reading orders: who may see which order, listings, the supplier queue and approvals."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from marketplace.accounts import scopes
from marketplace.accounts.models import Organization
from marketplace.catalog.services import is_overpriced, reference_prices_for
from marketplace.database import get_or_not_found
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.ordering.models import Order
from marketplace.ordering.services.common import SUPPLIER_HIDDEN, approving_unit_id
from marketplace.timeutil import CST

# Who may read an order (the one rule, for the pages, the payments and the API alike):
# - the platform admin;
# - the buyer organisation's own people;
# - the supplier's staff, once the buyer's unit has let the order through (never while it
#   waits for approval, nor after a rejection);
# - auditors and unit managers whose scope (accounts.scopes) holds the unit the order is bound
#   to (its budget unit; an enterprise's order: the enterprise).
UNIT_SCOPED_ROLES = ("auditor", "unit_manager")


def can_view(order, user):
    """Whether `user` may read `order` (and its payments, documents and timeline)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == "admin" or user.organization_id == order.buyer_organization_id:
        return True
    if user.role == "supplier_staff" and user.organization_id == order.supplier_id:
        return order.status not in SUPPLIER_HIDDEN
    if user.role in UNIT_SCOPED_ROLES:
        return scopes.can_see_unit(user, order.budget_unit or order.buyer_organization)
    return False


def visible_condition(user):
    """SQL: the orders `user` may read (the same rule as `can_view`)."""
    own = Order.buyer_organization_id == user.organization_id
    if user.role == "admin":
        return sa.true()
    if user.role == "supplier_staff":
        return sa.or_(own, sa.and_(Order.supplier_id == user.organization_id,
                                   Order.status.notin_(SUPPLIER_HIDDEN)))
    if user.role in UNIT_SCOPED_ROLES:
        units = sa.select(Organization.id).where(scopes.units_condition(user))
        return sa.or_(own,
                      sa.and_(Order.budget_unit_id.isnot(None), Order.budget_unit_id.in_(units)),
                      sa.and_(Order.budget_unit_id.is_(None),
                              Order.buyer_organization_id.in_(units)))
    return own


def get_order(order_id, user):
    """The order with this id, if `user` may read it.

    :raises NotFound: no such order.
    :raises PermissionDenied: the order is outside what the user may read.
    """
    order = get_or_not_found(Order, order_id, _("订单不存在。"))
    if not can_view(order, user):
        raise PermissionDenied(_("您无权查看此订单。"))
    return order


def visible_orders(user):
    """A query of the orders `user` may read (newest first)."""
    return (Order.query.filter(visible_condition(user))
            .order_by(Order.created_at.desc(), Order.id.desc()))


def readable_order_ids(user, order_ids):
    """Which of `order_ids` `user` may open (one query): a page listing other people's figures
    links only those orders."""
    if not order_ids:
        return set()
    return set(db.session.execute(db.select(Order.id).where(
        Order.id.in_(order_ids), visible_condition(user))).scalars())


def filter_orders(query, status=None, purpose=None, date_from=None, date_to=None):
    """Narrow an order query by status, purpose and the CST dates it was placed on."""
    if status:
        query = query.filter(Order.status == status)
    if purpose:
        query = query.filter(Order.purpose == purpose)
    if date_from:
        query = query.filter(Order.created_at >= datetime.combine(date_from, time(), CST))
    if date_to:
        query = query.filter(Order.created_at < datetime.combine(date_to + timedelta(days=1),
                                                                 time(), CST))
    return query


SUPPLIER_TABS = {
    "new": ("placed",),
    "to_ship": ("confirmed",),
    "in_transit": ("shipped",),
    "done": ("accepted", "completed", "cancelled"),
}


def supplier_queue(user, tab="new"):
    """The supplier's orders in one tab of its queue: new, to_ship, in_transit, done.

    :raises PermissionDenied: not supplier staff.
    """
    if user.role != "supplier_staff":
        raise PermissionDenied(_("只有供应商可以查看订单队列。"))
    statuses = SUPPLIER_TABS.get(tab, SUPPLIER_TABS["new"])
    query = Order.query.filter(Order.supplier_id == user.organization_id,
                               Order.status.in_(statuses))
    if tab in ("new", "to_ship"):
        return query.order_by(Order.created_at.asc(), Order.id.asc())
    return query.order_by(Order.created_at.desc(), Order.id.desc())


def queue_counts(user):
    """How many orders are in each tab of the supplier's queue."""
    counts = dict(db.session.query(Order.status, sa.func.count(Order.id))
                  .filter(Order.supplier_id == user.organization_id).group_by(Order.status).all())
    return {tab: sum(counts.get(status, 0) for status in statuses)
            for tab, statuses in SUPPLIER_TABS.items()}


def pending_approvals(user):
    """Orders waiting for this unit manager's approval, oldest first."""
    if user.role != "unit_manager":
        return []
    # Waiting in the manager's subtree, then those its unit approves (units below without a
    # manager of their own): pending orders are few, the rule is `approving_unit_id`'s.
    units = db.select(Organization.id).where(scopes.units_condition(user))
    waiting = (Order.query.filter(Order.status == "pending_approval",
                                  Order.budget_unit_id.in_(units))
               .order_by(Order.created_at.asc(), Order.id.asc()).all())
    approving = {unit_id: approving_unit_id(unit_id)
                 for unit_id in {order.budget_unit_id for order in waiting}}
    return [order for order in waiting
            if approving[order.budget_unit_id] == user.organization_id]


def pending_checkouts(user):
    """What waits for this unit manager, one entry per checkout (its orders are approved or
    rejected together): [{"orders", "total_fen", "placed_by", "created_at", "purpose",
    "references", "flagged"}] — `references` maps each line's id to its product's market
    reference price (fen, or None), `flagged` holds the ids of the lines priced more than 30%
    above it (the catalogue's rule, applied to the price the buyer pays)."""
    groups = {}
    orders = pending_approvals(user)
    references = reference_prices_for({line.product for order in orders for line in order.lines})
    for order in orders:
        group = groups.setdefault(order.checkout_id or f"order-{order.id}", {
            "orders": [], "total_fen": 0, "placed_by": order.placed_by,
            "created_at": order.created_at, "purpose": order.purpose,
            "references": {}, "flagged": set()})
        group["orders"].append(order)
        group["total_fen"] += order.total_fen
        for line in order.lines:
            reference = references.get(line.product_id)
            group["references"][line.id] = reference
            if is_overpriced(line.unit_price_fen, reference):
                group["flagged"].add(line.id)
    return list(groups.values())
