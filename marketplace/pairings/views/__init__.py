"""万企兴万村 pages: the blueprint and its route modules — `pairings` (pairings, requests,
decisions, the overview) and `board` (the village board: needs, answers, conversations,
villages).

Route modules import the blueprint from here, never each other."""
from flask import Blueprint

bp = Blueprint("pairings", __name__, url_prefix="/pairings")

from marketplace.pairings.views import board, pairings  # noqa: E402,F401  (routes)
