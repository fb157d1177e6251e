"""What every API endpoint shares: bearer-token auth, JSON bodies, pagination, serialisation."""
import base64
import binascii
import hashlib
import io
import json
import secrets
from datetime import timedelta
from functools import wraps

from flask import current_app, g, request
from flask_login import AnonymousUserMixin
from werkzeug.datastructures import FileStorage

from marketplace.accounts.models import ApiToken
from marketplace.database import MAX_ID
from marketplace.errors import DomainError, PermissionDenied, ValidationError
from marketplace.inputs import unstorable_json
from marketplace.extensions import db
from marketplace.timeutil import utcnow

MAX_PER_PAGE = 200
# Integers in bodies must fit the database's INTEGER columns (ids, quantities, years).
INT_MIN, INT_MAX = -(MAX_ID + 1), MAX_ID  # the range of an INTEGER column
# last_used_at is written at most this often per token, so reads do not all become writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class Unauthorized(DomainError, status=401, code="unauthorized"):
    """No bearer token, or one that is unknown, expired or revoked (401)."""


class Malformed(DomainError, status=400, code="malformed"):
    """The body is not the JSON object the endpoint reads (400)."""


class UnsupportedMediaType(DomainError, status=415, code="unsupported_media_type"):
    """A body that is not sent as application/json (415)."""


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user):
    """A new bearer token for `user`; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    ttl = timedelta(hours=current_app.config["API_TOKEN_TTL_HOURS"])
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token),
                            expires_at=utcnow() + ttl))
    return token


def token_from_header():
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _find_token():
    """The valid ApiToken of this request, or the Unauthorized error saying why there is none."""
    raw = token_from_header()
    if raw is None:
        return Unauthorized("Authentication required: send Authorization: Bearer <token>.",
                            code="unauthorized")
    token = ApiToken.query.filter_by(token_hash=hash_token(raw)).first()
    if token is None:
        return Unauthorized("The token is not valid.", code="invalid_token")
    if token.revoked_at is not None:
        return Unauthorized("The token has been revoked.", code="token_revoked")
    if token.expires_at <= utcnow():
        return Unauthorized("The token has expired; ask for a new one.", code="token_expired")
    if not token.user.is_active:
        return Unauthorized("The account is disabled.", code="account_disabled")
    return token


def authenticated_token():
    """The valid ApiToken of this request (its user becomes current_user).

    :raises Unauthorized: missing, unknown, expired or revoked, or the account is disabled.
    """
    if "api_token" not in g:
        result = _find_token()
        if isinstance(result, Unauthorized):
            raise result
        now = utcnow()
        if result.last_used_at is None or now - result.last_used_at >= LAST_USED_RESOLUTION:
            result.last_used_at = now
        g.api_token = result
        g.api_user = result.user
        # Flask-Login's current_user is the token's user for the rest of the request (the
        # session cookie is never read by the API), so the audit trail names the right actor.
        g._login_user = result.user
    return g.api_token


def optional_token():
    """The valid ApiToken of this request, or None (no exception) when there is none."""
    try:
        return authenticated_token()
    except Unauthorized:
        return None


def require_auth(*roles):
    """Decorator: a valid bearer token, and one of `roles` when given (403 otherwise).

    The API never reads the session cookie, so it needs no CSRF token.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = authenticated_token()
            if roles and token.user.role not in roles:
                raise PermissionDenied(f"This needs the role {' or '.join(roles)}.",
                                       code="forbidden")
            return view(*args, **kwargs)

        wrapped.api_roles = roles
        return wrapped

    return decorator


def api_user():
    """The user the current API request acts for."""
    return g.api_user


def forget_session_user():
    """Start an API request afresh: no token or body cached yet, and an anonymous current_user
    until a token names its user (an app context, and so `g`, can outlive one request in tests)."""
    for name in ("api_token", "api_user", "api_json_body", "idempotency_row"):
        g.pop(name, None)
    g._login_user = AnonymousUserMixin()


def _is_json_mimetype(mimetype):
    return mimetype == "application/json" or (mimetype.startswith("application/")
                                              and mimetype.endswith("+json"))


def json_body(optional=False):
    """The request's JSON object.

    :param optional: an empty body is read as {} (for endpoints whose body is optional).
    :raises UnsupportedMediaType: a body that is not declared as JSON (415).
    :raises Malformed: not JSON, or not an object (400).
    """
    if "api_json_body" in g:
        return g.api_json_body
    raw = request.get_data(cache=True)
    if not raw.strip():
        if optional:
            return {}
        raise Malformed("The body must be a JSON object.", code="malformed")
    if request.mimetype and not _is_json_mimetype(request.mimetype):
        raise UnsupportedMediaType("Send the body as JSON with Content-Type: application/json.")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise Malformed("The body is not valid JSON.", code="malformed") from None
    if not isinstance(data, dict):
        raise Malformed("The body must be a JSON object.", code="malformed")
    if unstorable_json(data):
        raise Malformed("Strings must not contain NUL characters or lone surrogates.",
                        code="malformed")
    g.api_json_body = data
    return data


# What each kind of `field` accepts.
FIELD_KINDS = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "dict": lambda v: isinstance(v, dict),
    "money": lambda v: isinstance(v, (str, int)) and not isinstance(v, bool),
}


def field(data, name, kind, *, required=True, default=None):
    """One field of a JSON body, checked for its type.

    :param kind: "str", "int", "bool", "list", "dict" or "money", or a tuple of them for a
        field that may take either (an id or a name).

    :raises ValidationError: missing when required, or of the wrong type (money: a string or
        integer amount, never a float; int: within the database's 32-bit integers).
    """
    if name not in data or data[name] is None:
        if required:
            raise ValidationError(f"'{name}' is required.", fields={name: "required"})
        return default
    value = data[name]
    kinds = (kind,) if isinstance(kind, str) else kind
    matched = next((each for each in kinds if FIELD_KINDS[each](value)), None)
    if matched is None:
        expected = " or ".join(kinds)
        raise ValidationError(f"'{name}' must be of type {expected}.",
                              fields={name: f"expected {expected}"})
    if matched == "int" and not INT_MIN <= value <= INT_MAX:
        raise ValidationError(f"'{name}' is out of range.", fields={name: "out_of_range"})
    if matched == "str" and "\x00" in value:
        raise ValidationError(f"'{name}' must not contain NUL characters.",
                              fields={name: "invalid"})
    return value


def uploaded_file(item, where, default_name="file", field_name=None):
    """An uploaded file sent in JSON as {"filename", "content" (base64)}, as a FileStorage the
    services read like a page's upload (they check its kind and size).

    :param field_name: the field a bad content is told on (`where` by default).
    :raises ValidationError: not an object (field `where`), no filename, or content that is
        not base64.
    """
    if not isinstance(item, dict):
        raise ValidationError(f"'{where}' must be an object.", fields={where: "expected dict"})
    name = field(item, "filename", "str")
    try:
        data = base64.b64decode(field(item, "content", "str"), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(f"'{where}.content' must be base64.",
                              fields={field_name or where: "not_base64"}) from None
    return FileStorage(stream=io.BytesIO(data), filename=name[:200] or default_name)


def page_args():
    """(page, per_page) from the query string: per_page capped at 200.

    :raises ValidationError: non-numeric or non-positive values.
    """
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 50))
    except ValueError:
        raise ValidationError("page and per_page must be integers.",
                              fields={"page": "integer"}) from None
    if page < 1 or per_page < 1:
        raise ValidationError("page and per_page must be positive.", fields={"page": "positive"})
    if page > INT_MAX // MAX_PER_PAGE:
        raise ValidationError("page is out of range.", fields={"page": "out_of_range"})
    return page, min(per_page, MAX_PER_PAGE)


def paginate(query, serialize):
    """The API's list shape for a SQLAlchemy query: {"items", "page", "per_page", "total"}."""
    page, per_page = page_args()
    total = query.order_by(None).count()
    items = query.limit(per_page).offset((page - 1) * per_page).all()
    return {"items": [serialize(item) for item in items], "page": page,
            "per_page": per_page, "total": total}
