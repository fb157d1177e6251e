"""Accounts pages: log in, log out, choose the language."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from marketplace import nav
from marketplace.accounts import services
from marketplace.accounts.forms import LoginForm
from marketplace.extensions import limiter

bp = Blueprint("accounts", __name__)

nav.add("accounts.login", _l("登录"), roles=("anonymous",), order=90)


def _safe_next(target):
    """Only same-site relative paths, so `next` cannot send a user elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(_("欢迎，%(name)s。", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("catalog.home"))
        # One message for every failure: no hint whether the e-mail exists.
        flash(_("电子邮箱或密码错误，或账户尚未通过审核。"), "error")
        return render_template("accounts/login.html", form=form), 401
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("您已退出登录。"), "success")
    return redirect(url_for("catalog.home"))


@bp.route("/language/<code>", methods=["GET", "POST"])
def set_language(code):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
    return redirect(_safe_next(request.args.get("next")) or url_for("catalog.home"))
