"""Credit pages: a supplier's points, tier, events, the way up and its sales; the admins' and
auditors' list of suppliers; the admin's correction."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.accounts.labels import credit_tier_label
from marketplace.accounts.models import CREDIT_TIERS
from marketplace.credit import services
from marketplace.credit.forms import CorrectionForm
from marketplace.credit.labels import reason_label
from marketplace.credit.views import bp
from marketplace.i18n import translate as _
from marketplace.inputs import page_arg
from marketplace.web import paginate, run_form

READERS = ("supplier_staff", "admin", "auditor")
nav.add("credit.index", _l("信用积分"), roles=READERS, order=42)


@bp.app_context_processor
def credit_helpers():
    return {"tier_label": credit_tier_label, "reason_label": reason_label}


def _supplier_page(supplier, form=None, status=200):
    view = services.overview(supplier, page=page_arg())
    if form is None and current_user.role == "admin":
        form = CorrectionForm()
    own = current_user.role == "supplier_staff" and current_user.organization_id == supplier.id
    return render_template("credit/supplier.html", view=view, form=form, rule=services.POINTS,
                           floors=services.TIER_FLOORS,
                           can_download=own or current_user.role == "admin"), status


@bp.get("/")
@roles_required(*READERS)
def index():
    """A supplier's own credit page; for admins and auditors, every supplier's standing."""
    if current_user.role == "supplier_staff":
        return _supplier_page(services.readable_supplier(current_user,
                                                         current_user.organization_id))
    tier = request.args.get("tier") if request.args.get("tier") in CREDIT_TIERS else None
    q = (request.args.get("q") or "")[:100]
    pagination = paginate(services.standings(tier=tier, q=q), per_page=50)
    return render_template("credit/index.html", pagination=pagination, tier=tier, q=q,
                           tiers=CREDIT_TIERS, floors=dict(services.TIER_FLOORS))


@bp.get("/suppliers/<int:supplier_id>")
@roles_required(*READERS)
def supplier(supplier_id):
    return _supplier_page(services.readable_supplier(current_user, supplier_id))


@bp.post("/suppliers/<int:supplier_id>/corrections")
@roles_required("admin")
def correct(supplier_id):
    """The admin adds a correction event (points and reason)."""
    supplier = services.readable_supplier(current_user, supplier_id)
    form = CorrectionForm()
    done, event = run_form(form, lambda: services.correct(
        current_user, supplier, form.points.data, form.reason.data))
    if not done:
        return _supplier_page(supplier, form, 422)
    flash(_("已为 %(name)s 调整 %(points)+d 分。", name=supplier.name, points=event.points),
          "success")
    return redirect(url_for("credit.supplier", supplier_id=supplier.id))
