"""The list pages' filter choices (category tree, origin regions), kept per process.

Plain named tuples, never ORM objects, so a kept value is safe outside its session. Kept up to
CATALOG_CHOICES_CACHE_SECONDS (0: read on every call) by catalog/caching.py, which forgets them
when an edit of categories or regions is committed (other worker processes within the
lifetime of their copy).
"""
from typing import NamedTuple

from marketplace.catalog.caching import kept
from marketplace.catalog.services.browsing import origin_choices
from marketplace.catalog.services.categories import category_tree


class CategoryChoice(NamedTuple):
    id: int
    name: str
    name_en: str | None


class RegionChoice(NamedTuple):
    code: str
    name: str
    level: int
    name_en: str | None = None


def _cached(key, load):
    return kept("catalog_choices", "CATALOG_CHOICES_CACHE_SECONDS", key, load)


def _category(category):
    return CategoryChoice(category.id, category.name, category.name_en)


def cached_category_tree():
    """category_tree() as ((top, (children...)), ...) of CategoryChoice, cached."""
    return _cached("tree", lambda: tuple(
        (_category(top), tuple(_category(child) for child in children))
        for top, children in category_tree()))


def cached_origin_choices():
    """origin_choices() as a tuple of RegionChoice, cached."""
    return _cached("regions", lambda: tuple(
        RegionChoice(region.code, region.name, region.level, region.name_en) for region in origin_choices()))

