"""Accounts pages: the blueprint, and its route modules (pages).

Route modules import the blueprint (and shared helpers) from here, never each other."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from marketplace.accounts.views import pages  # noqa: E402,F401  (routes on the blueprint)
