"""Admin pages: the blueprint, and its route modules (pages, trail).

Route modules import the blueprint (and shared helpers) from here, never each other."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from marketplace.admin.views import pages  # noqa: E402,F401  (routes on the blueprint)
from marketplace.admin.views import trail  # noqa: E402,F401
