"""Idempotency-Key for every POST of the API, done once for the whole blueprint.

The same key and body from the same user get the stored answer again (the work is not done
twice); the same key with another request gets 409 `idempotency_key_reused`. Only 2xx answers
are stored, and they are committed in the request's single commit together with the work.
"""
import hashlib
import json
from datetime import timedelta

from flask import current_app, g, request
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError

from marketplace.api.core import Malformed, optional_token
from marketplace.api.models import IdempotencyKey
from marketplace.errors import Conflict
from marketplace.extensions import db
from marketplace.timeutil import utcnow

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# POST endpoints that never take a key: issuing a token is not "creating" for the client.
EXEMPT_ENDPOINTS = {"api.issue_token_endpoint"}


def request_fingerprint():
    """A hash of what makes two requests "the same": method, path, query and JSON body."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode() if raw.strip() else b""
    except (ValueError, RecursionError):
        body = raw
    query = "&".join(f"{k}={v}" for k, v in sorted(request.args.items(multi=True)))
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), query.encode(), body):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _replay(row):
    response = current_app.response_class(row.response_body or "", status=row.status_code,
                                          content_type=row.content_type or "application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _check_existing(row, fingerprint):
    if row.request_hash != fingerprint:
        raise Conflict("This Idempotency-Key was already used with another request.",
                       code="idempotency_key_reused", fields={HEADER: "reused"})
    if row.status_code is None:
        raise Conflict("A request with this Idempotency-Key is still in progress.",
                       code="idempotency_key_in_progress", fields={HEADER: "in_progress"})
    return _replay(row)


def before_request():
    """Replay a stored answer, refuse a reused key, or claim the key for this request."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None or request.endpoint in EXEMPT_ENDPOINTS \
            or request.endpoint is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise Malformed(f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters.",
                        code="invalid_idempotency_key", fields={HEADER: "invalid"})
    token = optional_token()
    if token is None:
        return None  # the view answers 401; nothing to remember
    user_id = token.user_id
    fingerprint = request_fingerprint()
    existing = IdempotencyKey.query.filter_by(user_id=user_id, key=key).first()
    if existing is not None:
        return _check_existing(existing, fingerprint)
    row = IdempotencyKey(user_id=user_id, key=key, method=request.method,
                         path=request.path[:500], request_hash=fingerprint)
    db.session.add(row)
    try:
        # Flushed before the work: a concurrent duplicate waits on the unique index here and
        # fails once this request commits, instead of doing the work a second time.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = IdempotencyKey.query.filter_by(user_id=user_id, key=key).first()
        if existing is None:  # the other request failed and rolled back: try once more
            row = IdempotencyKey(user_id=user_id, key=key, method=request.method,
                                 path=request.path[:500], request_hash=fingerprint)
            db.session.add(row)
            db.session.flush()
        else:
            return _check_existing(existing, fingerprint)
    g.idempotency_row = row
    return None


def after_request(response):
    """Store a 2xx answer with the claimed key (committed by the request's single commit)."""
    row = g.pop("idempotency_row", None)
    if row is None:
        return response
    if 200 <= response.status_code < 300 and not g.get("request_failed"):
        row.status_code = response.status_code
        row.response_body = response.get_data(as_text=True)
        row.content_type = response.content_type
    elif sa_inspect(row).persistent:
        # Not a success: the key stays free (an error's rollback has removed it already).
        db.session.delete(row)
    return response


def purge(older_than=timedelta(days=7)):
    """Delete stored keys older than `older_than`; returns how many."""
    cutoff = utcnow() - older_than
    return IdempotencyKey.query.filter(IdempotencyKey.created_at < cutoff).delete()
