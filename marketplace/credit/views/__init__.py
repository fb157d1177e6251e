"""Credit pages: the blueprint, and its route modules (pages).

Route modules import the blueprint (and shared helpers) from here, never each other."""
from flask import Blueprint

bp = Blueprint("credit", __name__, url_prefix="/credit")

from marketplace.credit.views import pages  # noqa: E402,F401  (routes on the blueprint)
