"""Shared pieces of the ordering services: the life-cycle tables, checks and notices.

Imported by every other module of the package; imports none of them.
"""
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import BUYER_KINDS, Organization, User
from marketplace.catalog.services import get_product
from marketplace.errors import PermissionDenied, StateError, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.notifications.services import notify


MAX_QUANTITY = 1_000_000

# The order life cycle: which status may follow which.
TRANSITIONS = {
    "pending_approval": ("placed", "rejected", "cancelled"),
    "placed": ("confirmed", "cancelled"),
    "confirmed": ("shipped", "cancelled"),
    "shipped": ("accepted",),
    "accepted": ("completed",),
    "completed": (),
    "cancelled": (),
    "rejected": (),
}
CANCELLABLE = ("pending_approval", "placed", "confirmed")
# The payment statuses (kept on the order by the payments module) that leave nothing to pay.
SETTLED_PAYMENT_STATUSES = ("paid", "partially_refunded", "refunded")
SUPPLIER_HIDDEN = ("pending_approval", "rejected")  # not the supplier's business yet (or ever)
BUYER_ROLES = ("purchaser", "unit_manager")




class PaymentRequired(StateError):
    """A pay-first (先款后货) order ships only once paid (409)."""

    code = "payment_required"


def parse_quantity(value, name="quantity"):
    """A whole, positive quantity from a form or JSON value. :raises ValidationError."""
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise ValidationError(_("数量必须是整数。"), fields={name: "integer"}) from None
    if isinstance(value, float) or number <= 0:
        raise ValidationError(_("数量必须大于零。"), fields={name: "positive"})
    if number > MAX_QUANTITY:
        raise ValidationError(_("数量过大。"), fields={name: "too_large"})
    return number


def product_by_id(product_id):
    """:raises NotFound: no such product (the catalog's own lookup)."""
    return get_product(product_id)


def is_buyer_user(user):
    return user.role in BUYER_ROLES and user.organization.kind in BUYER_KINDS


def require_purchaser(user):
    if user.role != "purchaser" or user.organization.kind not in BUYER_KINDS:
        raise PermissionDenied(_("只有采购人可以下单。"))


def supplier_staff_of(org_id):
    """The active staff users of a supplier (whom new orders are told to)."""
    return User.query.filter_by(organization_id=org_id, role="supplier_staff", active=True).all()


def approving_unit_id(unit_id):
    """The unit whose managers approve `unit_id`'s large orders: the unit itself when it has
    an active unit manager, else the nearest unit above it that has one (a school without a
    manager of its own is approved by its bureau); None when no unit up the tree has one."""
    unit = db.session.get(Organization, unit_id) if unit_id is not None else None
    if unit is None or not unit.tree_path:
        return None
    path = [int(part) for part in unit.tree_path.strip("/").split("/")]  # the root first
    managed = set(db.session.execute(db.select(User.organization_id).where(
        User.organization_id.in_(path), User.role == "unit_manager",
        User.active.is_(True))).scalars())
    return next((ident for ident in reversed(path) if ident in managed), None)


def approvers_of(unit_id):
    """The active unit managers who approve a budget unit's large orders (`approving_unit_id`)."""
    approving = approving_unit_id(unit_id)
    if approving is None:
        return []
    return User.query.filter_by(organization_id=approving, role="unit_manager", active=True).all()


def order_link(order):
    return f"/orders/{order.id}"


def tell_supplier_new(order):
    notify(supplier_staff_of(order.supplier_id), "order.placed",
           _l("新订单 %(number)s：%(buyer)s，金额 %(total)s。", number=order.number,
              buyer=order.buyer_organization.name, total=format_yuan(order.total_fen)),
           link=order_link(order))


STATUS_LABELS = {
    "pending_approval": "待审批", "placed": "已下单", "confirmed": "已确认", "shipped": "已发货",
    "accepted": "已验收", "completed": "已完成", "cancelled": "已取消", "rejected": "已驳回",
    # Not a status: the timeline entry of refused goods put back in stock (services.restock).
    "restocked": "拒收商品已退回库存",
    # Not statuses either: the after-sales steps written on the timeline (payments.aftersales).
    "aftersale_opened": "申请售后", "aftersale_agreed": "售后已同意",
    "aftersale_answered": "供应商答复售后", "aftersale_escalated": "售后申请平台仲裁",
    "aftersale_closed": "售后已结案",
}


def status_label(status):
    """The (translated) name of a status."""
    return _(STATUS_LABELS.get(status, status))
