"""Catalog pages: the blueprint and its route modules — `browse` (buyers and visitors: home,
product list and page, store, origin, media), `portal` (the supplier's products and
certifications), `bulk` (the supplier's bulk listing file and photos by code) and `console`
(the admin's certifications, categories, reference prices, synonyms and listings).

Route modules import the blueprint and what they share from here, never each other."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)

# The catalog services name a product's category `category_id`; its forms call the field `category`.
CATALOG_FIELDS = {"category_id": "category"}

# Sections a higher domain adds to the top of a signed-in user's home page (ordering's
# frequently bought list): each `render()` gives that user's HTML, or "" when it has none.
HOME_SECTIONS = []


def add_home_section(render):
    """Show `render()` (Markup or "") at the top of the home page for signed-in users."""
    HOME_SECTIONS.append(render)


from marketplace.catalog.views import browse, bulk, console, favourites, portal  # noqa: E402,F401  (routes)
