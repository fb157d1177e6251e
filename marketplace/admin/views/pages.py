"""The admin console: pending registrations, organisations and users (the audit trail is in
`trail`)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func

from marketplace import nav
from marketplace.accounts import services as accounts
from marketplace.accounts.auth import roles_required
from marketplace.accounts.forms import FIELD_ALIASES
from marketplace.accounts.models import (
    ORG_KINDS,
    ORG_STATUSES,
    ROLES,
    ROLES_BY_KIND,
    Organization,
    User,
)
from marketplace.admin import trail_view, waiting
from marketplace.admin.forms import OrganizationForm, ReviewForm, UserForm
from marketplace.admin.views import bp
from marketplace.audit import services as audit
from marketplace.database import get_or_not_found
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.jobs.schedule import SCHEDULE, recent_runs
from marketplace.money import fen_to_yuan
from marketplace.web import paginate, redirect_back, run_form

nav.add("admin.home", _l("管理后台"), roles=("admin",), order=70)
nav.set_start("admin", "admin.home")


def _organization(org_id):
    return get_or_not_found(Organization, org_id, _("组织不存在。"))


@bp.get("/")
@roles_required("admin")
def home():
    """What waits for the admin: every queue with its count, the pending registrations in
    full, and counts by kind."""
    pending = (Organization.query.filter_by(status="pending")
               .order_by(Organization.created_at).limit(50).all())
    counts = dict(db.session.query(Organization.kind, func.count(Organization.id))
                  .group_by(Organization.kind).all())
    users = db.session.query(func.count(User.id)).scalar()
    return render_template("admin/home.html", queues=waiting.queues_for(current_user),
                           pending=pending, counts=counts, users=users)


@bp.get("/organizations")
@roles_required("admin")
def organizations():
    """Every organisation, filtered by kind, status and name."""
    kind = request.args.get("kind") or None
    status = request.args.get("status") or None
    q = (request.args.get("q") or "").strip()
    query = Organization.query
    if kind in ORG_KINDS:
        query = query.filter(Organization.kind == kind)
    if status in ORG_STATUSES:
        query = query.filter(Organization.status == status)
    if q:
        query = query.filter(Organization.name.contains(q))
    page = paginate(query.order_by(Organization.kind, Organization.tree_path, Organization.id))
    return render_template("admin/organizations.html", page=page, kind=kind, status=status, q=q,
                           kinds=ORG_KINDS, statuses=ORG_STATUSES)


def _org_fields(form):
    return {key: getattr(form, key).data or None for key in accounts.EDITABLE_FIELDS}


@bp.route("/organizations/new", methods=["GET", "POST"])
@roles_required("admin")
def new_organization():
    """Create an organisation of any kind (active at once): a unit in the tree, a union of a
    unit, an enterprise, a supplier, an audit office."""
    form = OrganizationForm().fill_choices()

    done, result = run_form(form, lambda: accounts.admin_create_organization(
        current_user, form.name.data, form.kind.data, form.region_code.data,
        parent=form.parent_id.data or None, budget_unit=form.budget_unit_id.data or None,
        approval_threshold=form.approval_threshold.data or None, **_org_fields(form)),
        FIELD_ALIASES)
    if done:
        flash(_("已创建组织 %(name)s。", name=result.name), "success")
        return redirect(url_for("admin.organization", org_id=result.id))
    return render_template("admin/organization_new.html", form=form), result


def _org_page(org, edit_form=None, user_form=None, review_form=None, status=200):
    if edit_form is None:
        edit_form = OrganizationForm(formdata=None, obj=org).fill_choices(org)
        edit_form.parent_id.data = org.parent_id or 0
        edit_form.budget_unit_id.data = org.budget_unit_id or 0
        edit_form.approval_threshold.data = (fen_to_yuan(org.approval_threshold_fen)
                                             if org.approval_threshold_fen is not None else "")
    if user_form is None:
        user_form = UserForm(formdata=None)
    user_form.role.choices = [choice for choice in user_form.role.choices
                              if choice.value in ROLES_BY_KIND[org.kind]]
    review_form = review_form or ReviewForm(formdata=None)
    actions = [action for action, (allowed, _target) in accounts.REVIEW_ACTIONS.items()
               if org.status in allowed and org.kind != "platform"]
    review_form.action.choices = [choice for choice in review_form.action.choices
                                  if choice.value in actions]
    children = Organization.query.filter_by(parent_id=org.id).order_by(Organization.name).all()
    unions = Organization.query.filter_by(budget_unit_id=org.id, kind="union").all()
    return render_template("admin/organization.html", org=org, edit_form=edit_form,
                           user_form=user_form, review_form=review_form, actions=actions,
                           members=accounts.members_of(org), children=children, unions=unions,
                           trail=trail_view.describe(audit.entries_for("organizations", org.id))), status


@bp.get("/organizations/<int:org_id>")
@roles_required("admin")
def organization(org_id):
    """One organisation: details, review, edit, users, subordinate units and its trail."""
    return _org_page(_organization(org_id))


@bp.post("/organizations/<int:org_id>/edit")
@roles_required("admin")
def edit_organization(org_id):
    org = _organization(org_id)
    form = OrganizationForm().fill_choices(org)
    form.kind.data = org.kind
    return _on_org_page(org, form, "edit_form", lambda: accounts.update_organization(
        current_user, org, name=form.name.data, region_code=form.region_code.data,
        parent=form.parent_id.data or None, budget_unit=form.budget_unit_id.data or None,
        approval_threshold=form.approval_threshold.data, **_org_fields(form)),
        _("组织信息已保存。"))


@bp.post("/organizations/<int:org_id>/status")
@roles_required("admin")
def review(org_id):
    """Approve or reject a registration, suspend or reactivate an organisation."""
    org = _organization(org_id)
    form = ReviewForm()
    messages = {"approve": _("已通过审核，已通知申请人。"), "reject": _("已驳回，已通知申请人。"),
                "suspend": _("组织已暂停。"), "reactivate": _("组织已恢复。")}
    return _on_org_page(org, form, "review_form", lambda: accounts.set_organization_status(
        current_user, org, form.action.data, form.note.data),
        lambda _org: messages[form.action.data])


@bp.post("/organizations/<int:org_id>/users")
@roles_required("admin")
def add_user(org_id):
    """Create a user in this organisation, with a role its kind allows."""
    org = _organization(org_id)
    form = UserForm()
    return _on_org_page(org, form, "user_form", lambda: accounts.create_user(
        form.email.data, form.password.data, form.name.data, org, form.role.data,
        actor=current_user), lambda user: _("已添加用户 %(name)s。", name=user.name))


def _on_org_page(org, form, name, action, message):
    """Run one of the organisation page's forms: done, back to the page with `message` (or
    message(result)); refused, the page again with the form as `name`."""
    done, value = run_form(form, action, FIELD_ALIASES)
    if done:
        flash(message(value) if callable(message) else message, "success")
        return redirect(url_for("admin.organization", org_id=org.id))
    return _org_page(_organization(org.id), **{name: form}, status=value)


@bp.get("/users")
@roles_required("admin")
def users():
    """Every user, by role and by name or e-mail."""
    role = request.args.get("role") or None
    q = (request.args.get("q") or "").strip()
    query = User.query.join(Organization, User.organization_id == Organization.id)
    if role in ROLES:
        query = query.filter(User.role == role)
    if q:
        like = f"%{q.lower()}%"
        query = query.filter(db.or_(User.email.like(like), User.name.contains(q),
                                    Organization.name.contains(q)))
    page = paginate(query.order_by(User.id))
    return render_template("admin/users.html", page=page, role=role, q=q, roles=ROLES)


@bp.post("/users/<int:user_id>/active")
@roles_required("admin")
def set_user_active(user_id):
    """Deactivate (active=0) or reactivate (active=1) a user."""
    user = get_or_not_found(User, user_id, _("用户不存在。"))
    active = request.form.get("active") == "1"
    accounts.set_user_active(current_user, user, active)
    flash(_("已启用用户 %(email)s。", email=user.email) if active
          else _("已停用用户 %(email)s。", email=user.email), "success")
    return redirect_back(url_for("admin.users"))


@bp.get("/jobs")
@roles_required("admin")
def job_runs():
    """The scheduler's recent runs: when, which job, how many it handled, or its error."""
    return render_template("admin/jobs.html", runs=recent_runs(200), schedule=SCHEDULE)
