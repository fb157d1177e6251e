"""Reports pages: the auditor's reports (filters, charts, downloads), verification, history."""
from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import nav
from marketplace.accounts import scopes
from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import Organization
from marketplace.errors import ValidationError
from marketplace.extensions import db, limiter
from marketplace.i18n import local_name
from marketplace.i18n import translate as _
from marketplace.regions.models import Region
from marketplace.reports import charts, exports, kept, services, statements, verification
from marketplace.reports import pairings as pairing_exports
from marketplace.reports import people
from marketplace.reports.forms import ReportFilterForm, VerifyForm
from marketplace.reports.views import bp
from marketplace.web import paginate

REPORT_ROLES = services.LEDGER_ROLES  # suppliers see their ledger only

nav.add("reports.index", _l("报表"), roles=REPORT_ROLES, order=60)
nav.add("reports.verify", _l("核验文件"), roles=("auditor", "admin"), order=61)


# --- charts for other pages (the compliance overview and unit dashboard use these globals, so
# the page and the PDF draw the same charts and compliance needs no chart code of its own) ---

# SVG: units per quota status (from quota rows or a {status: count} mapping); units per
# completion-rate bucket (from quota rows).
bp.add_app_template_global(charts.status_counts_svg, "quota_status_svg")
bp.add_app_template_global(charts.completion_histogram_svg, "quota_completion_svg")


@bp.app_template_global()
def quota_monthly_svg(months, reserved=None, year=None, title=None, narrow=False):
    """SVG: a unit's completed amount per month (fen, as compliance's `UnitQuota.months`), its
    running total over the months begun so far, and the reserved amount (fen) as a target.

    `narrow`: drawn for a phone's width (360 units wide, taller), where the wide one would
    shrink its labels below reading size; the page shows one or the other by its width."""
    upto = charts.months_begun(year) if year is not None else None
    width, height = (360, 300) if narrow else (960, 400)
    return charts.monthly_svg(months, title=title, fen=True, cumulative=True, target=reserved,
                              upto=upto, width=width, height=height)


@bp.app_template_global()
def monthly_amounts_svg(months, title=None, narrow=False):
    """SVG: an amount per month, [(label, fen)] (a supplier's accepted sales on its credit
    page), wide enough for twelve labelled bars; `narrow`: drawn for a phone's width."""
    width, height = (360, 300) if narrow else (640, 220)
    return charts.monthly_svg(months, title=title, fen=True, width=width, height=height)


EXPORT_KINDS = {"quota": _l("预留份额完成情况"), "ledger": _l("帮扶采购台账"),
                "credit": _l("供应商信用证明"), "pairing": _l("万企兴万村结对采购情况")}
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel", "pdf": "PDF"}


@bp.app_template_global()
def export_description(export):
    """A logged export as people read it on the verify page: "2026 年度 · 帮扶采购台账 · Excel"."""
    return _("%(year)s 年度 · %(kind)s · %(format)s", year=export.year,
             kind=EXPORT_KINDS.get(export.kind, export.kind),
             format=FORMAT_NAMES.get(export.format, export.format))


bp.add_app_template_global(people.filters_sentence, "export_filters_sentence")


def _region_choices(user):
    query = Region.query.filter(Region.level <= 2)
    if user.role == "auditor":
        query = Region.query.filter(Region.code.like(f"{user.organization.jurisdiction_prefix}%"),
                                    Region.level <= 3)
    choices = [("", _("全部"))]
    for region in query.order_by(Region.code):
        choices.append((region.prefix, f"{'　' * (region.level - 1)}{local_name(region)}"))
    return choices


def _parent_choices(user):
    """Units of the user's scope that have subordinate units (a select of at most 300)."""
    child = db.aliased(Organization)
    query = scopes.visible_units(user).filter(
        db.session.query(child.id).filter(child.parent_id == Organization.id).exists()) \
        .order_by(Organization.tree_path).limit(300)
    return [("", _("全部"))] + [(str(unit.id), unit.name) for unit in query]


def _filter_form(user):
    form = ReportFilterForm(request.args)
    form.year.choices = [(year, str(year)) for year in services.years_choice()]
    if not request.args.get("year"):
        form.year.data = services.default_year()
    form.status.choices = [("", _("全部"))] + [(status, charts.status_label(status))
                                              for status in services.QUOTA_STATUSES]
    if user.role == "supplier_staff":
        form.region.choices, form.parent_id.choices = [("", _("全部"))], [("", _("全部"))]
    else:
        form.region.choices = _region_choices(user)
        form.parent_id.choices = _parent_choices(user)
    return form


@bp.get("/")
@roles_required(*REPORT_ROLES)
def index():
    """Filters, a summary with charts of the selection, and a download button per format."""
    form = _filter_form(current_user)
    args = {key: request.args.get(key) or None for key in ("region", "parent_id", "status")}
    year = form.year.data or services.default_year()
    context = {"form": form, "year": year, "args": {k: v for k, v in args.items() if v},
               "ledger_args": {k: v for k, v in args.items() if v and k != "status"}}
    status = 200
    if current_user.role in services.QUOTA_ROLES:
        try:
            scope = services.resolve_scope(current_user, year, **args)
            rows, totals = services.quota_rows(scope)
        except ValidationError as error:
            context["error"] = error.message
            status = 422
        else:
            context.update(scope=scope, rows=rows, totals=totals,
                           status_svg=charts.status_counts_svg(rows),
                           completion_svg=charts.completion_histogram_svg(rows),
                           counts=charts.status_counts_chart(rows).bars)
    return render_template("reports/index.html", **context), status


@bp.get("/quota/<int:year>.<fmt>")
@roles_required(*services.QUOTA_ROLES)
def quota_download(year, fmt):
    return exports.quota_export(current_user, year, fmt, request.args)


@bp.get("/ledger/<int:year>.<fmt>")
@roles_required(*services.LEDGER_ROLES)
def ledger_download(year, fmt):
    return exports.ledger_export(current_user, year, fmt, request.args)


@bp.get("/pairings/<int:year>.<fmt>")
@roles_required("admin", "auditor")
def pairings_download(year, fmt):
    """The 万企兴万村 revitalisation view of a year as CSV or Excel."""
    return pairing_exports.pairing_export(current_user, year, fmt, request.args)


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"], methods=["POST"])
def verify():
    """Anyone (a bank officer needs no account) uploads a file the platform issued, or types
    the code printed on it: is it unaltered, and which export was it?"""
    form = VerifyForm()
    result = None
    status = 200
    if form.validate_on_submit():
        limit = current_app.config.get("MAX_UPLOAD_BYTES", 8 * 1024 * 1024)
        data = form.file.data.read(limit + 1) if form.file.data else None
        if data is not None and len(data) > limit:
            form.file.errors = [_("文件超过 %(size)s MB，无法在此核验。", size=limit // (1024 * 1024))]
            status = 413
        elif data is not None:
            result = verification.verify_upload(data, current_user)
        else:
            result = verification.verify_code(form.code.data, current_user)
        if result is not None and result.outcome in ("not_ours", "unknown"):
            status = 422
    elif form.errors:
        status = 422
    return render_template("reports/verify.html", form=form, result=result), status


@bp.get("/credit-statement/<int:supplier_id>.pdf")
@roles_required(*statements.STATEMENT_ROLES)
def credit_statement(supplier_id):
    """A supplier's credit statement (PDF) for its bank, logged and checkable."""
    export, data = statements.issue_statement(current_user, supplier_id)
    return exports.pdf_download(export, data)


@bp.get("/history")
@roles_required(*REPORT_ROLES)
def history():
    """The user's kept export files (queued, ready, expired), then the exports of the user's
    organisation (an admin: everyone's), newest first."""
    pagination = paginate(services.exports_visible_to(current_user), per_page=30)
    files = kept.visible_files(current_user).limit(50).all()
    return render_template("reports/history.html", pagination=pagination, files=files)
