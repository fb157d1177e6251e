"""Sales statistics: a supplier's accepted sales and a buyer organisation's spend for a year.

An order counts once its goods were accepted (status accepted or completed), in the Beijing
month of its acceptance; it counts for what was accepted less what was refunded on each line
(`OrderLine.net_value_fen`, integer fen), the figure an invoice must match.
Plain functions, read only.
"""
from datetime import datetime, timezone

from marketplace.accounts.labels import KIND_LABELS
from marketplace.accounts.services import units_below
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


def spend_scope(user):
    """The buyer organisations whose spend `user` reads: a unit manager's unit and every unit
    below it (as its quota reads them); a purchaser's own organisation."""
    if user.role == "unit_manager":
        return units_below(user.organization)
    return [user.organization_id]


def _accepted_orders(year, whose):
    """Accepted or completed orders (`whose`: a condition naming the supplier or buyers) whose
    acceptance fell in `year`, Beijing time."""
    start = datetime(year, 1, 1, tzinfo=CST).astimezone(timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=CST).astimezone(timezone.utc)
    query = Order.query.filter(whose).filter(
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
    orders = _accepted_orders(year, Order.supplier_id == supplier_id)
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
            _add(kinds, kind, amount, kind=kind, name=str(KIND_LABELS.get(kind, kind)))
    total = sum(months)
    return {"year": year, "total_fen": total, "orders": len(orders), "months": months,
            "products": _ranked(products, total), "buyer_kinds": _ranked(kinds, total)}


def buyer_spend(organization_ids, year):
    """Buyer organisations' accepted purchases in `year` (one, or a unit and those below it):
    {"year", "total_fen", "orders", "months" (12 amounts in fen), "suppliers" [{supplier_id,
    name, amount_fen, share}], "origins" [{region_code, name, amount_fen, share}], "units"
    [{organization_id, name, amount_fen, share}] (each buyer organisation's part, when there
    are several)} — region names in the reader's language (the stored English name on English
    pages)."""
    orders = _accepted_orders(year, Order.buyer_organization_id.in_(organization_ids))
    months, suppliers, origins, units = [0] * 12, {}, {}, {}
    for order in orders:
        month = to_cst(order.accepted_at).month
        for line in order.lines:
            amount = line.net_value_fen
            months[month - 1] += amount
            _add(suppliers, order.supplier_id, amount, supplier_id=order.supplier_id,
                 name=order.supplier.name)
            code = line.origin_region_code
            _add(origins, code, amount, region_code=code, name=region_name(code))
            _add(units, order.buyer_organization_id, amount,
                 organization_id=order.buyer_organization_id,
                 name=order.buyer_organization.name)
    total = sum(months)
    figures = {"year": year, "total_fen": total, "orders": len(orders), "months": months,
               "suppliers": _ranked(suppliers, total), "origins": _ranked(origins, total)}
    if len(organization_ids) > 1:
        figures["units"] = _ranked(units, total)
    return figures


def _add(groups, key, amount, **fields):
    """Add `amount` to the row `key` of `groups` (made with `fields` the first time)."""
    row = groups.setdefault(key, {**fields, "amount_fen": 0})
    row["amount_fen"] += amount


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
    for key in ("products", "buyer_kinds", "suppliers", "origins", "units"):
        if key in figures:
            answer[key] = [money(row) for row in figures[key]]
    return answer
