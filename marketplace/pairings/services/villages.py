"""Villages and the cooperatives of their county: a village is named within a county, and the
suppliers that may pair with it are those certified for that county."""
import sqlalchemy as sa

from marketplace.accounts.models import Organization
from marketplace.audit.services import record
from marketplace.catalog.models import SupplierCertification
from marketplace.database import get_or_not_found
from marketplace.errors import Conflict, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.pairings.models import Village
from marketplace.regions.models import Region

from .common import clean_text


def county_of(code, field="county_code"):
    """The county (a level-3 region) with this code.

    :raises ValidationError: not a six-digit code of a county in the registry.
    """
    code = str(code or "").strip()
    region = db.session.get(Region, code) if code.isdigit() and len(code) == 6 else None
    if region is None or region.level != 3:
        raise ValidationError(_("请选择一个县（区）：%(code)s 不是登记的县级行政区。", code=code or "—"),
                              fields={field: "not_a_county"})
    return region


def county_suppliers_query(county_code):
    """Active suppliers holding an approved certification for the county: the village's
    cooperatives and bases on the marketplace."""
    certified = sa.select(SupplierCertification.supplier_id).where(
        SupplierCertification.region_code == county_code,
        SupplierCertification.status == "approved")
    return Organization.query.filter(Organization.kind == "supplier",
                                     Organization.status == "active",
                                     Organization.id.in_(certified)).order_by(Organization.name,
                                                                              Organization.id)


def supplier_counties(supplier):
    """The county codes a supplier may publish needs for: those it is certified for."""
    return [code for (code,) in db.session.query(SupplierCertification.region_code).filter(
        SupplierCertification.supplier_id == supplier.id,
        SupplierCertification.status == "approved").order_by(SupplierCertification.region_code)]


def find_village(name, county_code, *, create_for=None):
    """The village named `name` in the county, created (and recorded) for the user `create_for`
    when it does not exist yet; None when it does not exist and nobody creates it.

    :raises ValidationError: an empty or too long name, or a code that is not a county.
    """
    county = county_of(county_code)
    name = clean_text(name, "village", _("请填写行政村名称。"), max_length=100)
    village = Village.query.filter_by(county_code=county.code, name=name).first()
    if village is None and create_for is not None:
        village = Village(name=name, county_code=county.code, created_by_id=create_for.id)
        db.session.add(village)
        db.session.flush()
        record("village.create", village, actor=create_for,
               detail={"name": name, "county_code": county.code})
    return village


def add_village(user, name, county_code):
    """The admin registers a village (so the revitalisation view knows it has no partner yet).

    :raises PermissionDenied: not the admin. :raises Conflict: it exists already.
    """
    if user.role != "admin":
        raise PermissionDenied(_("只有平台管理员可以登记行政村。"))
    if find_village(name, county_code) is not None:
        raise Conflict(_("该县已有同名行政村。"), fields={"village": "duplicate"},
                       code="duplicate")
    return find_village(name, county_code, create_for=user)


def get_village(village_id):
    """:raises NotFound:"""
    return get_or_not_found(Village, village_id, _("行政村不存在。"))


def villages_query(region=None, name=None):
    """Villages by county then name, within a region prefix, whose name contains `name`."""
    query = Village.query
    if region:
        query = query.filter(Village.county_code.like(f"{region}%"))
    if name:
        query = query.filter(Village.name.contains(name.strip()[:100]))
    return query.order_by(Village.county_code, Village.name, Village.id)
