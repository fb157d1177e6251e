"""Organisations: creation, the budget-unit tree, editing by the admin, approval thresholds."""
from marketplace.accounts.models import ORG_KINDS, Organization
from marketplace.accounts.signals import organization_renamed
from marketplace.audit.services import record
from marketplace.database import valid_id
from marketplace.errors import PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import yuan_to_fen
from marketplace.regions.models import Region


# The kinds the platform admin creates in the console and the API (the platform itself is made
# once, by `flask create-admin`).
ADMIN_KINDS = ("budget_unit", "union", "enterprise", "supplier", "audit_office")
# Longest text each organisation field holds (the columns' sizes).
TEXT_LIMITS = {"name": 200, "credit_code": 18, "contact_name": 80, "contact_phone": 40,
               "address": 300, "settlement_bank": 120, "settlement_account": 60,
               "settlement_account_name": 200}


def _organization_ref(value, field, kind, errors):
    """The organisation `value` names (an Organization or its id), or None; problems go to
    `errors[field]`: "unknown" for no such organisation, "not a <kind>" for another kind."""
    if value is None or value == 0 or value == "":
        return None
    org = value if isinstance(value, Organization) else (
        db.session.get(Organization, valid_id(value)) if valid_id(value) else None)
    if org is None:
        errors[field] = "unknown"
        return None
    if org.kind != kind:
        errors[field] = f"not a {kind}"
        return None
    return org


def _clean_fields(fields, errors):
    """Stripped optional texts within their column sizes (problems go to `errors`)."""
    clean = {}
    for key, value in fields.items():
        if key == "approval_threshold_fen":
            clean[key] = value
            continue
        if key not in TEXT_LIMITS:
            raise ValueError(f"not an organisation field: {key}")
        text = (value or "").strip() if isinstance(value, str) else value
        if text and len(text) > TEXT_LIMITS[key]:
            errors[key] = "too_long"
        clean[key] = text or None
    return clean


def create_organization(name, kind, region_code, *, parent=None, budget_unit=None, status="active",
                        actor=None, approval_threshold=None, **fields):
    """Create an organisation and place it in the budget-unit tree.

    :param parent: the parent budget unit (an Organization or its id); budget units only.
    :param budget_unit: the budget unit a union belongs to (an Organization or its id); unions
        only, and every union has one.
    :param approval_threshold: yuan ("5000.00"): orders over it wait for a unit manager;
        budget units only (or `approval_threshold_fen` in `fields`).
    :param fields: the contact and settlement texts (TEXT_LIMITS), `approval_threshold_fen`.
    :raises ValidationError: a missing or too long name or text, an unknown kind or region, a
        parent or budget unit that is unknown, not a budget unit or not for this kind, a
        threshold that is not an amount or not for this kind.
    """
    name = (name or "").strip() if isinstance(name, str) else ""
    errors = {}
    if not name:
        errors["name"] = "required"
    elif len(name) > TEXT_LIMITS["name"]:
        errors["name"] = "too_long"
    if kind not in ORG_KINDS:
        errors["kind"] = "unknown"
    if not region_code or db.session.get(Region, str(region_code)) is None:
        errors["region_code"] = "unknown"
    parent = _organization_ref(parent, "parent_id", "budget_unit", errors)
    if parent is not None and kind != "budget_unit":
        errors["parent_id"] = "only for a budget unit"
    budget_unit = _organization_ref(budget_unit, "budget_unit_id", "budget_unit", errors)
    messages = {}  # the words of the problems a code alone would not explain
    if kind == "union" and budget_unit is None:
        errors.setdefault("budget_unit_id", "a union needs its budget unit")
        messages.setdefault("budget_unit_id", _("工会须选择所属的预算单位。"))
    if kind != "union" and budget_unit is not None:
        errors["budget_unit_id"] = "only for a union"
        messages["budget_unit_id"] = _("只有工会需要选择所属预算单位。")
    fields = _clean_fields(fields, errors)
    if approval_threshold is not None and approval_threshold != "":
        try:
            fields["approval_threshold_fen"] = parse_threshold(approval_threshold)
        except ValidationError as error:
            errors.update(error.fields)
            messages["approval_threshold"] = error.message
    if fields.get("approval_threshold_fen") is not None and kind != "budget_unit":
        errors["approval_threshold"] = "only for a budget unit"
        messages["approval_threshold"] = _("只有预算单位可以设置审批额度。")
    if errors:
        raise ValidationError(_("组织信息不完整或有误。"), fields=errors, summary=True,
                              messages=messages)
    org = Organization(name=name, kind=kind, region_code=str(region_code), parent=parent,
                       budget_unit=budget_unit, status=status, **fields)
    db.session.add(org)
    db.session.flush()
    prefix = parent.tree_path if parent is not None else "/"
    org.tree_path = f"{prefix}{org.id}/"
    record("organization.create", org, actor=actor, detail={"kind": kind, "status": status})
    return org


def admin_create_organization(actor, name, kind, region_code, **options):
    """The platform admin creates an organisation of any kind but the platform (console and API).

    :param options: as create_organization (parent, budget_unit, approval_threshold, texts).
    :raises PermissionDenied: the actor is not an admin.
    :raises ValidationError: a kind the admin does not create, or as create_organization.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以创建组织。"))
    if kind not in ADMIN_KINDS:
        raise ValidationError(_("组织信息不完整或有误。"),
                              fields={"kind": f"one of {', '.join(ADMIN_KINDS)}"})
    return create_organization(name, kind, region_code, actor=actor, **options)


def update_organization(actor, org, *, name=None, region_code=None, parent=None,
                        budget_unit=None, approval_threshold=None, **fields):
    """The admin edits an organisation; moving a budget unit re-roots its whole subtree.

    :param parent: the new parent budget unit (an Organization or its id), or None to make it a
        root (budget units only).
    :param budget_unit: a union's budget unit (an Organization or its id).
    :param approval_threshold: yuan (str/Decimal), "" or None for no threshold.
    :raises PermissionDenied: the actor is not an admin.
    :raises ValidationError: bad name or region, a parent that is not a budget unit or lies in
        the unit's own subtree, a union without its budget unit.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以编辑组织。"))
    errors = {}
    name = (name if name is not None else org.name).strip()
    if not name:
        errors["name"] = "required"
    elif len(name) > TEXT_LIMITS["name"]:
        errors["name"] = "too_long"
    region_code = str(region_code or org.region_code)
    if db.session.get(Region, region_code) is None:
        errors["region_code"] = "unknown"
    parent = _organization_ref(parent, "parent_id", "budget_unit", errors)
    if org.kind == "budget_unit":
        if parent is not None and is_descendant(parent, org):
            errors["parent_id"] = "not a budget unit outside this unit's subtree"
    elif parent is not None:
        errors["parent_id"] = "only a budget unit can have a parent budget unit"
    budget_unit = _organization_ref(budget_unit, "budget_unit_id", "budget_unit", errors)
    if org.kind == "union" and budget_unit is None:
        errors.setdefault("budget_unit_id", "a union needs its budget unit")
    threshold_fen = org.approval_threshold_fen
    if org.kind == "budget_unit":
        try:
            threshold_fen = parse_threshold(approval_threshold)
        except ValidationError as error:
            errors.update(error.fields)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not an editable field: {', '.join(sorted(unknown))}")
    fields = _clean_fields(fields, errors)
    if errors:
        raise ValidationError(_("组织信息不完整或有误。"), fields=errors, summary=True)
    before = {"name": org.name, "region_code": org.region_code, "parent_id": org.parent_id}
    org.name = name
    org.region_code = region_code
    org.approval_threshold_fen = threshold_fen
    if org.kind == "union":
        org.budget_unit = budget_unit
    for key, value in fields.items():
        setattr(org, key, value)
    if org.kind == "budget_unit" and (parent.id if parent else None) != org.parent_id:
        _move(org, parent)
    db.session.flush()
    record("organization.update", org, actor=actor,
           detail={"before": before, "after": {"name": org.name, "region_code": org.region_code,
                                               "parent_id": org.parent_id}})
    if org.name != before["name"]:
        organization_renamed.send(org, actor=actor, old_name=before["name"])
    return org


EDITABLE_FIELDS = ("credit_code", "contact_name", "contact_phone", "address", "settlement_bank",
                   "settlement_account", "settlement_account_name")


def units_below(unit):
    """The ids of `unit` and of every budget unit below it in the tree (just its own id when it
    is not a budget unit in the tree)."""
    if unit.kind != "budget_unit" or not unit.tree_path:
        return [unit.id]
    return [ident for (ident,) in db.session.query(Organization.id).filter(
        Organization.kind == "budget_unit", Organization.tree_path.like(f"{unit.tree_path}%"))]


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
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        fen = yuan_to_fen(value)
    except ValueError:
        raise ValidationError(_("审批额度必须是金额（元）。"),
                              fields={"approval_threshold": "invalid"}) from None
    if fen < 0:
        raise ValidationError(_("审批额度不能为负数。"), fields={"approval_threshold": "negative"})
    return fen


def set_approval_threshold(actor, unit, value):
    """A unit manager (of that unit) or the admin sets the unit's order-approval threshold.

    Orders whose total is above it wait for a unit manager's approval; none by default.
    :param value: yuan as text or Decimal; "" or None removes the threshold.
    :raises PermissionDenied: not the unit's manager nor an admin.
    :raises ValidationError: not an amount, or negative.
    """
    if unit.kind != "budget_unit":
        raise ValidationError(_("只有预算单位可以设置审批额度。"), fields={"approval_threshold": "not_a_unit"})
    if not (actor.role == "admin" or (actor.role == "unit_manager"
                                      and actor.organization_id == unit.id)):
        raise PermissionDenied(_("只有本单位的管理员可以设置审批额度。"))
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
