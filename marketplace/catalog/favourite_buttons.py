"""A buyer's ☆/★ favourite buttons on the catalog's kept pages (catalog/caching.py
shared_part): the kept HTML holds a mark where a button goes, and each request fills in the
buttons of its own user — one small query for the page, and strings built here rather than a
template rendered per button. The routes they post to are in catalog/views/favourites.py."""
import re

from flask import request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from marketplace import nav
from marketplace.catalog import services
from marketplace.i18n import translate as _

# Where the product page's kept part takes the ☆/★ button of a buyer of this request.
FAVOURITE_MARK = "<!--favourite-button-->"


def _favourite_form(product_id, csrf_token, marked, css):
    """The ☆ (or, `marked`, ★) form of a product: a string built here rather than a template
    rendered on every page view."""
    action = url_for("catalog.unfavourite" if marked else "catalog.favourite",
                     product_id=product_id)
    label = _("已收藏，取消收藏") if marked else _("收藏")
    return Markup(
        '<form method="post" action="{action}" class="{css}" '
        'data-testid="favourite-form"><input type="hidden" name="csrf_token" value="{token}">'
        '<button type="submit" class="outline secondary favourite-button" '
        'data-testid="favourite-button">'
        '<span aria-hidden="true">{star}</span> {label}</button></form>'
    ).format(action=action, css=css, token=csrf_token, label=label,
             star="★" if marked else "☆")


def _has_favourites():
    """False when the user loader found the buyer keeps no favourite (then no page asks
    which of its products are marked: a signed-in hit stays one statement)."""
    return nav.loaded_number("favourites") != 0


# Where a product card leaves its ☆/★ for a buyer (catalog/_macros.html): filled per request,
# since the list's part is kept for every buyer alike.
CARD_MARK = re.compile(r"<!--favourite-card:(\d+)-->")


# A product id no card has, and a token no form has: the two card forms are built once per
# language and script root around them (url_for and the translations are the same for every
# buyer), kept in the process, and each page puts its CSRF token and each card its id in their
# places (once per card, building them was a third of a signed-in list's CPU); the product
# page's form likewise.
_SLOT = 2147483647
_TOKEN = "\x00csrf\x00"
_KEPT_FORMS = {}


def _kept_forms(css):
    """The ☆ and ★ forms of this request's language with class `css`, with the slot and token
    marks."""
    key = (str(get_locale()), request.script_root, css)
    forms = _KEPT_FORMS.get(key)
    if forms is None:
        forms = _KEPT_FORMS[key] = {state: str(_favourite_form(_SLOT, _TOKEN, state, css))
                                    for state in (False, True)}
    return forms


def page_favourite_button(product_id, csrf_token):
    """The product page's ☆/★ form for the user of this request, from the kept forms (asked
    on every product page a buyer opens: url_for and the translations once per language)."""
    if not services.can_favourite(current_user):
        return ""
    marked = _has_favourites() and services.is_favourite(current_user, product_id)
    return Markup(_kept_forms("favourite-form")[marked].replace(_TOKEN, csrf_token).replace(
        f"/{_SLOT}/", f"/{int(product_id)}/"))


def with_card_stars(html):
    """`html` with each card's ☆/★ form of this request's buyer: one query for the page."""
    parts = CARD_MARK.split(html)  # text, a card's id, text, …: the page read once
    if len(parts) == 1:
        return html
    ids = [int(i) for i in parts[1::2]]
    if not services.can_favourite(current_user):
        return Markup("".join(parts[0::2]))
    marked = services.favourite_ids(current_user, ids) if _has_favourites() else set()
    token = generate_csrf()
    slot = f"/{_SLOT}/"
    forms = {state: form.replace(_TOKEN, token)
             for state, form in _kept_forms("favourite-form card-star").items()}
    parts[1::2] = [forms[i in marked].replace(slot, f"/{i}/") for i in ids]
    return Markup("".join(parts))
