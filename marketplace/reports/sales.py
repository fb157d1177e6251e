"""Sales statistics: a supplier's accepted sales and a buyer organisation's spend for a year.

An order counts once its goods were accepted (status accepted or completed), in the Beijing
month of its acceptance; it counts for what was accepted less what was refunded on each line
(`OrderLine.net_value_fen`, integer fen), the figure an invoice must match.
Plain functions, read only.
"""
from datetime import datetime, timezone

from marketplace.accounts.labels import KIND_LABELS
from marketplace.i18n import translate as _
from marketplace.money import fen_str
from marketplace.ordering.models import Order
from marketplace.regions.names import region_name
from marketplace.timeutil import CST, to_cst

COUNTED = ("accepted", "completed")
SELLER_ROLES = ("supplier_staff",)
BUYER_ROLES = ("unit_manager", "purchaser")
FIRST_YEAR = 2000


class BadYear(ValueError):
    """The year asked for is not a year the statistics can be shown for."""


def parse_year(text, today_year):
    """The year from a query string: `today_year` when empty; BadYear with a message the reader
    understands for anything else than a year between 2000 and next year."""
    if text is None or str(text).strip() == "":
        return today_year
    try:
        year = int(str(text).strip())
    except ValueError:
        raise BadYear(_("年份须为四位数字，例如 %(year)s。", year=today_year)) from None
    if not FIRST_YEAR <= year <= today_year + 1:
        raise BadYear(_("年份须在 %(first)s 至 %(last)s 之间。", first=FIRST_YEAR,
                        last=today_year + 1))
    return year


def _accepted_orders(year, **owner):
    """Accepted or completed orders of `owner` (supplier_id= or buyer_organization_id=) whose
    acceptance fell in `year`, Beijing time."""
    start = datetime(year, 1, 1, tzinfo=CST).astimezone(timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=CST).astimezone(timezone.utc)
    query = Order.query.filter_by(**owner).filter(
        Order.status.in_(COUNTED), Order.accepted_at >= start, Order.accepted_at < end)
    return query.order_by(Order.id).all()


def _share(part, whole):
    """A percentage with one decimal (0 when there is nothing)."""
    return round(100 * part / whole, 1) if whole else 0.0


def _ranked(groups, total):
    rows = sorted(groups.values(), key=lambda row: (-row["amount_fen"], row["name"]))
    for row in rows:
        row["share"] = _share(row["amount_fen"], total)
    return rows


def supplier_sales(supplier_id, year):
    """A supplier's accepted sales in `year`: {"year", "total_fen", "orders", "months" (12
    amounts in fen, January first), "products" [{product_id, name, unit, quantity, amount_fen,
    share}], "buyer_kinds" [{kind, name, amount_fen, share}]}, largest first."""
    orders = _accepted_orders(year, supplier_id=supplier_id)
    months, products, kinds = [0] * 12, {}, {}
    for order in orders:
        month = to_cst(order.accepted_at).month
        kind = order.buyer_organization.kind
        for line in order.lines:
            amount = line.net_value_fen
            months[month - 1] += amount
            row = products.setdefault(line.product_id, {
                "product_id": line.product_id, "name": line.product_name, "unit": line.unit,
                "quantity": 0, "amount_fen": 0})
            row["quantity"] += line.accepted_quantity if line.accepted_quantity is not None \
                else line.quantity
            row["amount_fen"] += amount
            group = kinds.setdefault(kind, {"kind": kind, "name": str(KIND_LABELS.get(kind, kind)),
                                            "amount_fen": 0})
            group["amount_fen"] += amount
    total = sum(months)
    return {"year": year, "total_fen": total, "orders": len(orders), "months": months,
            "products": _ranked(products, total), "buyer_kinds": _ranked(kinds, total)}


def buyer_spend(organization_id, year):
    """A buyer organisation's accepted purchases in `year`: {"year", "total_fen", "orders",
    "months" (12 amounts in fen), "suppliers" [{supplier_id, name, amount_fen, share}],
    "origins" [{region_code, name, amount_fen, share}]} — region names in the reader's
    language (the stored English name on English pages)."""
    orders = _accepted_orders(year, buyer_organization_id=organization_id)
    months, suppliers, origins = [0] * 12, {}, {}
    for order in orders:
        month = to_cst(order.accepted_at).month
        for line in order.lines:
            amount = line.net_value_fen
            months[month - 1] += amount
            row = suppliers.setdefault(order.supplier_id, {
                "supplier_id": order.supplier_id, "name": order.supplier.name, "amount_fen": 0})
            row["amount_fen"] += amount
            code = line.origin_region_code
            origin = origins.setdefault(code, {"region_code": code, "name": region_name(code),
                                               "amount_fen": 0})
            origin["amount_fen"] += amount
    total = sum(months)
    return {"year": year, "total_fen": total, "orders": len(orders), "months": months,
            "suppliers": _ranked(suppliers, total), "origins": _ranked(origins, total)}


def sales_json(figures):
    """Statistics for the API: amounts as yuan strings ("1234.50"), `*_fen` keys renamed."""
    def money(row):
        return {("amount" if key == "amount_fen" else key): (fen_str(value) if key == "amount_fen"
                                                          else value)
                for key, value in row.items()}
    answer = {"year": figures["year"], "orders": figures["orders"],
              "total": fen_str(figures["total_fen"]),
              "months": [{"month": index + 1, "amount": fen_str(fen)}
                         for index, fen in enumerate(figures["months"])]}
    for key in ("products", "buyer_kinds", "suppliers", "origins"):
        if key in figures:
            answer[key] = [money(row) for row in figures[key]]
    return answer
