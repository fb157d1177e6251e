"""Request-wide behaviour: one commit per request, security headers, errors, template helpers."""
import logging
from urllib.parse import urlsplit

from flask import current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from wtforms.validators import StopValidation

from marketplace import database, frame, i18n, inputs, money, nav
from marketplace.errors import DomainError, field_messages
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.timeutil import to_cst

log = logging.getLogger(__name__)

CSP = ("default-src 'self'; script-src 'self' https://js.stripe.com; "
       "frame-src https://js.stripe.com https://hooks.stripe.com; "
       "connect-src 'self' https://api.stripe.com; img-src 'self' data:; "
       "style-src 'self' 'unsafe-inline'; font-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


class KeptSerializerSessions(SecureCookieSessionInterface):
    """Flask's signed session cookie, with its serializer built once per set of keys rather
    than twice on every request (reading and saving the cookie)."""

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = app.extensions.get("session_serializer")
        if kept is None or kept[0] != keys:
            kept = app.extensions["session_serializer"] = (
                keys, super().get_signing_serializer(app))
        return kept[1]


def is_api_request():
    return request.path.startswith("/api/") or request.path.startswith("/webhooks/")


def mark_failed():
    """Tell the commit hook that this request's work must not be committed."""
    g.request_failed = True


def init_app(app):
    app.session_interface = KeptSerializerSessions()

    @app.before_request
    def refuse_unstorable_text():
        # The input guard: NUL or a lone surrogate in the query string or a page's form. The
        # API's form bodies are left unread (its JSON is checked where it is parsed, and
        # reading a form here would consume the body its 415 answer looks at).
        if inputs.unstorable_request(request, form=not is_api_request()):
            message = _("请求中含有无法保存的字符（如 NUL），请检查后重试。")
            if is_api_request():
                return api_error(400, "malformed", "The request contains a character that "
                                 "cannot be stored (NUL or a lone surrogate).")
            return render_template("errors/error.html", status=400, message=message), 400

    @app.before_request
    def fresh_request_state():
        # Tests run requests inside one long-lived app context, whose `g` outlives a request:
        # forget the previous request's failure flag and Flask-Login's cached user.
        g.pop("request_failed", None)
        g.pop("_login_user", None)
        g.pop("read_before_the_transaction", None)

    @app.after_request
    def commit_once(response):
        # The single commit of the request: only when the work succeeded (and there is some:
        # a kept page that only loaded its user has none, and its session just ends).
        if response.status_code < 400 and not g.get("request_failed"):
            if database.nothing_to_commit():
                return response
            try:
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
        else:
            db.session.rollback()
        return response

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        return response


def run_form(form, action, aliases=None, back_to=None):
    """The one way a page runs a form: validate the posted form and, when valid, run
    `action()` (one service call).

    A service's refusal (any DomainError: invalid input, a duplicate or a wrong state, a
    permission) is shown next to the form's fields by `show_refusal`, so nothing typed is lost.
    A button posted from a list (`back_to` given) has no page of its own to
    show the refusal on: the refusal, or what is wrong with the form, is flashed and the value
    is a redirect to `back_to`.

    :returns: (done, value): (True, what the action returned) when it succeeded; otherwise
        (False, the status to re-render the form with: 200 for a GET, 422 for invalid input,
        the refusal's own status), or (False, the redirect) with `back_to`.
    """
    if form.validate_on_submit():
        try:
            return True, action()
        except DomainError as error:
            if back_to is not None and error.status in (403, 404):
                raise  # the error page: there is no form to show it on
            status = show_refusal(form, error, aliases, on_fields=back_to is None)
    else:
        status = 422 if form.errors else 200
        if back_to is not None:
            mark_failed()
            flash(next((e for errors in form.errors.values() for e in errors),
                       _("请检查输入。")), "error")
    return False, (status if back_to is None else redirect(back_to))


def checked_by(parse, *args, **kwargs):
    """A form field's validator that runs the service's own parser on the field's text
    (`parse(text, *args, **kwargs)`, raising a DomainError): a bad amount is then told with the
    form's other problems in the same submit, in the service's words, not on the next one."""
    def check(form, field):
        if field.data in (None, ""):
            return  # left to DataRequired / Optional
        try:
            parse(field.data, *args, **kwargs)
        except DomainError as error:
            raise StopValidation(error.message) from None
    return check


def run_button(form, action, back_to, message, then=None):
    """A button posted from a list or another page (approve, delete, take down): `run_form`
    with `back_to`; done, `message` (or message(result)) is flashed and the user goes to
    `then` (default `back_to`)."""
    done, value = run_form(form, action, back_to=back_to)
    if not done:
        return value
    flash(message(value) if callable(message) else message, "success")
    return redirect(then or back_to)


def run_on_page(form, action, page, message, then):
    """A form on a page that shows one object (a statement, an after-sales case): `run_form`;
    refused, `page(status)` (the page again, the form's problems beside its fields, what was
    typed kept); done, `message` is flashed and the user goes to `then`."""
    done, status = run_form(form, action)
    if not done:
        return page(status)
    flash(message, "success")
    return redirect(then)


class MessageSlot:
    """A place beside an input that is not one of the form's fields (one input per order line)
    where `show_refusal` puts that input's message: it has `errors`, like a form field."""

    def __init__(self):
        self.errors = []


def message_slots(form, names):
    """A MessageSlot on `form` for each input name (so a refusal naming it lands beside it);
    {name: slot} for the template."""
    slots = {name: MessageSlot() for name in names}
    for name, slot in slots.items():
        setattr(form, name, slot)
    return slots


def show_refusal(form, error, aliases=None, on_fields=True):
    """A service refused a form: undo its work and show the error next to the form's fields.

    The session is rolled back at once (so the page can still read the database after a failed
    flush) and the request is marked failed. The message goes under the first form field that
    fits each field the error names (`aliases` maps a service's field name to the form's name,
    or to a tuple of names to try in turn, or to None to skip it), or is flashed above the form
    when no field fits (or `on_fields` is false). Returns the status to re-render with: the
    error's own (403, 404, 409, 422), 422 for a bare DomainError.
    """
    mark_failed()
    db.session.rollback()
    aliases = aliases or {}
    # Each field's own message (errors.field_messages).
    messages = field_messages(error)
    placed, unplaced = False, []
    for name in (error.fields or {}) if on_fields else ():
        message = messages.get(name, error.message)
        candidates = aliases.get(name, name)
        for candidate in (candidates,) if isinstance(candidates, str) or candidates is None \
                else candidates:
            target = getattr(form, candidate or "", None)
            if target is not None and hasattr(target, "errors"):
                target.errors = list(target.errors) + [message]
                placed = True
                break
        else:
            # A field the form has no place for: its own words, or the summary when its words
            # ("请填写此项") need the field beside them to make sense.
            unplaced.append(error.message if getattr(error, "summary", False) else message)
    if not placed and not unplaced:
        flash(error.message, "error")
    for message in dict.fromkeys(unplaced):  # a collected field the form has no place for
        flash(message, "error")
    return error.status if error.status in (403, 404, 409, 422) else 422


def api_error(status, code, message, fields=None, details=None):
    """The API's error shape; `details` adds keys beside code, message and fields."""
    body = {"error": {**(details or {}), "code": code, "message": message,
                      "fields": fields or {}}}
    return jsonify(body), status


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
              415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited",
              500: "internal_error"}


def register_error_handlers(app):
    @app.errorhandler(DomainError)
    def domain_error(error):
        mark_failed()
        db.session.rollback()
        if is_api_request():
            details = dict(getattr(error, "details", None) or {})
            if error.fields:  # each field's message for a person, beside its machine code
                details["messages"] = field_messages(error)
            return api_error(error.status, error.code, error.message, error.fields, details)
        if error.status in (403, 404):
            return render_template("errors/error.html", status=error.status,
                                   message=error.message), error.status
        flash(error.message, "error")
        return redirect_back(url_for("catalog.home"))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        mark_failed()
        message = _("表单已过期或缺少安全令牌，请刷新页面后重试。")
        if is_api_request():
            return api_error(400, "csrf_failed", message)
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        mark_failed()
        status = error.code or 500
        if is_api_request():
            return api_error(status, HTTP_CODES.get(status, "error"), error.description)
        return render_template("errors/error.html", status=status,
                               message=_default_message(status)), status

    @app.errorhandler(Exception)
    def unexpected_error(error):
        mark_failed()
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if is_api_request():
            return api_error(500, "internal_error", "internal error")
        return render_template("errors/error.html", status=500,
                               message=_default_message(500)), 500


def _same_origin(url):
    return bool(url) and url.startswith(request.host_url)


def back_url(default):
    """Where "go back" leads: the page the user came from when it is on this site (never
    another one, whatever the Referer says), else `default`."""
    return request.referrer if _same_origin(request.referrer) else default


def redirect_back(default):
    """A redirect to the page the user came from on this site, else to `default`."""
    return redirect(back_url(default))


def paginate(query, per_page=None):
    """One page of a query's rows for a list page: the page number from `?page=` (1 when
    missing or not a number), `per_page` rows (the app's PER_PAGE_DEFAULT when None); a page
    past the end is empty, never a 404."""
    return query.paginate(page=inputs.page_arg(),
                          per_page=per_page or current_app.config["PER_PAGE_DEFAULT"],
                          error_out=False)


def safe_next(target):
    """A `next` parameter when it is a same-site path (so it cannot send a user elsewhere),
    else None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _default_message(status):
    messages = {
        400: _("请求有误，请检查后重试。"),
        401: _("请先登录。"),
        403: _("您没有权限访问此页面。"),
        404: _("页面不存在。"),
        405: _("不支持此操作。"),
        413: _("上传的文件过大。"),
        429: _("操作过于频繁，请稍后再试。"),
        500: _("服务器出错了，我们会尽快处理。"),
    }
    return messages.get(status, _("出错了。"))


def register_template_helpers(app):
    frame.init_app(app)

    @app.template_filter("yuan")
    def yuan_filter(fen):
        return money.format_yuan(fen)

    # {{ totals.reserved|amount }}: yuan already (a Decimal or the API's text) → 1,130,000.00
    app.add_template_filter(money.amount_text, "amount")

    # {{ category|local_name }}, {{ local_name(card.origin_name, card.origin_name_en) }}
    app.add_template_filter(i18n.local_name, "local_name")
    app.add_template_global(i18n.local_name, "local_name")

    # {{ order.due_date|day }} → 2026年12月4日; {{ entry.at|day(True) }} adds the time (CST).
    app.add_template_filter(i18n.format_day, "day")

    @app.template_filter("cst")
    def cst_filter(moment, fmt="%Y-%m-%d %H:%M"):
        """A moment in Beijing time for people: the date in the reader's format (2026年12月4日)
        through `i18n.format_day`, then the time as `fmt` asks (" %H:%M")."""
        if moment is None:
            return "—"
        local = to_cst(moment)
        if fmt.startswith("%Y-%m-%d"):
            return i18n.format_day(local.date()) + local.strftime(fmt[len("%Y-%m-%d"):])
        return local.strftime(fmt)

    @app.template_global()
    def url_with(**overrides):
        """The current page's URL with some query arguments replaced (pagination, sorting)."""
        args = request.args.to_dict()
        args.update({key: value for key, value in overrides.items()})
        args = {key: value for key, value in args.items() if value not in (None, "")}
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    @app.context_processor
    def inject_globals():
        return {
            "nav_items": nav.items_for_current_user,
            "nav_menu": nav.menu_for_current_user,
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
        }
