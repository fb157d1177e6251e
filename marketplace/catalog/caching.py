"""What the catalog keeps in memory for a few seconds per process, and when it forgets it.

Three things are kept, each in a bounded, expiring cachelib store of this process:

- **Visitors' pages** (`public_page`): visitors who are not signed in cannot order, so a list
  or product page a few seconds old costs them nothing, and they are most of a public
  catalogue's traffic (links shared in chat groups, search engines, people comparing before
  they sign in). Kept PUBLIC_PAGE_CACHE_SECONDS by language and full URL. Anyone signed in, or
  with a message waiting (a flash), always gets a page rendered for them.
- **Which products a list shows** (`kept_list`): the ids of a page of a list or search, in
  order, and how many match, up to CATALOG_LIST_CACHE_SECONDS. Finding and ranking them is most of a
  list's database time; the products themselves are then read live, so buyers always see
  today's price, stock and name.
- **The list pages' filter choices** (`services/choices.py`): the category tree and the origin
  regions, up to CATALOG_CHOICES_CACHE_SECONDS.

A commit that changed a catalog row through the ORM (product, photo, category, supplier,
region, reference price, review, certification) empties all three at once in its process; other
worker processes see the change when their copy expires. Stock taken by orders is a plain
UPDATE and empties nothing: a visitor's "库存" may lag by those few seconds.
"""
import functools
import random

from cachelib import SimpleCache
from flask import current_app, has_app_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

# Tables whose rows a catalog page shows: changing one makes everything kept suspect.
SHOWN_TABLES = frozenset({"products", "product_photos", "categories", "organizations",
                          "regions", "reference_prices", "reviews", "supplier_certifications",
                          "search_synonyms"})
# Upper bounds per process: pages are ~25 kB each (~25 MB), list entries a few hundred bytes.
STORES = {"public_pages": 1000, "catalog_lists": 5000, "catalog_choices": 16}


def _lifetime(seconds):
    """Between half and all of `seconds`: entries made in the same burst (a restart, a busy
    minute) then expire spread out, instead of all being rebuilt in the same instant while
    every other request waits behind them."""
    return max(1, round(seconds * random.uniform(0.5, 1.0)))


def _store(name):
    store = current_app.extensions.get(name)
    if store is None:
        store = current_app.extensions[name] = SimpleCache(threshold=STORES[name])
    return store


def kept(store_name, lifetime_setting, key, compute):
    """`compute()`'s value for `key`, reused from the store `store_name` up to the seconds the
    config's `lifetime_setting` says (0: always computed).

    `key` must name everything the value depends on; the value must be plain data (it is
    pickled), never ORM objects.
    """
    seconds = current_app.config.get(lifetime_setting, 0)
    if seconds <= 0:
        return compute()
    store = _store(store_name)
    key = repr(key)
    value = store.get(key)
    if value is None:
        value = compute()
        store.set(key, value, timeout=_lifetime(seconds))
    return value


def kept_list(key, compute):
    """Which products a public list shows: `kept` for CATALOG_LIST_CACHE_SECONDS."""
    return kept("catalog_lists", "CATALOG_LIST_CACHE_SECONDS", key, compute)


def _is_personal():
    """Whether this request must get its own page: signed in, or a flash message to show."""
    return current_user.is_authenticated or bool(session.get("_flashes"))


def public_page(view):
    """Serve a GET view's page to visitors from the cache, and keep the pages it renders."""
    @functools.wraps(view)
    def cached_view(*args, **kwargs):
        seconds = current_app.config.get("PUBLIC_PAGE_CACHE_SECONDS", 0)
        if seconds <= 0 or request.method != "GET" or _is_personal():
            return view(*args, **kwargs)
        key = f"{get_locale()}|{request.full_path}"
        body = _store("public_pages").get(key)
        if body is not None:
            return current_app.response_class(body, mimetype="text/html",
                                              headers={"X-Page-Cache": "hit"})
        response = current_app.make_response(view(*args, **kwargs))
        # Only a complete, successful page that left the visitor's session alone is shared.
        if response.status_code == 200 and not response.is_streamed and not session.modified:
            _store("public_pages").set(key, response.get_data(), timeout=_lifetime(seconds))
            response.headers["X-Page-Cache"] = "miss"
        return response
    return cached_view


def note_catalog_change(session):
    """Tell the commit hook that this transaction changed what catalog pages show, for a change
    made by a plain UPDATE (which the ORM's flush does not see), such as a supplier's tier."""
    session.info["catalog_changed"] = True


def clear_catalog_caches():
    """Forget this process's kept pages, lists and choices (after a catalog change)."""
    if has_app_context():
        for name in STORES:
            if name in current_app.extensions:
                current_app.extensions[name].clear()


@event.listens_for(Session, "after_flush")
def _note_catalog_change(session, _flush_context):
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(instance, "__tablename__", None)
        if table in SHOWN_TABLES and (table != "organizations" or instance.kind == "supplier"):
            session.info["catalog_changed"] = True
            return


@event.listens_for(Session, "after_commit")
def _clear_after_catalog_commit(session):
    if session.info.pop("catalog_changed", False):
        clear_catalog_caches()


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back_change(session, _previous_transaction):
    if not session.in_transaction():
        session.info.pop("catalog_changed", None)
