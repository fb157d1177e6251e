"""Links in accounts e-mails and notices."""
from flask import has_request_context, url_for


def external_url(endpoint, **values):
    """An absolute link for e-mails, or None when there is no request (as in CLI commands)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    return None
