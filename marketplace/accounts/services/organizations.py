"""Organisations: creation, the budget-unit tree, editing by the admin, approval thresholds."""
from marketplace.accounts.models import ORG_KINDS, Organization
from marketplace.audit.services import record
from marketplace.errors import NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.regions.models import Region


def create_organization(name, kind, region_code, *, parent=None, budget_unit=None, status="active",
                        actor=None, **fields):
    """Create an organisation and place it in the budget-unit tree.

    :raises ValidationError: unknown kind or region, a union without a budget unit, a parent
        that is not a budget unit.
    """
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "required"
    if kind not in ORG_KINDS:
        errors["kind"] = "unknown"
    if not region_code or db.session.get(Region, str(region_code)) is None:
        errors["region_code"] = "unknown"
    if kind == "union" and (budget_unit is None or budget_unit.kind != "budget_unit"):
        errors["budget_unit_id"] = "a union needs its budget unit"
    if parent is not None and (kind != "budget_unit" or parent.kind != "budget_unit"):
        errors["parent_id"] = "only a budget unit can have a parent budget unit"
    if errors:
        raise ValidationError("组织信息不完整或有误。", fields=errors)
    org = Organization(name=name, kind=kind, region_code=str(region_code), parent=parent,
                       budget_unit=budget_unit if kind == "union" else None, status=status,
                       **fields)
    db.session.add(org)
    db.session.flush()
    prefix = parent.tree_path if parent is not None else "/"
    org.tree_path = f"{prefix}{org.id}/"
    record("organization.create", org, actor=actor, detail={"kind": kind, "status": status})
    return org


def update_organization(actor, org, *, name=None, region_code=None, parent=None,
                        budget_unit=None, approval_threshold=None, **fields):
    """The admin edits an organisation; moving a budget unit re-roots its whole subtree.

    :param parent: the new parent budget unit, or None to make it a root (budget units only).
    :param approval_threshold: yuan (str/Decimal), "" or None for no threshold.
    :raises PermissionDenied: the actor is not an admin.
    :raises ValidationError: bad name or region, a parent that is not a budget unit or lies in
        the unit's own subtree, a union without its budget unit.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied("只有平台管理员可以编辑组织。")
    errors = {}
    name = (name if name is not None else org.name).strip()
    if not name:
        errors["name"] = "required"
    region_code = str(region_code or org.region_code)
    if db.session.get(Region, region_code) is None:
        errors["region_code"] = "unknown"
    if org.kind == "budget_unit":
        if parent is not None and (parent.kind != "budget_unit" or is_descendant(parent, org)):
            errors["parent_id"] = "not a budget unit outside this unit's subtree"
    elif parent is not None:
        errors["parent_id"] = "only a budget unit can have a parent budget unit"
    if org.kind == "union" and (budget_unit is None or budget_unit.kind != "budget_unit"):
        errors["budget_unit_id"] = "a union needs its budget unit"
    threshold_fen = org.approval_threshold_fen
    if org.kind == "budget_unit":
        try:
            threshold_fen = parse_threshold(approval_threshold)
        except ValidationError as error:
            errors.update(error.fields)
    if errors:
        raise ValidationError("组织信息不完整或有误。", fields=errors)
    before = {"name": org.name, "region_code": org.region_code, "parent_id": org.parent_id}
    org.name = name
    org.region_code = region_code
    org.approval_threshold_fen = threshold_fen
    if org.kind == "union":
        org.budget_unit = budget_unit
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS:
            raise ValueError(f"not an editable field: {key}")
        setattr(org, key, (value or "").strip() or None)
    if org.kind == "budget_unit" and (parent.id if parent else None) != org.parent_id:
        _move(org, parent)
    db.session.flush()
    record("organization.update", org, actor=actor,
           detail={"before": before, "after": {"name": org.name, "region_code": org.region_code,
                                               "parent_id": org.parent_id}})
    if org.kind == "supplier" and org.name != before["name"]:
        from marketplace.catalog.services import reindex_supplier  # lazy: avoids an import cycle

        reindex_supplier(org)  # search finds its products under the new name
    return org


EDITABLE_FIELDS = ("credit_code", "contact_name", "contact_phone", "address", "settlement_bank",
                   "settlement_account", "settlement_account_name")


def is_descendant(candidate, unit):
    """Whether `candidate` is `unit` itself or lies below it in the tree."""
    return bool(candidate.tree_path and unit.tree_path
                and candidate.tree_path.startswith(unit.tree_path))


def _move(org, parent):
    """Give `org` a new parent and rewrite the tree_path of its whole subtree."""
    old_path = org.tree_path
    new_path = f"{parent.tree_path if parent else '/'}{org.id}/"
    subtree = Organization.query.filter(Organization.tree_path.like(f"{old_path}%")).all()
    for member in subtree:
        member.tree_path = new_path + member.tree_path[len(old_path):]
    org.parent = parent


def parse_threshold(value):
    """A yuan approval threshold to fen; "" or None means none.

    :raises ValidationError: not a non-negative amount.
    """
    from marketplace.money import yuan_to_fen

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        fen = yuan_to_fen(value)
    except ValueError:
        raise ValidationError("审批额度必须是金额（元）。",
                              fields={"approval_threshold": "invalid"}) from None
    if fen < 0:
        raise ValidationError("审批额度不能为负数。", fields={"approval_threshold": "negative"})
    return fen


def set_approval_threshold(actor, unit, value):
    """A unit manager (of that unit) or the admin sets the unit's order-approval threshold.

    Orders whose total is above it wait for a unit manager's approval; none by default.
    :param value: yuan as text or Decimal; "" or None removes the threshold.
    :raises PermissionDenied: not the unit's manager nor an admin.
    :raises ValidationError: not an amount, or negative.
    """
    if unit.kind != "budget_unit":
        raise ValidationError("只有预算单位可以设置审批额度。", fields={"approval_threshold": "not_a_unit"})
    if not (actor.role == "admin" or (actor.role == "unit_manager"
                                      and actor.organization_id == unit.id)):
        raise PermissionDenied("只有本单位的管理员可以设置审批额度。")
    fen = parse_threshold(value)
    before = unit.approval_threshold_fen
    unit.approval_threshold_fen = fen
    record("organization.approval_threshold", unit, actor=actor,
           detail={"from_fen": before, "to_fen": fen})
    return unit


def subordinate_units(unit):
    """The budget units directly under `unit`, by name."""
    return (Organization.query.filter_by(parent_id=unit.id, kind="budget_unit")
            .order_by(Organization.name).all())


def get_organization(org_id):
    """:raises NotFound: no such organisation."""
    org = db.session.get(Organization, org_id) if isinstance(org_id, int) else None
    if org is None:
        raise NotFound("组织不存在。")
    return org
