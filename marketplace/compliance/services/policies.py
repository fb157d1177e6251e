"""Quota policies: which rule governs a unit for a year (longest region prefix, else the national
default), the eligibility of a line under it, and their administration."""
from dataclasses import dataclass
from decimal import Decimal

from marketplace.audit.services import record
from marketplace.compliance.models import QuotaPolicy
from marketplace.errors import FieldErrors, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import to_ratio

from .common import DEFAULT_MIN_RATIO, RATE_PLACES, check_year


@dataclass(frozen=True)
class Policy:
    """The rule governing a unit for a year: a stored QuotaPolicy or the national default."""

    region_prefix: str
    year: int
    min_ratio: Decimal
    eligible_origin_prefixes: tuple
    count_union_purchases: bool
    id: int = None

    @property
    def is_default(self):
        return self.id is None

    def origin_eligible(self, origin_code, aided):
        """An origin counts when its county is aided AND lies within one of the prefixes."""
        if not aided:
            return False
        prefixes = self.eligible_origin_prefixes
        return not prefixes or any(str(origin_code).startswith(p) for p in prefixes)

    def purpose_counts(self, purpose):
        return purpose == "canteen" or (purpose == "union_welfare" and self.count_union_purchases)


def national_default(year):
    """The built-in national default: 0.10, any aided county, union purchases counted."""
    return Policy("", year, DEFAULT_MIN_RATIO, (), True, None)


def _as_policy(model):
    return Policy(model.region_prefix, model.year, Decimal(model.min_ratio),
                  tuple(model.eligible_origin_prefixes or ()), bool(model.count_union_purchases),
                  model.id)


def policies_of_year(year):
    """The stored policies of one year, read in one query.

    :returns: {region_prefix: Policy}; pass it to `governing` to resolve many units cheaply.
    """
    return {p.region_prefix: _as_policy(p) for p in QuotaPolicy.query.filter_by(year=year)}


def governing(policies, region_code, year):
    """The policy governing a unit of `region_code` among `policies` (from `policies_of_year`):
    the longest prefix of the code that has a policy, else the national default of `year`.
    """
    code = str(region_code or "")
    for length in range(len(code), 0, -1):
        policy = policies.get(code[:length])
        if policy is not None:
            return policy
    return national_default(year)


def governing_policy(region_code, year):
    """The policy governing a unit of `region_code` in `year`: the longest matching prefix of
    that year's policies, else the built-in national default.

    :returns: a `Policy` (``policy.is_default`` tells the national default).
    """
    return governing(policies_of_year(year), region_code, year)


def parse_ratio(value, name="min_ratio"):
    try:
        ratio = to_ratio(value)  # "0.1" or "10%"
    except ValueError:
        raise ValidationError(_("比例必须是 0 到 1 之间的数字。"), fields={name: "invalid"}) from None
    if ratio < 0 or ratio > 1:
        raise ValidationError(_("比例必须是 0 到 1 之间的数字。"), fields={name: "out_of_range"})
    if ratio != ratio.quantize(RATE_PLACES):
        raise ValidationError(_("比例最多保留四位小数。"), fields={name: "too_precise"})
    return ratio


def _parse_prefixes(prefixes):
    if prefixes is None:
        return []
    if not isinstance(prefixes, (list, tuple)):
        raise ValidationError(_("产地范围必须是地区代码前缀的列表。"),
                              fields={"eligible_origin_prefixes": "expected list"})
    cleaned = []
    for prefix in prefixes:
        text = str(prefix).strip() if isinstance(prefix, (str, int)) and not isinstance(prefix, bool) \
            else ""
        if not text.isdigit() or not 1 <= len(text) <= 6:
            raise ValidationError(_("产地范围中的地区代码前缀无效：%(p)s", p=prefix),
                                  fields={"eligible_origin_prefixes": "invalid"})
        if text not in cleaned:
            cleaned.append(text)
    return cleaned


def set_policy(actor, region_prefix_value, year, min_ratio=DEFAULT_MIN_RATIO,
               eligible_origin_prefixes=None, count_union_purchases=True):
    """Create or replace the policy of a region prefix for a year (admin only).

    :raises PermissionDenied: the actor is not an admin.
    :raises ValidationError: a bad prefix, year, ratio or list of origin prefixes.
    :returns: the QuotaPolicy row.
    """
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以设置预留比例政策。"))
    errors = FieldErrors()  # every bad field at once
    prefix = str(region_prefix_value or "").strip()
    if not prefix.isdigit() or not 1 <= len(prefix) <= 6:
        errors.add(_("地区前缀必须是 1 到 6 位数字。"), "region_prefix", "invalid")
    errors.check(check_year, year)
    ratio = errors.check(parse_ratio, min_ratio)
    prefixes = errors.check(_parse_prefixes, eligible_origin_prefixes)
    if not isinstance(count_union_purchases, bool):
        errors.add(_("是否计入工会采购必须是真或假。"), "count_union_purchases", "expected bool")
    errors.raise_any()
    policy = QuotaPolicy.query.filter_by(region_prefix=prefix, year=year).first()
    created = policy is None
    if created:
        policy = QuotaPolicy(region_prefix=prefix, year=year)
        db.session.add(policy)
    policy.min_ratio = ratio
    policy.eligible_origin_prefixes = prefixes
    policy.count_union_purchases = count_union_purchases
    db.session.flush()
    record("quota_policy.create" if created else "quota_policy.update", policy, actor=actor,
           detail={"region_prefix": prefix, "year": year, "min_ratio": str(ratio),
                   "eligible_origin_prefixes": prefixes,
                   "count_union_purchases": count_union_purchases})
    return policy


def delete_policy(actor, policy):
    """Remove a stored policy (the national default cannot be removed: it is built in)."""
    if actor is None or actor.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以设置预留比例政策。"))
    record("quota_policy.delete", policy, actor=actor,
           detail={"region_prefix": policy.region_prefix, "year": policy.year})
    db.session.delete(policy)
    db.session.flush()


def line_counts(policy, purpose, origin_code, aided):
    """Whether a line of an order of `purpose` from `origin_code` counts under `policy`."""
    return policy.purpose_counts(purpose) and policy.origin_eligible(origin_code, aided)
