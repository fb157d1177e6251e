"""Quota pages: the blueprint and its route modules — `quota` (a unit's progress and filing,
the overview, the admin's policies and filing windows) and `exceptions` (the deciders' pages
of quota exceptions).

Route modules import the blueprint and what they share from here, never each other."""
from flask import Blueprint, abort

from marketplace.accounts.models import Organization
from marketplace.database import get_by_id

bp = Blueprint("compliance", __name__, url_prefix="/quota")


def unit_or_404(unit_id):
    """The budget unit with this id, else 404."""
    unit = get_by_id(Organization, unit_id)
    if unit is None or unit.kind != "budget_unit":
        abort(404)
    return unit


from marketplace.compliance.views import exceptions, quota  # noqa: E402,F401  (routes)
