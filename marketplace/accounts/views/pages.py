"""Accounts pages: log in, log out, choose the language."""
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from marketplace import nav
from marketplace.accounts import labels, services
from marketplace.accounts.auth import roles_required
from marketplace.accounts.forms import (
    AddressForm,
    FIELD_ALIASES,
    ChangePasswordForm,
    LoginForm,
    MemberForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    ThresholdForm,
    region_choices,
)
from marketplace.accounts.views import bp
from marketplace.extensions import limiter, login_attempts
from marketplace.i18n import translate as _
from marketplace.money import fen_to_yuan
from marketplace.web import run_form, safe_next

ALL_ROLES = ("purchaser", "unit_manager", "supplier_staff", "auditor", "admin")

nav.add("accounts.login", _l("登录"), roles=("anonymous",), order=90)
nav.add("accounts.register", _l("注册"), roles=("anonymous",), order=91)
nav.add("accounts.my_organization", _l("我的单位"), roles=(), order=80)


# Templates name roles, organisation kinds and statuses in the reader's language.
bp.add_app_template_global(labels.role_label, "role_label")
bp.add_app_template_global(labels.kind_label, "kind_label")
bp.add_app_template_global(labels.status_label, "org_status_label")


@bp.route("/login", methods=["GET", "POST"])
@login_attempts
def login():
    if current_user.is_authenticated:
        return redirect(nav.start_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            services.start_login(user)
            login_user(user, remember=form.remember.data)
            flash(_("欢迎，%(name)s。", name=user.name), "success")
            return redirect(safe_next(request.args.get("next")) or nav.start_url(user))
        # One message for every failure: no hint whether the e-mail exists.
        flash(_("电子邮箱或密码错误，或账户尚未通过审核。"), "error")
        return render_template("accounts/login.html", form=form), 401
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    # Ended on the server too: a copy of this session or remember-me cookie signs nobody in.
    services.end_login(current_user)
    logout_user()
    flash(_("您已退出登录。"), "success")
    return redirect(url_for("catalog.home"))


@bp.route("/language/<code>", methods=["GET", "POST"])
def set_language(code):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
    return redirect(safe_next(request.args.get("next")) or url_for("catalog.home"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def register():
    """Self-registration of a buyer organisation or a supplier; it waits for the admin."""
    if current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    form = RegisterForm()
    form.region_code.choices = region_choices()
    done, status = run_form(form, lambda: services.register_organization(
        form.org_name.data, form.kind.data, form.region_code.data, form.contact_name.data,
        form.email.data, form.password.data, contact_phone=form.contact_phone.data or None,
        credit_code=form.credit_code.data or None), FIELD_ALIASES)
    if done:
        return redirect(url_for("accounts.registered"))
    return render_template("accounts/register.html", form=form), status


@bp.get("/register/done")
def registered():
    return render_template("accounts/registered.html")


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the e-mail is known."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("如果该邮箱已注册，我们已发送一封包含重置链接的邮件，链接一小时内有效。"), "success")
        return redirect(url_for("accounts.login"))
    status = 422 if form.errors else 200
    return render_template("accounts/forgot.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def reset_password(token):
    """Choose a new password from an e-mailed link."""
    if services.user_for_reset_token(token) is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = ResetPasswordForm()
    done, status = run_form(form, lambda: services.reset_password(token, form.password.data),
                            FIELD_ALIASES)
    if done:
        if current_user.is_authenticated:
            logout_user()
        flash(_("密码已更新，请用新密码登录。"), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form), status


def _my_page(member_form=None, threshold_form=None, status=200):
    org = current_user.organization
    if threshold_form is None:
        threshold = org.approval_threshold_fen
        threshold_form = ThresholdForm(formdata=None, approval_threshold=(
            fen_to_yuan(threshold) if threshold is not None else ""))
    member_form = member_form or MemberForm(formdata=None)
    return render_template(
        "accounts/my_organization.html", org=org, members=services.members_of(org),
        member_form=member_form, threshold_form=threshold_form,
        subordinates=services.subordinate_units(org) if org.kind == "budget_unit" else [],
        can_add=services.can_manage_members(current_user),
        can_set_threshold=current_user.role == "unit_manager" and org.kind == "budget_unit",
        can_keep_addresses=services.can_manage_addresses(current_user)), status


@bp.get("/my/organization")
@roles_required(*ALL_ROLES)
def my_organization():
    """The user's own organisation: its details and its people."""
    return _my_page()


@bp.post("/my/organization/members")
@roles_required("unit_manager", "supplier_staff")
def add_member():
    """A unit manager adds a purchaser (or manager) to its unit; supplier staff add staff."""
    form = MemberForm()
    role = form.role.data if current_user.role == "unit_manager" else "supplier_staff"
    done, result = run_form(form, lambda: services.add_member(
        current_user, form.email.data, form.password.data, form.name.data, role), FIELD_ALIASES)
    if done:
        flash(_("已添加用户 %(name)s。", name=result.name), "success")
        return redirect(url_for("accounts.my_organization"))
    return _my_page(member_form=form, status=result)


@bp.post("/my/organization/threshold")
@roles_required("unit_manager")
def set_threshold():
    """The unit manager sets the amount above which orders wait for approval."""
    form = ThresholdForm()
    done, status = run_form(form, lambda: services.set_approval_threshold(
        current_user, current_user.organization, form.approval_threshold.data), FIELD_ALIASES)
    if done:
        flash(_("审批额度已保存。"), "success")
        return redirect(url_for("accounts.my_organization"))
    return _my_page(threshold_form=form, status=status)


def _require_address_keeper():
    if not services.can_manage_addresses(current_user):
        abort(403)


@bp.route("/my/organization/addresses", methods=["GET", "POST"])
@roles_required("unit_manager", "purchaser")
def addresses():
    """The organisation's saved delivery addresses, and a form to add one."""
    _require_address_keeper()
    form = AddressForm()
    if _save_address(form):
        return redirect(url_for("accounts.addresses"))
    return render_template("accounts/addresses.html", form=form,
                           addresses=services.addresses_of(current_user.organization)), form.status


@bp.route("/my/organization/addresses/<int:address_id>", methods=["GET", "POST"])
@roles_required("unit_manager", "purchaser")
def edit_address(address_id):
    _require_address_keeper()
    entry = services.own_address(current_user, address_id)
    form = AddressForm(obj=entry)
    if _save_address(form, entry.id):
        return redirect(url_for("accounts.addresses"))
    return render_template("accounts/address_edit.html", form=form, entry=entry), form.status


def _save_address(form, address_id=None):
    """Save the posted address; False (and form.status) when there is nothing saved."""
    done, form.status = run_form(form, lambda: services.save_address(
        current_user, form.label.data, form.recipient.data, form.phone.data, form.address.data,
        address_id=address_id), FIELD_ALIASES)
    if done:
        flash(_("收货地址已保存。"), "success")
    return done


@bp.post("/my/organization/addresses/<int:address_id>/delete")
@roles_required("unit_manager", "purchaser")
def delete_address(address_id):
    _require_address_keeper()
    services.delete_address(current_user, address_id)
    flash(_("收货地址已删除。"), "success")
    return redirect(url_for("accounts.addresses"))


@bp.route("/my/password", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def change_password():
    """The logged-in user chooses a new password (knowing the current one)."""
    form = ChangePasswordForm()
    done, status = run_form(form, lambda: services.change_password(
        current_user, form.current_password.data, form.password.data), FIELD_ALIASES)
    if done:
        # The new password ends every login made with the old one: log this one in again,
        # with a fresh remember-me cookie if it had one.
        remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
        user = current_user._get_current_object()
        services.start_login(user)
        login_user(user, remember=remember_cookie in request.cookies)
        flash(_("密码已修改。"), "success")
        return redirect(url_for("accounts.my_organization"))
    return render_template("accounts/change_password.html", form=form), status
