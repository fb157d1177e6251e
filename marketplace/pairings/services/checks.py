"""What a pairing must be made of, checked before anything is written: an enterprise, a target
above zero, the village's certified cooperatives, well-formed projects."""
from marketplace.accounts.models import Organization
from marketplace.database import get_by_id
from marketplace.errors import ValidationError
from marketplace.i18n import translate as _
from marketplace.money import FEN, MAX_YUAN, to_decimal
from marketplace.pairings.models import PROJECT_KINDS, PairingProject

from .common import clean_text
from .villages import county_suppliers_query

MAX_SUPPLIERS = 50
MAX_PROJECTS = 20
MAX_REACH = 1_000_000


def parse_target(value):
    """A purchase target in yuan ("200000.00") as fen. :raises ValidationError: not an
    amount, more than two decimals, ≤ 0 or absurd."""
    try:
        amount = to_decimal(value)
    except ValueError:
        raise ValidationError(_("采购目标须是金额，例如 200000.00。"),
                              fields={"target_amount": "amount"}) from None
    if amount <= 0:
        raise ValidationError(_("采购目标须大于 0。"), fields={"target_amount": "must_be_positive"})
    if amount != amount.quantize(FEN) or amount > MAX_YUAN:
        raise ValidationError(_("采购目标须是不超过两位小数的合理金额。"),
                              fields={"target_amount": "amount"})
    return int(amount * 100)


def enterprise_of(enterprise_id):
    """The active enterprise with this id. :raises ValidationError: anything else."""
    org = get_by_id(Organization, enterprise_id)
    if org is None or org.kind != "enterprise":
        raise ValidationError(_("结对的一方须是平台上的企业。"),
                              fields={"enterprise_id": "not_enterprise"})
    if org.status != "active":
        raise ValidationError(_("该企业未启用，不能结对。"), fields={"enterprise_id": "inactive"})
    return org


def suppliers_of(supplier_ids, county):
    """The suppliers named, each certified for the village's county. :raises ValidationError:"""
    if not isinstance(supplier_ids, (list, tuple)) or not supplier_ids:
        raise ValidationError(_("请至少选择一个本村的合作社或基地。"),
                              fields={"supplier_ids": "required"})
    if len(supplier_ids) > MAX_SUPPLIERS:
        raise ValidationError(_("一个结对最多 %(n)s 个合作社或基地。", n=MAX_SUPPLIERS),
                              fields={"supplier_ids": "too_many"})
    ids = []
    for value in supplier_ids:
        if isinstance(value, bool) or not isinstance(value, (int, str)) or \
                not str(value).strip().isdigit():
            raise ValidationError(_("合作社编号须是整数。"), fields={"supplier_ids": "invalid"})
        ids.append(int(value))
    ids = sorted(set(ids))
    eligible = {org.id: org for org in county_suppliers_query(county.code)
                .filter(Organization.id.in_(ids))}
    outside = [i for i in ids if i not in eligible]
    if outside:
        named = {org.id: org.name for org in Organization.query.filter(
            Organization.id.in_(outside), Organization.kind == "supplier")}
        names = "、".join(named.get(i, f"#{i}") for i in outside)
        raise ValidationError(
            _("%(names)s 不是 %(county)s 认证的在营合作社或基地，不能与该村结对。",
              names=names, county=county.name), fields={"supplier_ids": "outside_county"})
    return [eligible[i] for i in ids]


def projects_of(projects):
    """[PairingProject] from [{"kind", "name"?, "households"?, "bases"?, "description"?}]."""
    if projects is None:
        return []
    if not isinstance(projects, (list, tuple)):
        raise ValidationError(_("项目须是列表。"), fields={"projects": "invalid"})
    if len(projects) > MAX_PROJECTS:
        raise ValidationError(_("一个结对最多 %(n)s 个项目。", n=MAX_PROJECTS),
                              fields={"projects": "too_many"})
    made = []
    for item in projects:
        if not isinstance(item, dict) or item.get("kind") not in PROJECT_KINDS:
            raise ValidationError(_("项目类型须是：高效种养、特色养殖、民俗旅游、农产品加工贸易、现代物流或其他。"),
                                  fields={"projects": "kind"})
        reach = {}
        for key in ("households", "bases"):
            value = item.get(key)
            if value in (None, ""):
                reach[key] = None
                continue
            if isinstance(value, bool) or not str(value).strip().isdigit() or \
                    int(value) > MAX_REACH:
                raise ValidationError(_("带动农户数和基地数须是不小于 0 的整数。"),
                                      fields={"projects": key})
            reach[key] = int(value)
        made.append(PairingProject(
            kind=item["kind"],
            name=clean_text(item.get("name"), "projects", "", max_length=120, required=False),
            description=clean_text(item.get("description"), "projects", "", max_length=500,
                                   required=False), **reach))
    return made


def households_reached(pairing):
    """Farm households the pairing's projects reach (summed over its projects)."""
    return sum(p.households or 0 for p in pairing.projects)
