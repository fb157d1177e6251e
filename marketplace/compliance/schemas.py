"""The quota as the JSON API shows it (and the exports, which use the same fields): policies,
filings, the year's rows and totals, and the lines behind them. Money as "1234.50", ratios as
decimal strings ("0.10"), rates with four places, times in China Standard Time."""
from decimal import Decimal

from marketplace.compliance.services import money_str, ratio_str
from marketplace.money import fen_str
from marketplace.timeutil import iso


def policy_json(policy):
    """A policy (model or services.Policy)."""
    return {"id": policy.id, "region_prefix": policy.region_prefix, "year": policy.year,
            "min_ratio": ratio_str(Decimal(policy.min_ratio)),
            "eligible_origin_prefixes": list(policy.eligible_origin_prefixes or ()),
            "count_union_purchases": bool(policy.count_union_purchases)}


def filing_json(filing):
    """A filing version: `ratio` as filed, `counted_ratio` the one that counts (the minimum
    while an exception is pending or after it was rejected)."""
    return {"id": filing.id, "budget_unit_id": filing.budget_unit_id, "year": filing.year,
            "version": filing.version, "is_current": filing.is_current,
            "canteen_status": filing.canteen_status,
            "food_budget": fen_str(filing.food_budget_fen), "ratio": ratio_str(filing.ratio),
            "counted_ratio": ratio_str(filing.counted_ratio),
            "minimum_ratio": ratio_str(filing.minimum_ratio),
            "reserved": fen_str(filing.reserved_fen), "exception_ref": filing.exception_ref,
            "exception_status": filing.exception_status,
            "exception_note": filing.exception_note,
            "exception_decided_by_id": filing.exception_decided_by_id,
            "exception_decided_at": iso(filing.exception_decided_at),
            "exception_document": filing.exception_document_name,
            "representative_unit_id": filing.representative_unit_id, "late": filing.late,
            "filed_by_id": filing.filed_by_id, "filed_at": iso(filing.filed_at)}


def row_json(row):
    """A quota row (services.quota_rows)."""
    return {"unit_id": row["unit_id"], "unit_name": row["unit_name"],
            "region_code": row["region_code"], "canteen_status": row["canteen_status"],
            "food_budget": money_str(row["food_budget"]), "ratio": ratio_str(row["ratio"]),
            "reserved": money_str(row["reserved"]), "completed": money_str(row["completed"]),
            "in_progress": money_str(row["in_progress"]),
            "completion_rate": None if row["completion_rate"] is None
            else f"{row['completion_rate']:.4f}",
            "status": row["status"], "exception_status": row.get("exception_status")}


def totals_json(totals):
    """Totals over rows (services.quota_totals), or any of their amounts."""
    return {key: money_str(value) for key, value in totals.items()}


def quota_line_json(line):
    """A line behind a unit's completed amount (services.quota_lines)."""
    return {"line_id": line["line_id"], "order_id": line["order_id"],
            "order_number": line["order_number"], "budget_unit_id": line["budget_unit_id"],
            "credited_unit_id": line["credited_unit_id"], "purpose": line["purpose"],
            "product_id": line["product_id"], "product_name": line["product_name"],
            "origin_region_code": line["origin_region_code"], "quantity": line["quantity"],
            "accepted_quantity": line["accepted_quantity"],
            "unit_price": money_str(line["unit_price"]), "refunded": money_str(line["refunded"]),
            "counted": money_str(line["counted"]), "accepted_at": iso(line["accepted_at"])}
