"""Catalog pages for buyers and visitors: home, product list and page, store, origin, media.

"""
import functools
import re

from flask import (
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale, lazy_pgettext, pgettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from marketplace import nav
from marketplace.accounts.labels import credit_tier_label
from marketplace.catalog import services, uploads
from marketplace.catalog.caching import kept, public_page, shared_part
from marketplace.catalog.favourite_buttons import (FAVOURITE_MARK, page_favourite_button,
                                                   with_card_stars)
from marketplace.catalog.forms import LABEL_NAMES, ReviewForm
from marketplace.catalog.models import LABELS, ProductPhoto
from marketplace.catalog.preferences import preferred_suppliers
from marketplace.catalog.services import SORTS, ProductFilters
from marketplace.catalog.views import HOME_SECTIONS, bp
from marketplace.extensions import db
from marketplace.frame import render_framed
from marketplace.i18n import translate as _
from marketplace.inputs import int_arg
from marketplace.web import run_button
from marketplace.money import fen_str, yuan_to_fen
from marketplace.regions.models import Region
from marketplace.regions.services import path_of

nav.add("catalog.product_list", lazy_pgettext("catalog heading", "商品"), roles=(), order=10)

MAX_PAGE_SIZE = 100
# Pages count their matches up to this many ("1000+"), not the whole catalog on every request.
COUNT_CAP = 1000
SORT_NAMES = {"relevance": _l("综合"), "price_asc": _l("价格从低到高"),
              "price_desc": _l("价格从高到低"), "newest": _l("最新上架"),
              "best_selling": _l("销量最高")}


def _fen_arg(name):
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        fen = yuan_to_fen(raw)
    except ValueError:
        return None
    return fen if 0 <= fen <= services.MAX_PRICE_FEN else None


def filters_from_request():
    """ProductFilters from the query string; malformed values are ignored."""
    region = (request.args.get("region") or "").strip()
    sort = request.args.get("sort", "relevance")
    return ProductFilters(
        q=(request.args.get("q") or "")[:100],
        category_id=int_arg("category"),
        region=region if region.isdigit() and len(region) == 6 else None,
        supplier_id=int_arg("supplier"),
        min_price_fen=_fen_arg("min_price"),
        max_price_fen=_fen_arg("max_price"),
        in_stock=request.args.get("in_stock") in ("1", "on", "true"),
        labels=[label for label in request.args.getlist("label") if label in LABELS],
        sort=sort if sort in SORTS else "relevance",
        preferred_suppliers=tuple(sorted(preferred_suppliers(current_user))),
    )


def can_add_to_cart():
    """The ordering domain adds the cart endpoint; until it exists, no cart form is shown."""
    return "ordering.cart_add" in current_app.view_functions


@bp.app_context_processor
def catalog_helpers():
    return {"label_names": LABEL_NAMES, "can_add_to_cart": can_add_to_cart, "plain_yuan": fen_str,
            "photo_url": lambda name: url_for("catalog.media", name=name),
            "tier_label": credit_tier_label}


@functools.lru_cache(maxsize=256)
def _marks_pattern(words):
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


@bp.app_template_filter("highlight")
def highlight(text, words=()):
    """`text` escaped, with the search's words in it marked (<mark>)."""
    text = str(text or "")
    words = tuple(word for word in words if word)
    if not words:
        return escape(text)
    parts, last = [], 0
    for match in _marks_pattern(words).finditer(text):
        parts += [escape(text[last:match.start()]), Markup("<mark>"), escape(match.group(0)),
                  Markup("</mark>")]
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


@bp.get("/")
@public_page
def home():
    tree = services.cached_category_tree()
    newest = services.list_cards(ProductFilters(sort="newest"), per_page=8, count_cap=COUNT_CAP)
    sections = [render() for render in HOME_SECTIONS] if current_user.is_authenticated else []
    return with_card_stars(render_template(
        "catalog/home.html", tree=tree, regions=services.featured_regions(), newest=newest,
        sections=sections))


@bp.get("/products")
@public_page
def product_list():
    filters = filters_from_request()
    page = int_arg("page", 1)
    per_page = int_arg("per_page", current_app.config["PER_PAGE_DEFAULT"], 1, MAX_PAGE_SIZE)
    part = shared_part("product_list", lambda: _product_list_part(filters, page, per_page),
                       filters.preferred_suppliers)
    return render_framed(pgettext("catalog heading", "商品"), Markup(with_card_stars(part)))


def _product_list_part(filters, page, per_page):
    """The list's HTML below the header: search, filters, the cards, the pager."""
    found = None
    if filters.q.strip():
        found = services.search_page(filters, page=page, per_page=per_page,
                                     count_cap=COUNT_CAP)
        result = found.result
    else:
        result = services.list_cards(filters, page=page, per_page=per_page,
                                     count_cap=COUNT_CAP)
    return render_template("catalog/_product_list_part.html", result=result, filters=filters,
                           found=found, marks=tuple(found.read.highlights) if found else (),
                           sorts=SORT_NAMES, preferred=preferred_suppliers(current_user),
                           **_filter_options(filters))


def _filter_options(filters):
    """The filter bar's category and origin options, the list's own choices selected.

    Some 200 options cost a list's miss more to render than its cards, and they are the same
    for every list of a language: rendered once, kept with the choices they show, and each
    list marks its choice in them."""
    def render():
        options = render_template("catalog/_filter_options.html",
                                  tree=services.cached_category_tree(),
                                  regions=services.cached_origin_choices())
        return tuple(options.split("<!--regions-->"))

    categories, regions = kept("catalog_choices", "CATALOG_CHOICES_CACHE_SECONDS",
                               ("filter options", str(get_locale())), render)
    return {"category_options": _selected(categories, filters.category_id),
            "region_options": _selected(regions, filters.region)}


def _selected(options, value):
    """`options` (HTML) with the one whose value is `value` selected."""
    if value in (None, ""):
        return Markup(options)
    option = f'<option value="{escape(value)}">'
    return Markup(options.replace(option, f'{option[:-1]} selected>', 1))


@bp.get("/products/suggestions")
def search_suggestions():
    """Catalog words beginning with what is typed, for the search box (JSON)."""
    typed = (request.args.get("q") or "")[:40]
    return jsonify({"query": typed, "suggestions": services.suggestions(typed)})


@bp.get("/products/<int:product_id>")
@public_page
def product_page(product_id):
    shown = shared_part("product_page", lambda: _product_part(product_id))
    reader = _reader()
    part = shown["html"].replace(CART_MARK, shown["cart_forms"].get(reader, ""))
    review = render_template(  # few may review: rendered for them alone
        "catalog/_product_review_form.html", product=shown, token=Markup(CSRF_MARK),
        review_form=ReviewForm(meta={"csrf": False})) \
        if services.can_review(current_user, shown["id"]) else ""
    part = part.replace(REVIEW_MARK, review)
    if FAVOURITE_MARK in part:
        part = part.replace(FAVOURITE_MARK, page_favourite_button(shown["id"], CSRF_MARK))
    if CSRF_MARK in part:
        part = part.replace(CSRF_MARK, generate_csrf())
    return render_framed(shown["name"], Markup(part))


# Where the product page's shared part takes the cart form of its reader, the review form (for
# a unit that may review), and the user's own CSRF token in its forms.
CART_MARK, REVIEW_MARK, CSRF_MARK = "<!--cart-form-->", "<!--review-form-->", "<!--csrf-token-->"
CART_READERS = ("purchaser", "visitor")


def _reader():
    """Which cart form this request's user gets: a purchaser's, a visitor's link to sign in,
    or none (every other role)."""
    if not current_user.is_authenticated:
        return "visitor"
    return current_user.role


def _product_part(product_id):
    """The product page below the header (HTML) as everyone who may see the product sees it,
    with the cart form of each kind of reader made beside it, their CSRF token left as
    CSRF_MARK: made once, it serves visitors and buyers alike.

    :raises NotFound: the product is not this user's to see (nothing is kept then).
    """
    product, unavailable = services.product_for_page(current_user, product_id)
    reviews = services.reviews_of(product)
    facts = {"id": product.id, "name": product.name, "unit": product.unit,
             "min_order_qty": product.min_order_qty, "stock": product.stock,
             "on_sale": unavailable is None}
    html = render_template(
        "catalog/_product_part.html", product=product,
        reference=services.reference_price_of(product), unavailable=unavailable,
        unavailable_text=services.reason_text(unavailable) if unavailable else None,
        origin_path=path_of(product.origin),
        rating=services.rating_of_product(product, reviews), reviews=reviews)
    forms = render_template("catalog/_product_cart_form.html", product=facts,
                            token=Markup(CSRF_MARK)).split("<!--reader:visitor-->")
    cart_forms = dict(zip(CART_READERS, (form.strip() for form in forms)))
    return {"html": html, "cart_forms": cart_forms, "id": product.id, "name": product.name}


@bp.post("/products/<int:product_id>/reviews")
@login_required
def add_review(product_id):
    product = services.visible_product(current_user, product_id)
    form = ReviewForm()
    page = url_for("catalog.product_page", product_id=product.id)
    return run_button(form, lambda: services.add_review(
        current_user, product, form.stars.data, form.text.data), page, _("感谢您的评价。"),
        then=page + "#reviews")


@bp.get("/stores/<int:supplier_id>")
@public_page
def store(supplier_id):
    supplier = services.get_supplier(supplier_id)
    if not supplier.is_active and not (current_user.is_authenticated and (
            current_user.role == "admin" or current_user.organization_id == supplier.id)):
        abort(404)
    result = services.list_cards(ProductFilters(supplier_id=supplier.id, sort="best_selling"),
                                 page=int_arg("page", 1), per_page=24, count_cap=COUNT_CAP)
    return with_card_stars(render_template(
        "catalog/store.html", supplier=supplier, result=result,
        rating=services.supplier_rating(supplier), counties=services.certified_counties(supplier)))


@bp.get("/origins/<code>")
@public_page
def origin(code):
    region = db.session.get(Region, code) if code.isdigit() and len(code) == 6 else None
    if region is None:
        abort(404)
    result = services.list_cards(ProductFilters(region=region.code, sort="best_selling"),
                                 page=int_arg("page", 1), per_page=24, count_cap=COUNT_CAP)
    counts = services.county_counts(region.code)
    children = sorted(region.children, key=lambda r: r.code)
    return with_card_stars(render_template(
        "catalog/origin.html", region=region, path=path_of(region), result=result,
        children=children, counts=counts))


@bp.get("/media/catalog/<name>")
def media(name):
    """A product photo or thumbnail; only names of stored photos are served."""
    found = ProductPhoto.query.filter(db.or_(ProductPhoto.stored_name == name,
                                             ProductPhoto.thumb_name == name)).first()
    if found is None:
        abort(404)
    return _send(name)


@bp.get("/supplier/documents/<name>")
@login_required
def document(name):
    """A certification document, for its supplier and the admin only."""
    services.document_for(current_user, name)
    return _send(name, attachment=True)


def _send(name, attachment=False):
    try:
        path = uploads.path_of(name)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    extension = name.rsplit(".", 1)[1]
    mimetype = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}[extension]
    # A PDF is always downloaded, never shown inside the site.
    response = send_file(path, mimetype=mimetype, as_attachment=attachment or extension == "pdf",
                         download_name=name,
                         max_age=86400)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


