"""Reports pages: the blueprint, and its route modules (pages; files: exports written by a job).

Route modules import the blueprint (and shared helpers) from here, never each other."""
from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from marketplace.reports.views import files, pages, sales  # noqa: E402,F401  (routes on the blueprint)
