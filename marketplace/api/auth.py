"""Token endpoints: issue (POST) and revoke (DELETE)."""
from flask import jsonify

from marketplace.accounts.models import ApiToken
from marketplace.accounts.services import authenticate
from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import Unauthorized, authenticated_token, hash_token, issue_token
from marketplace.extensions import login_attempts
from marketplace.timeutil import iso, utcnow


@bp.post("/auth/token")
@login_attempts
def issue_token_endpoint():
    """A bearer token for an e-mail and password; bad credentials → 401 (rate-limited)."""
    body = read_body()
    user = authenticate(body["email"], body["password"])
    if user is None:
        raise Unauthorized("Wrong e-mail or password.", code="invalid_credentials")
    token = issue_token(user)
    stored = ApiToken.query.filter_by(token_hash=hash_token(token)).one()
    return jsonify({"token": token, "expires_at": iso(stored.expires_at)}), 200


@bp.delete("/auth/token")
def revoke_token_endpoint():
    """Revoke the token this request carries (other tokens of the user keep working)."""
    token = authenticated_token()
    token.revoked_at = utcnow()
    return "", 204
