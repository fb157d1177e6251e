"""A buyer's favourites (收藏): marking and unmarking a product, and the 我的收藏 list (the
☆/★ buttons themselves are drawn per request on the kept pages, catalog/favourite_buttons.py)."""
from flask import render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from marketplace import nav
from marketplace.catalog import services
from marketplace.catalog.views import bp
from marketplace.forms import ActionForm
from marketplace.i18n import translate as _
from marketplace.web import back_url, run_button

nav.add("catalog.favourites", _l("我的收藏"), roles=services.FAVOURITE_ROLES, order=22)
nav.add_user_number("favourites", services.favourites_count_column)


@bp.get("/favourites")
@login_required
def favourites():
    return render_template("catalog/favourites.html",
                           favourites=services.favourites_of(current_user),
                           reason_text=services.reason_text)


def _run(product_id, service, message):
    """Mark or unmark from a product page or the list: back where the button was."""
    back = back_url(url_for("catalog.product_page", product_id=product_id))
    return run_button(ActionForm(), lambda: service(current_user, product_id), back, message)


@bp.post("/products/<int:product_id>/favourite")
@login_required
def favourite(product_id):
    return _run(product_id, services.add_favourite, _("已加入我的收藏。"))


@bp.post("/products/<int:product_id>/unfavourite")
@login_required
def unfavourite(product_id):
    return _run(product_id, services.remove_favourite, _("已从我的收藏中移除。"))
