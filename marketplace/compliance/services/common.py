"""What the quota submodules share: constants, id and year checks, message translation and the
API's text for ratios and amounts."""
from decimal import Decimal

from marketplace.database import MAX_ID, valid_id  # noqa: F401  (re-exported by the package)
from marketplace.errors import NotFound, PermissionDenied, ValidationError
from marketplace.i18n import translate as _  # noqa: F401  (re-exported)
from marketplace.money import RATE_PLACES  # noqa: F401  (re-exported)
# Orders that never count: one rule with every other figure built on purchases.
from marketplace.ordering.services.counting import NEVER_COUNTED  # noqa: F401  (re-exported)

DEFAULT_MIN_RATIO = Decimal("0.10")
EXEMPT_STATUSES = ("none", "shared_member")
QUOTA_STATUSES = ("exempt", "not_filed", "met", "on_track", "behind", "not_met")
ROW_FIELDS = ("unit_id", "unit_name", "region_code", "canteen_status", "food_budget", "ratio",
              "reserved", "completed", "in_progress", "completion_rate", "status",
              "exception_status")
MIN_YEAR, MAX_YEAR = 2000, 2100


def check_year(year):
    """`year` itself when it is an int within [MIN_YEAR, MAX_YEAR]. :raises ValidationError:"""
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(_("年度无效。"), fields={"year": "invalid"})
    return year


def require_budget_unit(unit):
    """:raises NotFound: `unit` (an Organization, or None) is not a budget unit."""
    if unit is None or getattr(unit, "kind", None) != "budget_unit":
        raise NotFound(_("预算单位不存在。"))


def check_unit_request(unit, year, allowed, refusal):
    """What every change to a unit's year checks first, in this order: the unit is a budget
    unit, the actor may act for it (`allowed`, else `refusal`), the year is one the quota knows.

    :raises NotFound, PermissionDenied, ValidationError:"""
    require_budget_unit(unit)
    if not allowed:
        raise PermissionDenied(refusal)
    check_year(year)


def ratio_str(ratio):
    """A ratio as the API's decimal string: at least two places ("0.10", "0.125")."""
    if ratio is None:
        return None
    value = Decimal(ratio).normalize()
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return f"{value:f}"


def money_str(value):
    """Decimal yuan (or None) as the API's text with two places ("1234.50")."""
    return None if value is None else f"{Decimal(value).quantize(Decimal('0.01')):.2f}"
