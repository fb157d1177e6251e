"""Reports: who may export what (scope), the quota rows and the ledger, and the export log.

Scope is decided here and always applied: an auditor's report covers its jurisdiction whatever
the parameters (a region or parent unit outside it is refused with 403), a unit manager's its
own subtree, a supplier's ledger its own sales, an admin's everything.
"""
import secrets
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from marketplace.accounts import scopes
from marketplace.accounts.models import Organization
from marketplace.audit.services import record
from marketplace.compliance import services as compliance
from marketplace.compliance.models import Filing
from marketplace.compliance.schemas import totals_json
from marketplace.compliance.services import MAX_YEAR, MIN_YEAR
from marketplace.database import valid_id
from marketplace.errors import NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.ordering.models import Order, OrderLine
from marketplace.regions.models import Region, region_prefix
from marketplace.reports.models import ReportExport
from marketplace.timeutil import to_cst, utcnow

QUOTA_COLUMNS = ("unit_id", "unit_name", "region_code", "canteen_status", "food_budget", "ratio",
                 "reserved", "completed", "in_progress", "completion_rate", "status",
                 "exception_status")
QUOTA_STATUSES = ("met", "on_track", "behind", "not_met", "not_filed", "exempt")
LEDGER_COLUMNS = ("order_number", "line_id", "state", "unit_id", "unit_name", "unit_region_code",
                  "credited_unit_id", "buyer_name", "supplier_id", "supplier_name", "product_id",
                  "product_name",
                  "origin_region_code", "origin_county", "purpose", "quantity",
                  "accepted_quantity", "unit_price", "accepted_amount", "refunded_amount",
                  "counted_amount", "in_progress_amount", "shipped_at", "accepted_at")
# The 万企兴万村 export (reports/pairings.py): its kinds of cells, in REPORT_COLUMNS order.
PAIRING_KINDS = ("text", "name", "int", "name", "int", "int", "name", "text", "name", "int",
                 "money", "money", "percent", "text")
QUOTA_ROLES = ("auditor", "unit_manager", "admin")
LEDGER_ROLES = ("auditor", "unit_manager", "admin", "supplier_staff")
LEDGER_BATCH = 1000


# --- scope ---------------------------------------------------------------------------------

@dataclass
class Scope:
    """What one export covers: the user's own scope, narrowed by the filters it asked for."""

    user: object
    year: int
    region: str = None       # a region prefix within the user's scope, or None
    parent: object = None    # a budget unit within the user's scope, or None
    status: str = None
    label: str = ""          # human description of the user's scope ("西藏自治区 (54)")
    key: str = ""            # machine description for the log ("jurisdiction:54")
    filters: dict = field(default_factory=dict)


def check_year(year):
    """:raises ValidationError: not a year the quota figures know (as GET /quota/{year}/units)."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(_("年度无效：须在 %(first)s 至 %(last)s 之间。",
                                first=MIN_YEAR, last=MAX_YEAR), fields={"year": "invalid"})
    return year


def resolve_scope(user, year, *, region=None, parent_id=None, status=None, roles=QUOTA_ROLES):
    """Check the user's role and the filters against its scope.

    :param region: a region code or prefix ("5401", "540100"); must lie within an auditor's
        jurisdiction (a wider one is narrowed to the jurisdiction).
    :param parent_id: a budget unit the user may see; the report covers its whole subtree.
    :raises PermissionDenied: the role may not export, or a filter lies outside the user's scope.
    :raises NotFound: an unknown parent unit.
    :raises ValidationError: an invalid year, a malformed or unknown region, an unknown status.
    """
    if user.role not in roles:
        raise PermissionDenied(_("您的角色不能导出此报表。"))
    year = check_year(year)
    key, label = scopes.scope_label(user)
    filters = {"region": region or "", "parent_id": parent_id or "", "status": status or ""}
    scope = Scope(user=user, year=year, label=label, key=key, filters=filters)
    if region:
        region = str(region).strip()
        if not region.isdigit() or not 2 <= len(region) <= 6:
            raise ValidationError(_("地区须为 2 至 6 位数字的行政区划代码。"),
                                  fields={"region": "invalid"})
        prefix = region_prefix(region.ljust(6, "0")) if len(region) == 6 else region
        if not Region.query.filter(Region.code.like(f"{prefix}%")).first():
            raise ValidationError(_("没有代码为 %(code)s 的地区。", code=region),
                                  fields={"region": "unknown"})
        scope.region = scopes.narrow_region(user, prefix)
    if parent_id not in (None, ""):
        if not str(parent_id).strip().isdigit():
            raise ValidationError(_("上级单位编号须为整数。"), fields={"parent_id": "integer"})
        number = valid_id(str(parent_id).strip()[:12])
        unit = db.session.get(Organization, number) if number else None
        if unit is None or unit.kind != "budget_unit":
            raise NotFound(_("没有该预算单位。"))
        scope.parent = scopes.require_unit(user, unit)
    if status:
        if status not in QUOTA_STATUSES:
            raise ValidationError(_("未知的状态：%(status)s。", status=status),
                                  fields={"status": "unknown"})
        scope.status = status
    return scope


# --- quota rows ----------------------------------------------------------------------------

def quota_rows(scope, now=None):
    """The quota rows of the scope (the API's fields, as the API computes them) and their totals.

    The user's own scope is always applied as `units_query`; region, parent and status only
    narrow it.
    """
    if scope.user.role not in QUOTA_ROLES:
        raise PermissionDenied(_("您的角色不能导出此报表。"))
    rows = compliance.quota_rows(scope.year, scopes.visible_units(scope.user), region=scope.region,
                                 parent_id=scope.parent.id if scope.parent else None,
                                 status=scope.status, now=now)
    return rows, totals_json(compliance.quota_totals(rows))


# --- ledger --------------------------------------------------------------------------------

def ledger_query(scope):
    """A SELECT of every candidate line of the scope's year, with the very conditions of the
    quota figures (compliance's completed and in-progress filters): accepted in the year, or
    shipped in it and not yet accepted. The governing policy (eligible origins, union purchases)
    is applied while streaming. Ordered by order and line, so the export is stable."""
    unit = aliased(Organization, name="unit")
    buyer = aliased(Organization, name="buyer")
    supplier = aliased(Organization, name="supplier")
    origin = aliased(Region, name="origin")
    query = (
        select(Order.number, OrderLine.id, Order.accepted_at.isnot(None), unit.id, unit.name,
               unit.region_code, buyer.name, supplier.id, supplier.name, OrderLine.product_id,
               OrderLine.product_name, OrderLine.origin_region_code, origin.name, Order.purpose,
               OrderLine.quantity, OrderLine.accepted_quantity, OrderLine.unit_price_fen,
               OrderLine.refunded_fen, Order.shipped_at, Order.accepted_at)
        .select_from(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .join(unit, unit.id == Order.budget_unit_id)
        .join(buyer, buyer.id == Order.buyer_organization_id)
        .join(supplier, supplier.id == Order.supplier_id)
        .outerjoin(origin, origin.code == OrderLine.origin_region_code)
        .where(or_(compliance.completed_filter(scope.year),
                   compliance.in_progress_filter(scope.year)))
        .order_by(Order.id, OrderLine.id)
    )
    user = scope.user
    if user.role == "supplier_staff":
        query = query.where(Order.supplier_id == user.organization_id)
    elif user.role in QUOTA_ROLES:
        query = query.where(scopes.units_condition(user, unit))
    else:
        query = query.where(db.false())
    if scope.region:
        query = query.where(unit.region_code.like(f"{scope.region}%"))
    if scope.parent is not None:
        query = query.where(unit.tree_path.like(f"{scope.parent.tree_path}%"))
    return query


def _yuan(fen):
    """Integer fen as the API's "1234.50" (the same text as money.fen_str, without Decimal: the
    ledger formats millions of amounts)."""
    if fen is None:
        return None
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def _cst_text(moment):
    return to_cst(moment).isoformat(timespec="seconds") if moment is not None else None


def ledger_rows(scope, batch=LEDGER_BATCH):
    """The ledger's rows (lists of cells in LEDGER_COLUMNS order) as a generator streaming from
    the database.

    Everything that needs the ORM (scope, policies, filings) is read now, in the request; the
    returned generator holds only plain values and a SELECT, because a streamed response body
    runs after the request's session has been closed. Rows then come through a server-side
    cursor in batches of `batch` (`yield_per`), so memory stays flat however many lines the year
    holds. A line is kept when it counts under the policy of the unit it is credited to (a
    shared member's representative, as in the quota figures).
    """
    if scope.user.role not in LEDGER_ROLES:
        raise PermissionDenied(_("您的角色不能导出此报表。"))
    year = scope.year
    # Plain rows, not ORM objects: they would stay in the session for the whole download.
    current = db.session.execute(
        select(Filing.budget_unit_id, Filing.canteen_status, Filing.representative_unit_id)
        .where(Filing.year == year, Filing.is_current.is_(True))).all()
    statuses = {f.budget_unit_id: f.canteen_status for f in current}
    credit = compliance.credit_map({f.budget_unit_id: f for f in current
                                    if f.canteen_status == "shared_member"})
    targets = set(credit.values())
    region_of = dict(db.session.query(Organization.id, Organization.region_code)
                     .filter(Organization.id.in_(sorted(targets)))) if targets else {}
    policies = compliance.policies_of_year(year)
    rules = {region: compliance.governing(policies, region, year) for region in
             set(region_of.values())}

    def policy_of(region):
        if region not in rules:
            rules[region] = compliance.governing(policies, region, year)
        return rules[region]

    return _stream_ledger(ledger_query(scope), batch, credit, statuses, region_of, policy_of,
                          compliance.line_counts)


def _stream_ledger(query, batch, credit, statuses, region_of, policy_of, line_counts):
    result = db.session.execute(query.execution_options(yield_per=batch))
    try:
        for (number, line_id, accepted_flag, unit_id, unit_name, unit_region, buyer_name,
             supplier_id, supplier_name, product_id, product_name, origin_code, origin_name,
             purpose, quantity, accepted_quantity, price_fen, refunded_fen, shipped_at,
             accepted_at) in result:
            target = credit.get(unit_id, unit_id)
            if statuses.get(target) == "shared_member":
                continue  # a broken representative chain: counted nowhere, as in the figures
            if not line_counts(policy_of(region_of.get(target, unit_region)), purpose,
                               origin_code, True):
                continue
            head = [number, line_id, "counted" if accepted_flag else "in_progress", unit_id,
                    unit_name, unit_region, target, buyer_name, supplier_id, supplier_name,
                    product_id, product_name, origin_code, origin_name, purpose, quantity]
            if not accepted_flag:
                yield head + [None, _yuan(price_fen), None, _yuan(refunded_fen), _yuan(0),
                              _yuan(quantity * price_fen), _cst_text(shipped_at), None]
                continue
            accepted = quantity if accepted_quantity is None else accepted_quantity
            accepted_fen = accepted * price_fen
            yield head + [accepted, _yuan(price_fen), _yuan(accepted_fen),
                          _yuan(refunded_fen), _yuan(max(accepted_fen - refunded_fen, 0)),
                          _yuan(0), _cst_text(shipped_at), _cst_text(accepted_at)]
    finally:
        result.close()


# --- the export log ------------------------------------------------------------------------

def start_export(scope, kind, fmt, created_at=None):
    """Log an export about to be written (and record it in the audit trail); flushes only."""
    user = scope.user
    export = ReportExport(token=secrets.token_hex(16), kind=kind, format=fmt, year=scope.year,
                          filters=dict(scope.filters), scope=scope.key, user_id=user.id,
                          organization_id=user.organization_id,
                          created_at=created_at or utcnow())
    db.session.add(export)
    db.session.flush()
    record("report.export", export, actor=user,
           detail={"kind": kind, "format": fmt, "year": scope.year, "scope": scope.key,
                   "filters": dict(scope.filters)})
    return export


def finish_export(export, row_count, sha256):
    """Store the row count and digest of a written export, and record them in the audit trail.

    :param export: the ReportExport or its id (a streamed body runs in a new session, where
        the request's instances are detached; the id is looked up again there).
    """
    if not isinstance(export, ReportExport):
        export = db.session.get(ReportExport, export)
    export.row_count = row_count
    export.sha256 = sha256
    export.completed_at = utcnow()
    db.session.flush()
    record("report.export_completed", export, actor=export.user,
           detail={"rows": row_count, "sha256": sha256, "format": export.format})
    return export


def keep_file_digest(export, digest):
    """Keep the SHA-256 of the very file sent (a PDF), so an upload of it can be checked."""
    export.file_sha256 = digest
    db.session.flush()
    record("report.export_file", export, actor=export.user,
           detail={"file_sha256": digest, "format": export.format})
    return export


def export_meta(export, scope):
    """What a file says about itself before its rows are known: [(key, value)]."""
    return [("export_id", export.token), ("report", export.kind), ("year", export.year),
            ("generated_at", _cst_text(export.created_at)),
            ("generated_by", f"{scope.user.name} <{scope.user.email}>"),
            ("organization", scope.user.organization.name), ("scope", scope.label),
            ("filters", ";".join(f"{k}={v}" for k, v in sorted(export.filters.items())))]


def meta_tail(row_count, sha256, totals=None):
    """What a file says about itself once its rows are written: totals, row count, digest."""
    tail = [(f"total_{key}", value) for key, value in (totals or {}).items()]
    return tail + [("rows", row_count), ("sha256", sha256)]


def exports_visible_to(user):
    """The export log a user may read: admin all, others their organisation's exports."""
    query = ReportExport.query.order_by(ReportExport.id.desc())
    if user.role != "admin":
        query = query.filter(ReportExport.organization_id == user.organization_id)
    return query


def years_choice():
    """The years a report can be asked for, newest first."""
    last = to_cst(utcnow()).year
    return list(range(last + 1, last - 9, -1))


def default_year():
    """The current fiscal year in China Standard Time."""
    return to_cst(utcnow()).year
