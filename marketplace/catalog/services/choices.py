"""Per-process cache of the list pages' filter choices (category tree, origin regions).

Plain named tuples, never ORM objects, so a cached value is safe outside its session. Kept
CATALOG_CHOICES_CACHE_SECONDS (0: read on every call); an admin edit of categories or regions
calls `clear_choices_cache()` so this process shows it at once (other worker processes within
the lifetime of their copy).
"""
import time
from typing import NamedTuple

from flask import current_app

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


def _cache():
    return current_app.extensions.setdefault("catalog_choices", {})


def _cached(key, load):
    seconds = current_app.config.get("CATALOG_CHOICES_CACHE_SECONDS", 0)
    if not seconds:
        return load()
    cache = _cache()
    hit = cache.get(key)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    cache[key] = (now + seconds, value)
    return value


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
        RegionChoice(region.code, region.name, region.level) for region in origin_choices()))


def clear_choices_cache():
    """Forget the cached choices of this process (after an edit of categories or regions)."""
    _cache().clear()
