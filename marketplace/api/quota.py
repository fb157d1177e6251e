"""Quota endpoints: policies, filings, the year's quota rows and the lines behind them."""
import threading
import time

import sqlalchemy as sa
from flask import current_app, jsonify, request

from marketplace.accounts import scopes
from marketplace.accounts.models import Organization
from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, page_args, require_auth
from marketplace.audit.models import AuditEntry
from marketplace.compliance import services
from marketplace.compliance.models import Filing, QuotaPolicy
from marketplace.compliance.schemas import (filing_json, policy_json, quota_line_json, row_json,
                                            totals_json)
from marketplace.errors import NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.ordering.models import Order, OrderEvent, OrderLine
from marketplace.payments.models import Refund
from marketplace.regions.models import Region, region_prefix


def _page(items):
    page, per_page = page_args()
    start = (page - 1) * per_page
    return {"items": items[start:start + per_page], "page": page, "per_page": per_page,
            "total": len(items)}


def _budget_unit(unit_id):
    ident = services.valid_id(unit_id)
    unit = db.session.get(Organization, ident) if ident else None
    if unit is None or unit.kind != "budget_unit":
        raise NotFound("No budget unit with this id.")
    return unit


@bp.put("/quota/policies")
@require_auth("admin")
def put_quota_policy():
    body = read_body()
    policy = services.set_policy(api_user(), body.pop("region_prefix"), **body)
    return jsonify(policy_json(policy)), 200


@bp.get("/quota/policies")
@require_auth("admin", "auditor", "unit_manager")
def list_quota_policies():
    query = QuotaPolicy.query.order_by(QuotaPolicy.year.desc(), QuotaPolicy.region_prefix)
    year = request.args.get("year")
    if year:
        if not year.isdigit():
            raise ValidationError("year must be a number.", fields={"year": "invalid"})
        query = query.filter(QuotaPolicy.year == int(year))
    return jsonify(_page([policy_json(p) for p in query]))


@bp.put("/quota/filings/<int:budget_unit_id>/<int:year>")
@require_auth("unit_manager", "admin")
def put_filing(budget_unit_id, year):
    unit = _budget_unit(budget_unit_id)
    if not services.can_file_for(api_user(), unit):
        raise PermissionDenied("Only this unit's unit manager or an admin may file for it.")
    body = read_body()
    filing = services.file_quota(
        api_user(), unit, year, body["canteen_status"], body.get("food_budget"),
        body.get("ratio"), body.get("exception_ref"), body.get("representative_unit_id"))
    return jsonify(_filing_body(unit, year, filing)), 200


def _filing_body(unit, year, filing, versions=None):
    """A filing in the API's form, with the unit's quota status now (and its history)."""
    body = filing_json(filing)
    body["status"] = services.quota_rows(year, Organization.query.filter(
        Organization.id == unit.id))[0]["status"]
    if versions is not None:
        body["versions"] = [filing_json(f) for f in versions]
    return body


@bp.get("/quota/filings/<int:budget_unit_id>/<int:year>")
@require_auth("unit_manager", "admin", "auditor")
def get_filing(budget_unit_id, year):
    """The unit's current filing for the year (its exception state, decision and every
    version); 404 when the unit has not filed."""
    unit = scopes.require_unit(api_user(), _budget_unit(budget_unit_id))
    services.check_year(year)
    versions = services.filing_history(unit, year)
    if not versions:
        raise NotFound("This unit has not filed for this year.", code="not_filed")
    return jsonify(_filing_body(unit, year, versions[0], versions))


@bp.post("/quota/filings/<int:budget_unit_id>/<int:year>/exception")
@require_auth("admin", "auditor")
def decide_filing_exception(budget_unit_id, year):
    """The admin, or an auditor whose jurisdiction covers the unit, approves or rejects the
    pending exception of the unit's current filing."""
    unit = _budget_unit(budget_unit_id)
    filing = services.decide_exception(api_user(), unit, year, **read_body())
    return jsonify(_filing_body(unit, year, filing)), 200


def _scoped_units(user):
    """The user's visible units and the filters it asked for, narrowed to its scope (403 for a
    parent or region outside it)."""
    query = scopes.visible_units(user)
    parent_id = request.args.get("parent_id")
    if parent_id:
        if not parent_id.isdigit():
            raise ValidationError("parent_id must be a unit id.", fields={"parent_id": "invalid"})
        parent_id = scopes.require_unit(user, _budget_unit(int(parent_id))).id
    region = request.args.get("region")
    if region:
        if not region.isdigit() or db.session.get(Region, region) is None:
            raise ValidationError("Unknown region code.", fields={"region": "unknown"})
        region = scopes.narrow_region(user, region_prefix(region))
    return query, region or None, parent_id or None


# The year's rows of one scope, kept a short while (QUOTA_ROWS_CACHE_SECONDS) so that a client
# reading every page does not pay a whole year's computation per page. An entry is used only
# while the data it came from is unchanged (`_data_version`: every service records an audit
# entry, and orders, lines, events, refunds, filings and policies only grow by id).
_rows_cache = {}
_rows_cache_lock = threading.Lock()
_ROWS_CACHE_ENTRIES = 8


def _data_version():
    maxima = [sa.select(sa.func.max(model.id)).scalar_subquery()
              for model in (AuditEntry, Order, OrderLine, OrderEvent, Refund, Filing,
                            QuotaPolicy, Organization)]
    maxima.append(sa.select(sa.func.count()).select_from(QuotaPolicy).scalar_subquery())
    return tuple(db.session.execute(sa.select(*maxima)).one())


def _year_rows(year, query, region, parent_id, status):
    """(serialized rows, serialized totals) of every matched unit, possibly from the cache."""
    def build():
        rows = services.quota_rows(year, query, region=region, parent_id=parent_id,
                                   status=status)
        return ([row_json(row) for row in rows],
                totals_json(services.quota_totals(rows)))

    ttl = current_app.config.get("QUOTA_ROWS_CACHE_SECONDS", 0)
    if not ttl:
        return build()
    try:
        scope = str(query.statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
    except sa.exc.CompileError:  # a parameter with no literal form: do not cache
        return build()
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], year, scope, region, parent_id, status,
           _data_version())
    now = time.monotonic()
    with _rows_cache_lock:
        hit = _rows_cache.get(key)
        if hit and now - hit[0] < ttl:
            return hit[1]
    value = build()
    with _rows_cache_lock:
        for stale in [k for k, (at, _v) in _rows_cache.items() if now - at >= ttl]:
            del _rows_cache[stale]
        while len(_rows_cache) >= _ROWS_CACHE_ENTRIES:
            del _rows_cache[min(_rows_cache, key=lambda k: _rows_cache[k][0])]
        _rows_cache[key] = (now, value)
    return value


@bp.get("/quota/<int:year>/units")
@require_auth("auditor", "admin", "unit_manager")
def quota_units(year):
    query, region, parent_id = _scoped_units(api_user())
    status = request.args.get("status") or None
    page_args()  # bad paging is refused before any computation
    rows, totals = _year_rows(year, query, region, parent_id, status)
    body = _page(rows)
    body["totals"] = totals
    return jsonify(body)


@bp.get("/quota/<int:year>/units/<int:unit_id>/lines")
@require_auth("auditor", "admin", "unit_manager")
def quota_unit_lines(year, unit_id):
    unit = scopes.require_unit(api_user(), _budget_unit(unit_id))
    lines = services.quota_lines(year, unit)
    body = _page([quota_line_json(line) for line in lines])
    body["completed"] = totals_json(
        {"completed": sum((line["counted"] for line in lines), 0)})["completed"]
    return jsonify(body)
