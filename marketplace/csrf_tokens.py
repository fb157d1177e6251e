"""The signed CSRF token of a session, signed once per process rather than on every page.

Flask-WTF keeps a random token in the session and puts it, signed, in every form; it signs it
anew on each request that shows a form (a serializer built, JSON, base64, an HMAC), which is
every page a buyer opens — a few percent of a kept catalog page's CPU. With no time limit on
the tokens (`WTF_CSRF_TIME_LIMIT = None`, the setting here), any signature of the session's
token is valid as long as the session is, so the first one a process made is given to the
session's later pages (Flask-WTF uses the one it finds in `g`). With a time limit set, tokens
are signed on every request as Flask-WTF does.
"""
from cachelib import SimpleCache
from flask import current_app, g, session

# Sessions whose signed token a process keeps (past it, some are dropped and signed again).
KEPT = 4096


def init_app(app):
    app.extensions["signed_csrf_tokens"] = SimpleCache(threshold=KEPT, default_timeout=0)

    @app.before_request
    def signed_csrf_token_of_this_session():
        field, raw_token = _session_token()
        if raw_token and field not in g:
            signed = current_app.extensions["signed_csrf_tokens"].get(raw_token)
            if signed is not None:
                setattr(g, field, signed)
                g.csrf_token_taken = signed

    @app.after_request
    def keep_the_signed_csrf_token(response):
        # Only a signature made during this request is stored: one taken from the store is
        # there already (storing it again would pickle it and walk the bound on every page).
        field, raw_token = _session_token()
        signed = g.get(field)
        if raw_token and signed and signed != g.pop("csrf_token_taken", None):
            current_app.extensions["signed_csrf_tokens"].set(raw_token, signed)
        return response


def _session_token():
    """(the field's name, the session's raw token) when tokens may be kept, else (name, None)."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return field, None
    raw_token = session.get(field)
    return field, raw_token if isinstance(raw_token, str) else None
