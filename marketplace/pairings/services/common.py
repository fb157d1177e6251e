"""What the pairing services share: who may see which pairing, the year and text checks, and the
users to tell about something."""
import re

from marketplace.accounts import scopes
from marketplace.accounts.models import Organization, User
from marketplace.database import get_or_not_found
from marketplace.errors import PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.pairings.models import Pairing, PairingSupplier, Village
from marketplace.regions.models import region_prefix

MIN_YEAR, MAX_YEAR = 2000, 2100
# The roles that read pairings at all; which ones each may see is `visible_pairings`.
READER_ROLES = ("admin", "auditor", "purchaser", "supplier_staff")
# Pairings whose suppliers' sales belong to them for their year (a rejected request holds none).
HOLDING_STATUSES = ("requested", "active", "ended")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_year(year):
    """`year` as an int within [MIN_YEAR, MAX_YEAR]. :raises ValidationError:"""
    if isinstance(year, bool):
        year = None
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(_("年度须在 %(first)s 至 %(last)s 之间。", first=MIN_YEAR,
                                last=MAX_YEAR), fields={"year": "invalid"})
    return year


def clean_text(value, field, message, *, max_length, required=True, multiline=False):
    """Trimmed text of at most `max_length` characters (None when optional and empty); a
    single line has its runs of spaces made one, control characters never pass.

    :raises ValidationError: empty when required (`message`), or too long (refused, never cut).
    """
    text = _CONTROL.sub("", str(value if value is not None else ""))
    text = text.replace("\r\n", "\n").strip() if multiline else " ".join(text.split())
    if not text:
        if required:
            raise ValidationError(message, fields={field: "required"})
        return None
    if len(text) > max_length:
        raise ValidationError(_("最多 %(n)s 个字。", n=max_length), fields={field: "too_long"})
    return text


def is_enterprise_buyer(user):
    """Whether `user` buys for an enterprise (the side of a pairing that purchases)."""
    return bool(user and user.role == "purchaser" and user.organization is not None
                and user.organization.kind == "enterprise")


def in_jurisdiction(user, county_code):
    """Whether an auditor's jurisdiction holds the county (accounts.scopes' rule)."""
    return scopes.in_jurisdiction(user.organization, county_code)


def can_view_pairing(user, pairing):
    """The admin, the enterprise's buyers, the paired suppliers' staff, and auditors whose
    jurisdiction holds the village's county."""
    if user.role == "admin":
        return True
    if user.role == "auditor":
        return in_jurisdiction(user, pairing.village.county_code)
    if is_enterprise_buyer(user):
        return pairing.enterprise_id == user.organization_id
    if user.role == "supplier_staff":
        return user.organization_id in pairing.supplier_ids
    return False


def visible_pairings(user):
    """A query of the pairings `user` may read (see `can_view_pairing`).

    :raises PermissionDenied: a role that reads no pairings (a unit manager, a budget unit's
        purchaser).
    """
    query = Pairing.query.join(Village, Village.id == Pairing.village_id)
    if user.role == "admin":
        return query
    if user.role == "auditor":
        return query.filter(Village.county_code.like(f"{user.organization.jurisdiction_prefix}%"))
    if is_enterprise_buyer(user):
        return query.filter(Pairing.enterprise_id == user.organization_id)
    if user.role == "supplier_staff":
        return query.filter(Pairing.id.in_(db.select(PairingSupplier.pairing_id).where(
            PairingSupplier.supplier_id == user.organization_id)))
    raise PermissionDenied(_("只有企业、结对合作社、审计和平台管理员可以查看村企结对。"))


def get_pairing(pairing_id, user):
    """The pairing with this id, if `user` may read it.

    :raises NotFound: no such pairing. :raises PermissionDenied: someone else's.
    """
    pairing = get_or_not_found(Pairing, pairing_id, _("结对不存在。"))
    if not can_view_pairing(user, pairing):
        raise PermissionDenied(_("您无权查看此结对。"))
    return pairing


def require_admin(user):
    if user.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以这样做。"))


def region_scope(user, region):
    """The region prefix a list or report covers: the one asked for, checked against (and
    narrowed to) an auditor's jurisdiction; None for everything the user may see.

    :raises ValidationError: not a region code or prefix. :raises PermissionDenied: outside
        the auditor's jurisdiction.
    """
    region = (str(region).strip() if region is not None else "")
    if not region:
        return None
    if not region.isdigit() or not 2 <= len(region) <= 6:
        raise ValidationError(_("地区须为 2 至 6 位数字的行政区划代码。"),
                              fields={"county": "invalid"})
    prefix = region_prefix(region.ljust(6, "0")) if len(region) == 6 else region
    # Narrowed to an auditor's jurisdiction, refused outside it: as for the units (scopes).
    return scopes.narrow_region(user, prefix)


def staff_of(org):
    """The active users of an organisation (its buyers, its supplier staff)."""
    if org is None:
        return []
    return User.query.filter(User.organization_id == org.id, User.active.is_(True)) \
        .order_by(User.id).all()


def admins():
    """The platform's active admins."""
    return User.query.join(Organization, Organization.id == User.organization_id).filter(
        User.role == "admin", User.active.is_(True), Organization.status == "active") \
        .order_by(User.id).all()
