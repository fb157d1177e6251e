"""Which budget units a user may see: one rule for the pages, the reports, the exports and the API.

- the platform admin sees every unit;
- an auditor sees the units within its audit office's jurisdiction (its region's prefix);
- a unit manager sees its own unit and every unit below it in the tree;
- a purchaser sees the budget unit its orders are bound to (a union's: its budget unit);
- anyone else sees none.

Each rule exists once here, both as a SQL condition (for lists and aggregates) and as a check
on one unit; filters a user adds (a region, a parent unit) only ever narrow its own scope. An
auditor asking for a region wider than its jurisdiction gets its jurisdiction; a region
outside it, or a parent unit outside the user's scope, is refused (403) everywhere alike.
"""
from sqlalchemy import false, true

from marketplace.accounts.models import Organization
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.i18n import local_name
from marketplace.i18n import translate as _
from marketplace.regions.models import Region, region_prefix

# Roles whose scope is a set of units (a supplier's staff see their own sales, not units).
UNIT_ROLES = ("admin", "auditor", "unit_manager", "purchaser")


def buyer_unit_of(org):
    """The budget unit an organisation's orders are bound to (a union's is its budget unit)."""
    if org is None:
        return None
    if org.kind == "budget_unit":
        return org
    if org.kind == "union":
        return org.budget_unit
    return None


def in_jurisdiction(office, region_code):
    """Whether `region_code` lies within the audit office's jurisdiction."""
    return bool(office is not None and region_code
                and str(region_code).startswith(region_prefix(office.region_code)))


def is_in_subtree(org, unit):
    """Whether `org` is `unit` or one of its descendants in the budget-unit tree."""
    return bool(org is not None and unit is not None and org.tree_path and unit.tree_path
                and org.tree_path.startswith(unit.tree_path))


def units_condition(user, unit=Organization):
    """SQL: the organisation `unit` (the Organization entity or an alias of it) is one `user`
    may see. Applies to any organisation column set, so an order's bound unit can be tested
    with the very same rule as the list of units."""
    role = getattr(user, "role", None)
    org = getattr(user, "organization", None)
    if role == "admin":
        return true()
    if role == "auditor" and org is not None:
        return unit.region_code.like(f"{org.jurisdiction_prefix}%")
    if role == "unit_manager" and org is not None and org.tree_path:
        return unit.tree_path.like(f"{org.tree_path}%")
    if role == "purchaser":
        own = buyer_unit_of(org)
        if own is not None:
            return unit.id == own.id
    return false()


def visible_units(user):
    """A query of the budget units `user` may see."""
    return Organization.query.filter(Organization.kind == "budget_unit",
                                     units_condition(user))


def can_see_unit(user, unit):
    """Whether `user` may read the figures and orders of `unit` (an Organization)."""
    if unit is None or user is None:
        return False
    role = getattr(user, "role", None)
    org = getattr(user, "organization", None)
    if role == "admin":
        return True
    if role == "auditor":
        return in_jurisdiction(org, unit.region_code)
    if role == "unit_manager":
        return is_in_subtree(unit, org)
    if role == "purchaser":
        own = buyer_unit_of(org)
        return own is not None and unit.id == own.id
    return False


def require_unit(user, unit):
    """:raises PermissionDenied: `unit` lies outside the user's scope."""
    if not can_see_unit(user, unit):
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))
    return unit


def narrow_region(user, prefix):
    """The region prefix a filter of `user` applies: within an auditor's jurisdiction as asked,
    a wider one narrowed to the jurisdiction; for other roles as asked (their own scope is
    applied besides, so a region only narrows it).

    :param prefix: a region prefix ("54", "5404", "540402") or None.
    :raises PermissionDenied: a region outside an auditor's jurisdiction.
    """
    if not prefix:
        return None
    if getattr(user, "role", None) == "auditor":
        own = user.organization.jurisdiction_prefix
        if prefix.startswith(own):
            return prefix
        if own.startswith(prefix):
            return own
        raise PermissionDenied(_("该地区不在您的管辖范围内。"))
    return prefix


def scope_label(user):
    """(key, description) of the user's scope, for export logs and headers."""
    org = user.organization
    if user.role == "admin":
        return "all", _("全部单位")
    if user.role == "auditor":
        prefix = org.jurisdiction_prefix
        region = db.session.get(Region, org.region_code)
        # People read the region's name; the log's key keeps the code.
        return f"jurisdiction:{prefix}", local_name(region) if region else org.name
    if user.role == "unit_manager":
        return f"subtree:{org.id}", _("%(name)s 及下级单位", name=org.name)
    if user.role == "supplier_staff":
        return f"supplier:{org.id}", _("供应商 %(name)s 的销售", name=org.name)
    return "none", ""
