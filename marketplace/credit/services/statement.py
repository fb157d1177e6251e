"""The facts of a credit statement: who the supplier is, its certifications, twelve months of
accepted sales, its points, tier and events. Plain, JSON-ready values: the statement is written
from them and the platform keeps them, so whoever checks a statement sees what it said."""
from marketplace.catalog import services as catalog
from marketplace.credit.services.ledger import ledger_points, summary_of
from marketplace.credit.services.rules import tier_for
from marketplace.credit.services.sales import monthly_sales
from marketplace.credit.models import REASONS
from marketplace.money import fen_str
from marketplace.regions.services import path_of
from marketplace.timeutil import to_cst


def _region_text(region):
    return " ".join(item.name for item in path_of(region)) if region is not None else ""


def statement_facts(supplier, now=None):
    """The statement's facts for `supplier` at `now` (a dict of strings, numbers and lists)."""
    months = monthly_sales(supplier.id, now)
    points = ledger_points(supplier.id)
    summary = sorted(summary_of(supplier.id), key=lambda row: REASONS.index(row[0]))
    certifications = [
        {"region_code": item.region_code, "region": _region_text(item.region),
         "status": item.status,
         "since": to_cst(item.decided_at).date().isoformat() if item.decided_at else None}
        for item in sorted(catalog.certifications_of(supplier), key=lambda c: c.region_code)]
    return {
        "supplier": {
            "id": supplier.id, "name": supplier.name, "credit_code": supplier.credit_code or "",
            "region_code": supplier.region_code, "region": _region_text(supplier.region),
            "address": supplier.address or "", "contact_name": supplier.contact_name or "",
            "member_since": to_cst(supplier.created_at).date().isoformat(),
            "status": supplier.status,
        },
        "certifications": certifications,
        "months": [{"month": month.label, "amount": fen_str(month.amount_fen),
                    "orders": month.orders} for month in months],
        "sales_total": fen_str(sum(month.amount_fen for month in months)),
        "orders_total": sum(month.orders for month in months),
        "points": points,
        "tier": tier_for(points),
        "events": [{"reason": reason, "count": count, "points": total}
                   for reason, count, total in summary],
    }
