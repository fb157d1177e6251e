"""What the credit page and the API show of one supplier, and the admin's list of suppliers."""
from dataclasses import dataclass

from marketplace.accounts.models import CREDIT_TIERS, Organization
from marketplace.credit.services.advice import advice_for
from marketplace.credit.services.ledger import events_of, ledger_points, summary_of
from marketplace.credit.services.rules import next_tier, tier_for
from marketplace.credit.services.sales import monthly_sales
from marketplace.extensions import db

EVENTS_PER_PAGE = 50


@dataclass
class Overview:
    """A supplier's points, tier, the way up, a page of its events, its twelve months."""

    supplier: object
    points: int
    tier: str
    next_tier: str
    missing: int
    advice: object
    events: object      # a Flask-SQLAlchemy pagination of CreditEvents, newest first
    months: list        # [MonthSales], oldest first
    summary: list       # [(reason, count, points)]

    @property
    def sales_total_fen(self):
        return sum(month.amount_fen for month in self.months)


def overview(supplier, page=1, now=None):
    """The credit page of `supplier` (the caller has checked who may read it)."""
    points = ledger_points(supplier.id)
    summary = summary_of(supplier.id)
    upper, missing = next_tier(points)
    events = events_of(supplier.id).paginate(page=max(int(page or 1), 1),
                                             per_page=EVENTS_PER_PAGE, error_out=False)
    return Overview(supplier, points, tier_for(points), upper, missing,
                    advice_for(points, summary), events, monthly_sales(supplier.id, now), summary)


def ledger(supplier):
    """(points, tier, every event oldest first): what the API answers; the events sum to the
    points."""
    events = events_of(supplier.id, newest_first=False).all()
    points = sum(event.points for event in events)
    return points, tier_for(points), events


def standings(tier=None, q=None):
    """A query of the suppliers with their kept points and tier, best first (admins, auditors).

    :param tier: only this tier. :param q: part of the name.
    """
    query = Organization.query.filter(Organization.kind == "supplier",
                                      Organization.status.in_(("active", "suspended")))
    if tier in CREDIT_TIERS:
        query = query.filter(Organization.credit_tier == tier)
    q = (q or "").strip()[:100]
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.filter(Organization.name.like(f"%{escaped}%", escape="\\"))
    return query.order_by(Organization.credit_points.desc(), Organization.name, Organization.id) \
        .options(db.joinedload(Organization.region))
