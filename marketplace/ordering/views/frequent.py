"""The purchaser's frequently bought list (常买), at the top of their home page: each product
with an add-to-cart form at today's price (the list is the user's own, so it is never kept)."""
from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from marketplace.accounts.models import BUYER_KINDS
from marketplace.catalog.views import add_home_section
from marketplace.ordering import services


def _frequently_bought_section():
    if current_user.role != "purchaser" or \
            current_user.organization.kind not in BUYER_KINDS:
        return ""
    return Markup(render_template("ordering/_frequently_bought.html",
                                  frequent=services.frequently_bought(current_user)))


add_home_section(_frequently_bought_section)
