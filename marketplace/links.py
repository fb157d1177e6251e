"""Links that leave the app: e-mails carry absolute URLs under the configured BASE_URL, built
the same way in a request, a CLI command or a job."""
from urllib.parse import urlsplit

from flask import current_app


def absolute(path):
    """`path` (as "/orders/7") under BASE_URL; a URL that is already absolute is kept."""
    if not path or urlsplit(path).scheme:
        return path
    return current_app.config["BASE_URL"].rstrip("/") + "/" + path.lstrip("/")


def path_for(endpoint, **values):
    """The path of a route ("/orders/7"), with or without a request, relative to the app's root
    (what an in-app notification stores)."""
    adapter = current_app.url_map.bind("localhost", url_scheme="http")
    return adapter.build(endpoint, values)


def external_url(endpoint, **values):
    """The absolute URL of a route under BASE_URL, for an e-mail."""
    return absolute(path_for(endpoint, **values))
