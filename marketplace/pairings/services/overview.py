"""The rural-revitalisation view (admin, auditors in their jurisdiction): every pairing of a year
by county and village with target against purchased, the enterprises behind their pace, and the
villages without a partner; the same rows feed the exports."""
from dataclasses import dataclass, field

from marketplace.accounts.models import Organization
from marketplace.errors import PermissionDenied
from marketplace.i18n import translate as _
from marketplace.money import fen_str, rate_half_up
from marketplace.pairings.models import Pairing, Village
from marketplace.regions.models import Region
from marketplace.timeutil import utcnow

from .common import check_year, region_scope, visible_pairings
from .checks import households_reached
from .progress import progress_map

OVERVIEW_ROLES = ("admin", "auditor")
# The pairings the view counts: those that are or were in force (not requests).
SHOWN_STATUSES = ("active", "ended")
REPORT_COLUMNS = ("county_code", "county_name", "village_id", "village", "pairing_id",
                  "enterprise_id", "enterprise_name", "status", "suppliers", "households",
                  "target", "purchased", "rate", "pace")


@dataclass
class CountySum:
    """One county's pairings added up (fen)."""

    code: str
    name: str
    villages: set = field(default_factory=set)
    pairings: int = 0
    target: int = 0
    purchased: int = 0
    behind: int = 0
    unpartnered: int = 0

    @property
    def rate(self):
        return rate_half_up(self.purchased, self.target)


@dataclass
class Overview:
    """The year's pairings in a user's scope: rows (pairing, progress), by county."""

    year: int
    region: str
    rows: list
    counties: list
    unpartnered: list
    behind: list

    @property
    def target(self):
        return sum(p.target_fen for p, _progress in self.rows)

    @property
    def purchased(self):
        return sum(progress.purchased for _p, progress in self.rows)

    @property
    def rate(self):
        return rate_half_up(self.purchased, self.target)


def overview(user, year, region=None, now=None):
    """The revitalisation view of `year` for `user`, within `region` (a code or prefix).

    :raises PermissionDenied: neither the admin nor an auditor, or a region outside an
        auditor's jurisdiction. :raises ValidationError: a bad year or region.
    """
    if user.role not in OVERVIEW_ROLES:
        raise PermissionDenied(_("只有平台管理员和审计可以查看乡村振兴总览。"))
    year = check_year(year)
    prefix = region_scope(user, region)
    if user.role == "auditor" and prefix is None:
        prefix = user.organization.jurisdiction_prefix
    query = visible_pairings(user).filter(Pairing.year == year,
                                          Pairing.status.in_(SHOWN_STATUSES))
    if prefix:
        query = query.filter(Village.county_code.like(f"{prefix}%"))
    pairings = query.join(Organization, Organization.id == Pairing.enterprise_id) \
        .order_by(Village.county_code, Village.name, Organization.name, Pairing.id).all()
    progress = progress_map(pairings, now or utcnow())
    rows = [(pairing, progress[pairing.id]) for pairing in pairings]
    villages = Village.query.filter(Village.county_code.like(f"{prefix or ''}%")) \
        .order_by(Village.county_code, Village.name).all()
    partnered = {p.village_id for p in pairings if p.status == "active"}
    unpartnered = [village for village in villages if village.id not in partnered]
    counties = {}
    names = {r.code: r.name for r in Region.query.filter(
        Region.code.in_({v.county_code for v in villages}))}
    for village in villages:
        county = counties.setdefault(village.county_code, CountySum(
            village.county_code, names.get(village.county_code, village.county_code)))
        county.villages.add(village.id)
        if village.id not in partnered:
            county.unpartnered += 1
    for pairing, state in rows:
        county = counties[pairing.village.county_code]
        county.pairings += 1
        county.target += pairing.target_fen
        county.purchased += state.purchased
        county.behind += state.pace == "behind"
    behind = [(p, state) for p, state in rows if state.pace == "behind"]
    return Overview(year=year, region=prefix, rows=rows,
                    counties=[counties[code] for code in sorted(counties)],
                    unpartnered=unpartnered, behind=behind)


def report_rows(view):
    """The export's rows (cells as the API's text, in REPORT_COLUMNS order): one per pairing,
    then one per village without a partner (status "no_partner", no figures)."""
    for pairing, state in view.rows:
        rate = state.rate
        yield [pairing.village.county_code, pairing.village.county.name, pairing.village_id,
               pairing.village.name, pairing.id, pairing.enterprise_id, pairing.enterprise.name,
               pairing.status, "、".join(s.name for s in pairing.suppliers),
               households_reached(pairing), fen_str(pairing.target_fen), fen_str(state.purchased),
               None if rate is None else f"{rate:.4f}", state.pace]
    for village in view.unpartnered:
        yield [village.county_code, village.county.name, village.id, village.name, None, None,
               None, "no_partner", None, None, None, None, None, None]


def report_totals(view):
    """{column: text} of the export's totals row."""
    rate = view.rate
    return {"target": fen_str(view.target), "purchased": fen_str(view.purchased),
            "rate": None if rate is None else f"{rate:.4f}"}
