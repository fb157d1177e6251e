"""Pairing pages: the enterprise's pairings and their progress, the admin's pairings, requests and
decisions, and the rural-revitalisation view. Thin: parse, call the services, render."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import Organization
from marketplace.catalog.models import SupplierCertification
from marketplace.errors import ValidationError
from marketplace.extensions import db
from marketplace.forms import ActionForm, ReasonForm
from marketplace.i18n import translate as _
from marketplace.money import fen_str
from marketplace.pairings import labels, services
from marketplace.pairings.forms import NewPairingForm, RequestPairingForm
from marketplace.pairings.models import PAIRING_STATUSES, Pairing, Village
from marketplace.pairings.views import bp
from marketplace.regions.models import Region
from marketplace.timeutil import this_year
from marketplace.web import mark_failed, paginate, run_form

USER_ROLES = ("purchaser", "supplier_staff", "admin")
PER_PAGE = 50
# Service field names that no field of the pairing forms shows: their errors are flashed.
FORM_FIELDS = {"projects": None, "county_code": None}


def uses_pairings(user):
    """Who the pairing pages are for: enterprises' buyers (not budget units'), cooperatives, the
    admin."""
    return user.role != "purchaser" or services.is_enterprise_buyer(user)


nav.add("pairings.index", _l("万企兴万村"), roles=USER_ROLES, order=35, when=uses_pairings)
nav.add("pairings.overview", _l("乡村振兴"), roles=services.OVERVIEW_ROLES, order=36)


@bp.app_context_processor
def pairing_labels():
    return {"pairing_status_labels": labels.PAIRING_STATUS_LABELS,
            "pace_labels": labels.PACE_LABELS, "project_labels": labels.PROJECT_LABELS,
            "need_kind_labels": labels.NEED_KIND_LABELS,
            "need_status_labels": labels.NEED_STATUS_LABELS}


def year_arg(default=None):
    """?year= as an int within the services' range, `default` when absent. A bad one is 400."""
    value = (request.args.get("year") or "").strip()
    if not value:
        return default
    if not value.isdigit() or not services.MIN_YEAR <= int(value) <= services.MAX_YEAR:
        abort(400)
    return int(value)


def _enterprise_buyer_or_403():
    if not services.is_enterprise_buyer(current_user):
        abort(403)


@bp.get("/")
@roles_required(*USER_ROLES)
def index():
    """The enterprise's and the cooperative's pairings with their progress; for the admin every
    pairing of a year, with the requests waiting for a decision first."""
    if not uses_pairings(current_user):
        abort(403)
    admin = current_user.role == "admin"
    year = year_arg(this_year() if admin else None)
    status = request.args.get("status") or None
    if status is not None and status not in PAIRING_STATUSES:
        abort(400)
    query = services.visible_pairings(current_user).join(
        Organization, Organization.id == Pairing.enterprise_id)
    if year is not None:
        query = query.filter(Pairing.year == year)
    if status:
        query = query.filter(Pairing.status == status)
    pagination = paginate(query.order_by(Pairing.year.desc(), Village.county_code, Village.name,
                                         Organization.name, Pairing.id), per_page=PER_PAGE)
    requests = Pairing.query.filter_by(status="requested").order_by(Pairing.created_at).all() \
        if admin else []
    shown = list(pagination.items) + [p for p in requests if p not in pagination.items]
    return render_template("pairings/index.html", pagination=pagination, requests=requests,
                           progress=services.progress_map(shown), year=year, status=status,
                           years=_years(), action_form=ActionForm())


def _years():
    this = this_year()
    return list(range(this + 1, this - 5, -1))


@bp.get("/<int:pairing_id>")
@roles_required(*services.READER_ROLES)
def detail(pairing_id, reject_form=None, end_form=None, status=200):
    """One pairing: its village, cooperatives, projects, progress and pace, and the order lines
    behind the purchased amount; the admin's decisions."""
    pairing = services.get_pairing(pairing_id, current_user)
    state = services.progress_map([pairing])[pairing.id]
    lines = services.pairing_lines(pairing)
    return render_template(
        "pairings/detail.html", pairing=pairing, state=state, lines=lines,
        lines_total=sum(line["counted_fen"] for line in lines), action_form=ActionForm(),
        reject_form=reject_form or ReasonForm(prefix="reject"),
        end_form=end_form or ReasonForm(prefix="end"),
        households=services.households_reached(pairing)), status


def _pairing_choices(form, county_code, village=None):
    """The county's certified cooperatives as the form's checkboxes."""
    suppliers = services.county_suppliers_query(county_code).all() if county_code else []
    form.supplier_ids.choices = [SelectChoice(s.id, s.name) for s in suppliers]
    if request.method == "GET" and village is not None and not form.supplier_ids.data:
        form.supplier_ids.data = [s.id for s in suppliers]
    return suppliers


def _counties_with_suppliers():
    """Counties with at least one certified cooperative: where a pairing can be made."""
    codes = db.select(SupplierCertification.region_code).where(
        SupplierCertification.status == "approved")
    return Region.query.filter(Region.level == 3, Region.code.in_(codes)).order_by(Region.code) \
        .all()


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def new():
    """The admin pairs an enterprise with a village: first the county (its cooperatives are
    then listed), then the enterprise, village, year, target, cooperatives and projects."""
    form = NewPairingForm()
    counties = _counties_with_suppliers()
    county_code = form.county_code.data if request.method == "POST" else \
        (request.args.get("county") or "").strip()
    county = next((c for c in counties if c.code == county_code), None)
    form.enterprise_id.choices = [SelectChoice("", _("（请选择）"))] + [
        SelectChoice(str(org.id), org.name) for org in Organization.query.filter_by(
            kind="enterprise", status="active").order_by(Organization.name)]
    if request.method == "GET":
        form.county_code.data = county.code if county else ""
        form.year.data = form.year.data or this_year()
        form.enterprise_id.data = request.args.get("enterprise_id", "")
        form.village.data = request.args.get("village", "")
    _pairing_choices(form, county.code if county else None)
    done, status = run_form(form, lambda: services.create_pairing(
        current_user, form.enterprise_id.data, form.village.data, form.county_code.data,
        form.supplier_ids.data, form.year.data, form.target_amount.data, form.project_data()),
        FORM_FIELDS)
    if done:
        return _to_detail(status, _("已创建结对：%(enterprise)s — %(village)s（%(year)s 年度）。",
                                  enterprise=status.enterprise.name,
                                  village=status.village.name, year=status.year))
    villages = Village.query.filter_by(county_code=county.code).order_by(Village.name).all() \
        if county else []
    return render_template("pairings/new.html", form=form, counties=counties, county=county,
                           villages=villages), status


@bp.route("/villages/<int:village_id>/request", methods=["GET", "POST"])
@roles_required("purchaser")
def request_pairing(village_id):
    """An enterprise asks to pair with a village (from the board); the admin decides."""
    _enterprise_buyer_or_403()
    village = services.get_village(village_id)
    form = RequestPairingForm()
    if request.method == "GET":
        form.year.data = this_year()
    suppliers = _pairing_choices(form, village.county_code, village)
    done, status = run_form(form, lambda: services.request_pairing(
        current_user, village, form.supplier_ids.data, form.year.data, form.target_amount.data,
        form.project_data(), form.note.data), FORM_FIELDS)
    if done:
        return _to_detail(status, _("结对申请已提交，平台审核后会通知您。"))
    return render_template("pairings/request.html", form=form, village=village,
                           suppliers=suppliers), status


def _to_detail(pairing, message):
    flash(message, "success")
    return redirect(url_for("pairings.detail", pairing_id=pairing.id))


def _admin_pairing(pairing_id):
    return services.get_pairing(pairing_id, current_user)


@bp.post("/<int:pairing_id>/approve")
@roles_required("admin")
def approve(pairing_id):
    pairing = _admin_pairing(pairing_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.approve_pairing(current_user, pairing)
    flash(_("已批准 %(enterprise)s 与 %(village)s 结对。", enterprise=pairing.enterprise.name,
            village=pairing.village.name), "success")
    if request.form.get("next") == "index":
        return redirect(url_for("pairings.index"))
    return redirect(url_for("pairings.detail", pairing_id=pairing.id))


@bp.post("/<int:pairing_id>/reject")
@roles_required("admin")
def reject(pairing_id):
    return _with_reason(pairing_id, "reject", services.reject_pairing, _("已驳回该结对申请。"))


@bp.post("/<int:pairing_id>/end")
@roles_required("admin")
def end(pairing_id):
    return _with_reason(pairing_id, "end", services.end_pairing, _("结对已结束。"))


def _with_reason(pairing_id, name, decision, message):
    """The admin's decision that needs a reason (reject, end): its form is `<name>_form` on
    the pairing's page, shown again with the refusal."""
    pairing = _admin_pairing(pairing_id)
    form = ReasonForm(prefix=name)
    done, _status = run_form(form, lambda: decision(current_user, pairing, form.reason.data))
    if done:
        return _to_detail(pairing, message)
    return detail(pairing.id, **{f"{name}_form": form}, status=422)


@bp.get("/overview")
@roles_required(*services.OVERVIEW_ROLES)
def overview():
    """乡村振兴: every pairing of the year by county and village, target against purchased, the
    enterprises behind, the villages without a partner; downloads as CSV and Excel."""
    year = year_arg(this_year())
    region = (request.args.get("county") or "").strip() or None
    try:
        view = services.overview(current_user, year, region)
    except ValidationError as error:
        mark_failed()
        flash(error.message, "error")
        return redirect(url_for("pairings.overview", year=year))
    counties = Region.query.filter(Region.code.in_(
        db.select(Village.county_code).distinct())).order_by(Region.code).all()
    if current_user.role == "auditor":
        prefix = current_user.organization.jurisdiction_prefix
        counties = [c for c in counties if c.code.startswith(prefix)]
    return render_template("pairings/overview.html", view=view, year=year, region=region,
                           counties=counties, years=_years(), plain_yuan=fen_str)

