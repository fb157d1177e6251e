"""The ledger: writing derived events once, the admin's corrections, and each supplier's
standing (points and tier) kept in step on its organisation for the catalog."""
from marketplace.accounts.labels import credit_tier_label
from marketplace.accounts.models import Organization, User
from marketplace.audit.services import record
from marketplace.catalog.caching import note_catalog_change
from marketplace.catalog.services import get_supplier
from marketplace.credit.models import CreditEvent
from marketplace.credit.services.rules import CORRECTION_LIMIT, TIER_FLOORS, STANDARD, tier_for
from marketplace.errors import FieldErrors, PermissionDenied, ValidationError, required_reason
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify
from marketplace.timeutil import utcnow


def can_read(user, supplier):
    """Whether `user` may read a supplier's credit: its own staff, admins and auditors."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role in ("admin", "auditor"):
        return True
    return user.role == "supplier_staff" and user.organization_id == supplier.id


def readable_supplier(user, supplier_id):
    """The supplier whose credit `user` asks for.

    :raises NotFound: no such supplier. :raises PermissionDenied: not its staff, an admin or
        an auditor.
    """
    supplier = get_supplier(supplier_id)
    if not can_read(user, supplier):
        raise PermissionDenied(_("只有该供应商、平台管理员和审计人员可以查看其信用积分。"))
    return supplier


def record_derived(derived):
    """Write one derived event unless its source is already in the ledger; move the standing.

    :returns: the new CreditEvent, or None when it was already recorded.
    """
    if derived is None:
        return None
    if CreditEvent.query.filter_by(source=derived.source).first() is not None:
        return None
    event = CreditEvent(supplier_id=derived.supplier_id, reason=derived.reason,
                        points=derived.points, at=derived.at, source=derived.source,
                        order_id=derived.order_id, product_id=derived.product_id,
                        review_id=derived.review_id, note=derived.note, recorded_at=utcnow())
    db.session.add(event)
    db.session.flush()
    move_standing(derived.supplier_id, derived.points)
    return event


def correct(admin, supplier, points, reason):
    """An admin corrects a supplier's points: an event of its own, with the reason, audited.

    :param points: a whole number, not zero, at most CORRECTION_LIMIT either way.
    :raises PermissionDenied: not an admin. :raises ValidationError: points or reason invalid.
    """
    if admin is None or admin.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以调整信用积分。"))
    errors = FieldErrors()  # the points and the reason told at once
    points = errors.check(_correction_points, points)
    reason = errors.check(required_reason, reason, _("请填写调整原因。"))
    errors.raise_any()
    event = CreditEvent(supplier_id=supplier.id, reason="correction", points=points,
                        at=utcnow(), note=reason, actor_id=admin.id, recorded_at=utcnow())
    db.session.add(event)
    db.session.flush()
    record("credit.correct", event, actor=admin,
           detail={"supplier_id": supplier.id, "points": points, "reason": reason})
    move_standing(supplier.id, points)
    return event


def _correction_points(points):
    """A whole number of points, not zero, at most CORRECTION_LIMIT either way."""
    if isinstance(points, bool):
        points = None
    try:
        points = int(str(points).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("调整分值必须是整数。"), fields={"points": "integer"}) from None
    if points == 0 or abs(points) > CORRECTION_LIMIT:
        raise ValidationError(_("调整分值须在 -%(n)s 到 %(n)s 之间，且不能为 0。",
                                n=CORRECTION_LIMIT), fields={"points": "out_of_range"})
    return points


def _tier_case(points):
    """The tier of a points expression, in SQL, from the same floors as `tier_for`."""
    return db.case(*[(points >= floor, tier) for tier, floor in TIER_FLOORS], else_=STANDARD)


def move_standing(supplier_id, delta):
    """Add `delta` to the supplier's points and set its tier, in one UPDATE (two events of one
    supplier committed at once both count); tell its staff when the tier changes."""
    new_points = Organization.credit_points + delta
    db.session.execute(
        db.update(Organization).where(Organization.id == supplier_id)
        .values(credit_points=new_points, credit_tier=_tier_case(new_points))
        .execution_options(synchronize_session="fetch"))
    # The UPDATE holds the row until the commit: what it reads now is exact.
    points = db.session.execute(db.select(Organization.credit_points)
                                .where(Organization.id == supplier_id)).scalar_one()
    before, after = tier_for(points - delta), tier_for(points)
    if before != after:
        note_catalog_change(db.session)  # its badge and its products' rank change
        _tell_tier_change(supplier_id, before, after, points)


def _tell_tier_change(supplier_id, before, after, points):
    staff = User.query.filter_by(organization_id=supplier_id, role="supplier_staff",
                                 active=True).all()

    def message():
        return _("您的信用等级已由「%(before)s」变为「%(after)s」（当前 %(points)s 分）。",
                 before=str(credit_tier_label(before)), after=str(credit_tier_label(after)),
                 points=points)

    notify(staff, "credit.tier_changed", message, link="/credit", email=False)


def set_standing(supplier_id, points):
    """Set the supplier's kept standing to `points` (after a recompute)."""
    note_catalog_change(db.session)
    db.session.execute(
        db.update(Organization).where(Organization.id == supplier_id)
        .values(credit_points=points, credit_tier=tier_for(points))
        .execution_options(synchronize_session="fetch"))


def ledger_points(supplier_id):
    """The sum of the supplier's events: its points."""
    return int(db.session.execute(
        db.select(db.func.coalesce(db.func.sum(CreditEvent.points), 0))
        .where(CreditEvent.supplier_id == supplier_id)).scalar_one())


def events_of(supplier_id, newest_first=True):
    """A query of the supplier's events (with their orders and products for links)."""
    order = (CreditEvent.at.desc(), CreditEvent.id.desc()) if newest_first else \
        (CreditEvent.at, CreditEvent.id)
    return (CreditEvent.query.filter_by(supplier_id=supplier_id)
            .options(db.joinedload(CreditEvent.order), db.joinedload(CreditEvent.product),
                     db.joinedload(CreditEvent.actor))
            .order_by(*order))


def summary_of(supplier_id):
    """[(reason, count, points)] of the supplier's events, by reason."""
    rows = db.session.execute(
        db.select(CreditEvent.reason, db.func.count(CreditEvent.id),
                  db.func.sum(CreditEvent.points))
        .where(CreditEvent.supplier_id == supplier_id).group_by(CreditEvent.reason)).all()
    return [(reason, int(count), int(points)) for reason, count, points in rows]
