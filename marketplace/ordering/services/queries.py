"""Reading orders: who may see which order, listings, the supplier queue and approvals."""
from datetime import timedelta

import sqlalchemy as sa

from marketplace.accounts.auth import in_jurisdiction, is_in_subtree
from marketplace.accounts.models import Organization
from marketplace.errors import NotFound, PermissionDenied
from marketplace.extensions import db
from marketplace.ordering.models import Order
from marketplace.ordering.services.common import SUPPLIER_HIDDEN, _


def can_view(order, user):
    """Whether `user` may read `order`: its buyer, its supplier, admins, auditors whose
    jurisdiction holds the buyer unit, and managers of a unit above the buyer unit."""
    if user.role == "admin":
        return True
    if user.organization_id == order.buyer_organization_id:
        return True
    if user.organization_id == order.supplier_id:
        # A supplier meets an order once its buyer's unit has let it through.
        return order.status not in SUPPLIER_HIDDEN
    unit = order.budget_unit or order.buyer_organization
    if user.role == "auditor":
        return in_jurisdiction(unit, user.organization)
    if user.role == "unit_manager":
        return is_in_subtree(unit, user.organization)
    return False


def get_order(order_id, user):
    """The order with this id, if `user` may read it.

    :raises NotFound: no such order.
    :raises PermissionDenied: the order belongs to someone else.
    """
    try:
        order = db.session.get(Order, int(order_id))
    except (TypeError, ValueError):
        order = None
    if order is None:
        raise NotFound(_("订单不存在。"))
    if not can_view(order, user):
        raise PermissionDenied(_("您无权查看此订单。"))
    return order


def visible_orders(user):
    """A query of the orders `user` may read (newest first)."""
    query = Order.query
    if user.role == "admin":
        pass
    elif user.role == "supplier_staff":
        query = query.filter(Order.supplier_id == user.organization_id,
                             Order.status.notin_(SUPPLIER_HIDDEN))
    elif user.role == "auditor":
        prefix = user.organization.jurisdiction_prefix
        units = sa.select(Organization.id).where(Organization.region_code.like(f"{prefix}%"))
        query = query.filter(sa.or_(Order.budget_unit_id.in_(units),
                                    Order.buyer_organization_id.in_(units)))
    elif user.role == "unit_manager":
        units = sa.select(Organization.id).where(
            Organization.tree_path.like(f"{user.organization.tree_path}%"))
        query = query.filter(sa.or_(Order.budget_unit_id.in_(units),
                                    Order.buyer_organization_id == user.organization_id))
    else:
        query = query.filter(Order.buyer_organization_id == user.organization_id)
    return query.order_by(Order.created_at.desc(), Order.id.desc())


def filter_orders(query, status=None, purpose=None, date_from=None, date_to=None):
    """Narrow an order query by status, purpose and the CST dates it was placed on."""
    from datetime import datetime, time

    from marketplace.timeutil import CST

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
    return (Order.query.filter_by(budget_unit_id=user.organization_id, status="pending_approval")
            .order_by(Order.created_at.asc(), Order.id.asc()).all())
