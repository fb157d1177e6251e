"""What every API endpoint shares: bearer-token auth, JSON bodies, pagination, serialisation."""
import hashlib
import secrets
from datetime import timedelta
from functools import wraps

from flask import current_app, g, request

from marketplace.accounts.models import ApiToken
from marketplace.errors import DomainError, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.timeutil import to_cst, utcnow

MAX_PER_PAGE = 200


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Malformed(DomainError):
    status = 400
    code = "malformed"


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


def authenticated_token():
    """The valid ApiToken of this request. :raises Unauthorized: missing, unknown, expired, revoked."""
    raw = token_from_header()
    if raw is None:
        raise Unauthorized("Authentication required: send Authorization: Bearer <token>.")
    token = ApiToken.query.filter_by(token_hash=hash_token(raw)).first()
    if token is None or token.revoked_at is not None or token.expires_at <= utcnow() \
            or not token.user.is_active:
        raise Unauthorized("The token is invalid, expired or revoked.")
    return token


def require_auth(*roles):
    """Decorator: a valid bearer token, and one of `roles` when given (403 otherwise).

    The API never reads the session cookie, so it needs no CSRF token.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = authenticated_token()
            g.api_user = token.user
            g.api_token = token
            if roles and token.user.role not in roles:
                raise PermissionDenied(f"This needs the role {' or '.join(roles)}.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def api_user():
    """The user the current API request acts for."""
    return g.api_user


def json_body():
    """The request's JSON object. :raises Malformed: not JSON, or not an object."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Malformed("The body must be a JSON object.")
    return data


def field(data, name, kind, *, required=True, default=None):
    """One field of a JSON body, checked for its type ("str", "int", "bool", "list", "dict", "money").

    :raises ValidationError: missing when required, or of the wrong type (money: a string or
        integer amount, never a float).
    """
    if name not in data or data[name] is None:
        if required:
            raise ValidationError(f"'{name}' is required.", fields={name: "required"})
        return default
    value = data[name]
    ok = {
        "str": lambda v: isinstance(v, str),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "list": lambda v: isinstance(v, list),
        "dict": lambda v: isinstance(v, dict),
        "money": lambda v: isinstance(v, (str, int)) and not isinstance(v, bool),
    }[kind](value)
    if not ok:
        raise ValidationError(f"'{name}' must be of type {kind}.", fields={name: f"expected {kind}"})
    return value


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
    return page, min(per_page, MAX_PER_PAGE)


def paginate(query, serialize):
    """The API's list shape for a SQLAlchemy query: {"items", "page", "per_page", "total"}."""
    page, per_page = page_args()
    total = query.order_by(None).count()
    items = query.limit(per_page).offset((page - 1) * per_page).all()
    return {"items": [serialize(item) for item in items], "page": page,
            "per_page": per_page, "total": total}


def iso(moment):
    """ISO 8601 with offset, in China Standard Time."""
    return to_cst(moment).isoformat() if moment is not None else None
