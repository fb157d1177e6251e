"""Compliance pages: the unit manager's dashboard and filing, the auditor's overview, the
admin's policies and filing windows. Thin: parse, call the services, render."""
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace import nav
from marketplace.accounts import scopes
from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import Organization
from marketplace.compliance import services
from marketplace.compliance.forms import FilingForm, PolicyForm, WindowForm
from marketplace.compliance.labels import CANTEEN_LABELS, EXCEPTION_LABELS, STATUS_LABELS
from marketplace.compliance.models import FilingWindow, QuotaPolicy
from marketplace.compliance.views import bp, unit_or_404
from marketplace.database import get_by_id
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.inputs import page_arg
from marketplace.money import fen_str, format_yuan, percent_str, ratio_input
from marketplace.ordering import services as ordering
from marketplace.regions.models import region_prefix
from marketplace.regions.names import region_choices
from marketplace.timeutil import this_year, utcnow
from marketplace.web import run_form

nav.add("compliance.dashboard", _l("预留份额"), roles=("unit_manager", "purchaser"), order=30)
nav.add("compliance.overview", _l("份额总览"), roles=("auditor", "admin"), order=30)
nav.set_start("auditor", "compliance.overview")
nav.add("compliance.policies", _l("预留政策"), roles=("admin",), order=72)
nav.add("compliance.exceptions", _l("例外审批"), roles=("auditor", "admin"), order=31)

SORT_KEYS = ("unit_name", "region_code", "reserved", "completed", "in_progress",
             "completion_rate", "status")
PER_PAGE = 50


@bp.app_context_processor
def labels():
    return {"quota_status_labels": STATUS_LABELS, "canteen_labels": CANTEEN_LABELS,
            "exception_labels": EXCEPTION_LABELS}


@bp.app_template_global()
def quota_cart_progress(lines=None, purpose="canteen", eligible_fen=None):
    """For the cart page: how far the current user's order takes the unit (see the partial)."""
    if not current_user.is_authenticated or current_user.role != "purchaser":
        return None
    if eligible_fen is None:
        pairs = [(item.product, item.quantity) if hasattr(item, "product") else item
                 for item in (lines or [])]
        eligible_fen = services.eligible_amount_fen(current_user.organization, pairs, purpose)
    return services.cart_progress(current_user, eligible_fen)



@bp.app_template_global()
def quota_order_effect(orders):
    """For the approvals page (ordering's, which cannot import this domain): what approving
    a checkout's orders does to the unit's share (see compliance/_order_effect.html)."""
    if not current_user.is_authenticated or current_user.role != "unit_manager":
        return None
    return services.order_effect(orders)

def _year():
    """The year asked for (?year=), else the current year in China Standard Time."""
    value = request.args.get("year") or request.form.get("year")
    if not value:
        return this_year()
    if not value.isdigit() or not services.MIN_YEAR <= int(value) <= services.MAX_YEAR:
        abort(400)
    return int(value)


def _unit_page(unit, year):
    now = utcnow()
    quotas = services.compute(year, scopes.visible_units(current_user), parent_id=unit.id,
                              now=now, months=True)
    by_id = {quota.unit_id: quota for quota in quotas}
    own = by_id.get(unit.id)
    subtree = services.rollup(quotas, unit)
    depth0 = unit.tree_path.count("/")
    table = [{"row": quota.row(), "depth": quota.tree_path.count("/") - depth0,
              "rollup": services.rollup(quotas, quota) if any(
                  other.parent_id == quota.unit_id for other in quotas) else None}
             for quota in sorted(quotas, key=lambda item: [int(p) for p in item.tree_path.strip("/").split("/")])]
    lines = services.quota_lines(year, unit)
    representative = None
    if own.filing is not None and own.filing.canteen_status == "shared_member":
        representative = own.filing.representative_unit
    return render_template(
        "compliance/unit.html", unit=unit, year=year, own=own, row=own.row(),
        pace=services.pace(own, year, now),
        subtree=subtree, subtree_pace=services.pace(subtree, year, now), table=table,
        lines=lines, lines_total=sum((line["counted"] for line in lines), Decimal("0.00")),
        readable=ordering.readable_order_ids(current_user, {line["order_id"] for line in lines}),
        policy=own.policy, representative=representative,
        can_file=services.can_file_for(current_user, unit),
        is_own=current_user.organization_id == unit.id)


@bp.get("/")
@roles_required("unit_manager", "purchaser")
def dashboard():
    """The unit manager's dashboard of its own unit (a purchaser sees its unit's figures)."""
    unit = scopes.buyer_unit_of(current_user.organization)
    if unit is None:
        abort(403)
    return _unit_page(unit, _year())


@bp.get("/units/<int:unit_id>")
@roles_required("unit_manager", "auditor", "admin")
def unit_detail(unit_id):
    """One unit's figures and lines (drill-down from the overview or the subtree table)."""
    unit = scopes.require_unit(current_user, unit_or_404(unit_id))
    return _unit_page(unit, _year())


def _representative_choices(unit):
    units = (Organization.query.filter(Organization.kind == "budget_unit",
                                       Organization.id != unit.id)
             .order_by(Organization.region_code, Organization.name).limit(2000).all())
    return [SelectChoice("", _("（请选择）"))] + \
        [SelectChoice(str(u.id), f"{u.name}（{u.region_code}）") for u in units]


@bp.route("/filing", methods=["GET", "POST"])
@roles_required("unit_manager", "admin")
def filing():
    """预留份额填报: the current filing, the form to file or correct it, every version."""
    if current_user.role == "admin":
        unit_id = request.args.get("unit_id", "")
        if not unit_id.isdigit():
            flash(_("请从总览中选择要代为填报的单位。"), "info")
            return redirect(url_for("compliance.overview"))
        unit = unit_or_404(int(unit_id))
    else:
        unit = current_user.organization
    year = _year()
    current = services.current_filing(unit, year)
    form = FilingForm()
    form.representative_unit_id.choices = _representative_choices(unit)
    if request.method == "GET" and current is not None:
        form.canteen_status.data = current.canteen_status
        form.food_budget.data = fen_str(current.food_budget_fen) or ""
        form.ratio.data = percent_str(current.ratio)
        form.exception_ref.data = current.exception_ref or ""
        form.representative_unit_id.data = str(current.representative_unit_id or "")
    document = request.files.get("document")
    # The year is in the URL, not a field: its errors (window not open) are flashed.
    done, result = run_form(form, lambda: services.file_quota(
        current_user, unit, year, form.canteen_status.data, form.food_budget.data,
        ratio_input(form.ratio.data) or None, form.exception_ref.data or None,
        form.representative_unit_id.data or None,
        document=document if document is not None and document.filename else None),
        {"year": None})
    if done:
        message = _("已提交第 %(v)s 版填报，预留金额 %(amount)s。", v=result.version,
                    amount=format_yuan(result.reserved_fen)) \
            if result.reserved_fen is not None else \
            _("已提交第 %(v)s 版填报（免于考核）。", v=result.version)
        if result.exception_status == "pending":
            message += " " + _("预留比例低于政策最低值，例外申请已提交审批；审批前按最低比例计算。")
        if result.late:
            message += " " + _("已超过填报截止日期，本次填报标记为逾期。")
        flash(message, "warning" if result.late or result.exception_status else "success")
        target = url_for("compliance.filing", year=year,
                         unit_id=unit.id if current_user.role == "admin" else None)
        return redirect(target)
    status = result
    window_state, window = services.window_state(year)
    return render_template(
        "compliance/filing.html", form=form, unit=unit, year=year, current=current,
        history=services.filing_history(unit, year),
        policy=services.governing_policy(unit.region_code, year), window=window,
        window_state=window_state, min_ratio=percent_str(
            services.governing_policy(unit.region_code, year).min_ratio)), status


@bp.get("/overview")
@roles_required("auditor", "admin")
def overview():
    """The auditor's overview: counts by status and a sortable, filterable table of units."""
    year = _year()
    region = request.args.get("region", "").strip()
    if region and not (region.isdigit() and 2 <= len(region) <= 6):
        abort(400)
    # Narrowed to the user's scope as the API and the reports do (403 outside it).
    within = scopes.narrow_region(current_user, region_prefix(region.ljust(6, "0"))) \
        if region else None
    status = request.args.get("status") or None
    if status is not None and status not in services.QUOTA_STATUSES:
        abort(400)
    rows = services.quota_rows(year, scopes.visible_units(current_user), region=within)
    name = request.args.get("q", "").strip()
    if name:
        rows = [row for row in rows if name.lower() in row["unit_name"].lower()]
    counts = {key: 0 for key in services.QUOTA_STATUSES}
    for row in rows:
        counts[row["status"]] += 1
    counts["filed"] = len(rows) - counts["not_filed"]
    counts["exception_pending"] = sum(1 for row in rows if row["exception_status"] == "pending")
    totals_all = services.quota_totals(rows)
    chart_rows = rows  # the charts show every matched unit, whatever the status filter
    if status:
        rows = [row for row in rows if row["status"] == status]
    sort = request.args.get("sort", "unit_name")
    if sort not in SORT_KEYS:
        sort = "unit_name"
    descending = request.args.get("dir") == "desc"
    rows.sort(key=lambda row: (row[sort] is None, row[sort] if row[sort] is not None else 0),
              reverse=descending)
    if descending:  # keep the units without a figure at the bottom either way
        rows.sort(key=lambda row: row[sort] is None)
    page = page_arg()
    pages = max(1, -(-len(rows) // PER_PAGE))
    return render_template(
        "compliance/overview.html", year=year, rows=rows[(page - 1) * PER_PAGE:page * PER_PAGE],
        matched=len(rows), counts=counts, totals=services.quota_totals(rows),
        totals_all=totals_all, sort=sort, descending=descending, page=page, pages=pages,
        status=status, region=region, name=name, chart_rows=chart_rows,
        region_choices=region_choices(current_user.organization.jurisdiction_prefix
                                      if current_user.role == "auditor" else None))


# ---------------------------------------------------------------- admin

@bp.route("/admin/policies", methods=["GET", "POST"])
@roles_required("admin")
def policies():
    """The admin's quota policies (per region prefix and year) and filing windows."""
    form = PolicyForm(prefix="policy")
    window_form = WindowForm(prefix="window")
    status = 200
    if request.method == "POST" and request.form.get("kind") == "policy":
        done, status = run_form(form, lambda: services.set_policy(
            current_user, form.region_prefix.data.strip(), form.year.data,
            ratio_input(form.min_ratio.data),
            _prefixes(form.eligible_origin_prefixes.data), bool(form.count_union_purchases.data)))
        if done:
            flash(_("已保存 %(p)s 的 %(y)s 年度预留政策。", p=form.region_prefix.data.strip(),
                    y=form.year.data), "success")
            return redirect(url_for("compliance.policies"))
    elif request.method == "POST" and request.form.get("kind") == "window":
        done, status = run_form(window_form, lambda: services.set_filing_window(
            current_user, window_form.year.data, window_form.opens_on.data,
            window_form.closes_on.data))
        if done:
            flash(_("已保存 %(y)s 年度填报期。", y=window_form.year.data), "success")
            return redirect(url_for("compliance.policies"))
    elif request.method == "POST":
        abort(400)
    return render_template(
        "compliance/policies.html", form=form, window_form=window_form,
        policies=QuotaPolicy.query.order_by(QuotaPolicy.year.desc(), QuotaPolicy.region_prefix).all(),
        windows=FilingWindow.query.order_by(FilingWindow.year.desc()).all(),
        default_ratio=services.DEFAULT_MIN_RATIO), status


def _prefixes(text):
    """Region prefixes typed with commas (either width) or spaces between them."""
    return [p for p in (text or "").replace("，", ",").replace(" ", ",").split(",") if p]


@bp.post("/admin/policies/<int:policy_id>/delete")
@roles_required("admin")
def delete_policy(policy_id):
    policy = get_by_id(QuotaPolicy, policy_id) or abort(404)
    services.delete_policy(current_user, policy)
    flash(_("已删除该预留政策。"), "success")
    return redirect(url_for("compliance.policies"))


@bp.post("/admin/windows/<int:year>/delete")
@roles_required("admin")
def delete_window(year):
    if not services.MIN_YEAR <= year <= services.MAX_YEAR or db.session.get(FilingWindow, year) is None:
        abort(404)
    services.delete_filing_window(current_user, year)
    flash(_("已删除 %(y)s 年度填报期，该年度全年可填报。", y=year), "success")
    return redirect(url_for("compliance.policies"))

