"""Regions pages: the blueprint, and its route modules (pages).

Route modules import the blueprint (and shared helpers) from here, never each other."""
from flask import Blueprint

bp = Blueprint("regions", __name__, url_prefix="/admin/regions")

from marketplace.regions.views import pages  # noqa: E402,F401  (routes on the blueprint)
