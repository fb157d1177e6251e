"""Token endpoints: issue (POST) and revoke (DELETE)."""
from flask import current_app, jsonify

from marketplace.accounts.services import authenticate
from marketplace.api.core import Unauthorized, authenticated_token, field, issue_token, json_body
from marketplace.api.views import bp
from marketplace.extensions import limiter
from marketplace.timeutil import utcnow


@bp.post("/auth/token")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
def issue_token_endpoint():
    data = json_body()
    user = authenticate(field(data, "email", "str"), field(data, "password", "str"))
    if user is None:
        raise Unauthorized("Wrong e-mail or password.", code="invalid_credentials")
    return jsonify({"token": issue_token(user)}), 200


@bp.delete("/auth/token")
def revoke_token_endpoint():
    token = authenticated_token()
    token.revoked_at = utcnow()
    return "", 204
