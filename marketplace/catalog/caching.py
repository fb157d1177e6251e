"""What the catalog keeps for a few seconds, where, and how every server forgets it at once.

What is kept, each in a bounded, expiring cachelib store:

- **Visitors' pages** (`public_page`): visitors who are not signed in cannot order, so a list
  or product page a few seconds old costs them nothing, and they are most of a public
  catalogue's traffic (links shared in chat groups, search engines, people comparing before
  they sign in). Kept PUBLIC_PAGE_CACHE_SECONDS by language and full URL. Anyone signed in, or
  with a message waiting (a flash), always gets a page rendered for them.
- **Which products a list shows** (`kept_list`): the ids of a page of a list or search, in
  order, and how many match, up to CATALOG_LIST_CACHE_SECONDS. Finding and ranking them is most of a
  list's database time; the products themselves are then read live, so buyers always see
  today's price, stock and name.
- **What an organisation received** (`kept_received`): the products a buyer's organisation
  accepted deliveries of, which every product page a buyer opens asks (may they review it?).
  Kept CATALOG_PART_CACHE_SECONDS, and forgotten at once when one of its orders is accepted
  (`note_delivery`); a catalog change forgets it too (its key carries the version), so a busy
  catalogue asks again once per organisation after each change.
- **The list pages' filter choices** (`services/choices.py`): the category tree and the origin
  regions, up to CATALOG_CHOICES_CACHE_SECONDS.
- **The shared part of a page** (`shared_part`): what a list, search or product page shows
  below the header is the same for everyone who reads the same language and URL — visitors
  and buyers alike (a supplier's staff see their own paused goods, so theirs is kept per
  supplier, and the admin's apart). Buyers are always signed in, so this is what makes their
  pages fast: the part is kept CATALOG_PART_CACHE_SECONDS, and only what is theirs — header,
  cart form, ☆/★, forms with their CSRF token — is put in for each request.

Where: with `REDIS_URL` set (production: several workers and servers), the stores live in
Redis and every process and server shares them, each process keeping a copy of what it read
(never stale: the keys carry the version, below); without it (one server), each process keeps
its own.

When they are forgotten: every entry's key carries the **catalog version**, kept beside the
stores: a Redis key, or without Redis the modification time of a file that the workers of one
server share (CATALOG_VERSION_FILE), so that a change made through one worker reaches the others
on their next request. A commit that changed what a
catalog page shows — a product, photo, category, supplier (a suspension in the console too),
region, reference price, review, certification or synonym through the ORM, or stock taken or
given back by an order (`note_catalog_change`) — bumps it after the commit, so from the next
request on every server reads new keys and the old entries simply expire. Redis being away
costs speed, never correctness: a store that cannot be reached is skipped and the page is
computed.
"""
import functools
import logging
import random

import redis
from flask import current_app, has_app_context, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace import shared_store

log = logging.getLogger(__name__)

# Tables whose rows a catalog page shows: changing one makes everything kept suspect.
SHOWN_TABLES = frozenset({"products", "product_photos", "categories", "organizations",
                          "regions", "reference_prices", "reviews", "supplier_certifications",
                          "search_synonyms"})
# Upper bounds per process when kept in the process: pages are ~25 kB each (~25 MB), parts
# ~8 kB (a product page's part for each of a few thousand products: ~32 MB), list entries a
# few hundred bytes. In Redis the entries' lifetimes bound them.
STORES = {"public_pages": 1000, "catalog_lists": 5000, "catalog_choices": 16,
          "catalog_parts": 4000, "catalog_received": 1000}
VERSION_COUNTER = "catalog-version"  # with Redis, the key marketplace:catalog-version
# Where a request remembers the version it read (on the request, not `g`, which outlives it
# in tests and CLI commands).
_VERSION_SEEN = "marketplace.catalog_version"


def _lifetime(seconds):
    """Between half and all of `seconds`: entries made in the same burst (a restart, a busy
    minute) then expire spread out, instead of all being rebuilt in the same instant while
    every other request waits behind them."""
    return max(1, round(seconds * random.uniform(0.5, 1.0)))


# Stores whose entries are only ever replaced by a new version's (never deleted one by one):
# a process may keep its own copy of what it read from Redis (`shared_store.store`).
VERSIONED = frozenset(STORES) - {"catalog_received"}
shared_store.read_with_every_request(VERSION_COUNTER)


def _store(name):
    return shared_store.store(name, STORES[name], versioned=name in VERSIONED)


def catalog_version(now=False):
    """The catalog version this request reads with (read once per request; `now`: as it is
    at this moment), or None when the shared store cannot be reached (then nothing is kept or
    reused)."""
    environ = request.environ if has_request_context() else {}
    if _VERSION_SEEN in environ and not now:
        return environ[_VERSION_SEEN]
    if shared_store.redis_client() is None:
        version = _local_version()
    else:
        counters = shared_store.read_counters((VERSION_COUNTER,), now=now)
        version = counters[0] if counters is not None else None
    environ[_VERSION_SEEN] = version
    return version


def _local_version():
    """The catalog version the workers of this server share without Redis (CATALOG_VERSION_FILE's
    modification time); one stat a request."""
    return shared_store.file_version(current_app.config["CATALOG_VERSION_FILE"])


def _get(store_name, key):
    return shared_store.kept_value(_store(store_name), key)


def _set(store_name, key, value, seconds):
    shared_store.keep_value(_store(store_name), key, value, _lifetime(seconds))


def kept(store_name, lifetime_setting, key, compute):
    """`compute()`'s value for `key`, reused from the store `store_name` up to the seconds the
    config's `lifetime_setting` says (0: always computed).

    `key` must name everything the value depends on; the value must be plain data (it is
    pickled), never ORM objects.
    """
    seconds = current_app.config.get(lifetime_setting, 0)
    if seconds <= 0:
        return compute()
    version = catalog_version()
    if version is None:
        return compute()
    key = f"{version}|{key!r}"
    value = _get(store_name, key)
    if value is None:
        value = compute()
        _set(store_name, key, value, seconds)
    return value


def kept_list(key, compute):
    """Which products a public list shows: `kept` for CATALOG_LIST_CACHE_SECONDS."""
    return kept("catalog_lists", "CATALOG_LIST_CACHE_SECONDS", key, compute)


def shared_part(name, compute, *key):
    """`compute()`'s value (plain data, e.g. the HTML of the part of a page below the header)
    for everyone who would see the same: kept CATALOG_PART_CACHE_SECONDS by page `name`,
    language, how much of the catalog the reader sees (`_sight`: visitors and buyers alike), the
    full URL and `key` (what else it depends on, e.g. the buyer's preferred suppliers). A
    catalog change forgets it at once.
    """
    return kept("catalog_parts", "CATALOG_PART_CACHE_SECONDS",
                (name, str(get_locale()), _sight(), request.full_path, key), compute)


def _sight():
    """How much of the catalog this request's user sees: what is on sale, as everyone does
    (visitors and every buyer: they share the kept parts), or more — a supplier's staff their
    own paused goods, the admin goods in every state — kept apart for them."""
    if current_user.is_authenticated and current_user.role == "supplier_staff":
        return ("supplier", current_user.organization_id)
    if current_user.is_authenticated and current_user.role == "admin":
        return ("admin", None)
    return ("everyone", None)


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
        version = catalog_version()
        if version is None:
            return view(*args, **kwargs)
        key = f"{version}|{get_locale()}|{request.full_path}"
        body = _get("public_pages", key)
        if body is not None:
            return current_app.response_class(body, mimetype="text/html",
                                              headers={"X-Page-Cache": "hit"})
        response = current_app.make_response(view(*args, **kwargs))
        # Only a complete, successful page that left the visitor's session alone is shared.
        if response.status_code == 200 and not response.is_streamed and not session.modified:
            _set("public_pages", key, response.get_data(), seconds)
            response.headers["X-Page-Cache"] = "miss"
        return response
    return cached_view


def kept_received(organization_id, compute):
    """The product ids `compute()` says the organisation received, kept for its buyers' product
    pages until `note_delivery` forgets them (or CATALOG_PART_CACHE_SECONDS pass)."""
    return kept("catalog_received", "CATALOG_PART_CACHE_SECONDS", ("received", organization_id),
                compute)


def note_delivery(session, organization_id):
    """Tell the commit hook that this transaction changed what the organisation received (an
    order of it accepted): its kept answer is forgotten after the commit, on every server."""
    session.info.setdefault("deliveries_changed", set()).add(organization_id)


def _forget_received(organization_ids):
    if shared_store.redis_client() is None:
        # The other workers' stores cannot be reached: a new version makes them ask again.
        clear_catalog_caches()
        return
    version = catalog_version(now=True)  # not the one this request began with
    if version is None:
        return
    for organization_id in organization_ids:
        try:
            _store("catalog_received").delete(f"{version}|{('received', organization_id)!r}")
        except redis.RedisError as error:
            log.error("kept deliveries not forgotten (%s): the review form may lag up to "
                      "its lifetime", error)


def note_catalog_change(session):
    """Tell the commit hook that this transaction changed what catalog pages show, for a change
    made by a plain UPDATE (which the ORM's flush does not see), such as a supplier's tier or
    the stock an order takes."""
    session.info["catalog_changed"] = True


def clear_catalog_caches():
    """Forget every kept page, list and choice, in every process and server: bump the catalog
    version (after a catalog change; also what expiry does, for tests)."""
    if not has_app_context():
        return
    if shared_store.redis_client() is None:
        shared_store.bump_file_version(current_app.config["CATALOG_VERSION_FILE"])
        for name in STORES:  # the old entries can never be read again: free their memory
            if name in current_app.extensions:
                current_app.extensions[name].clear()
    else:
        # With Redis away the bump is lost (shared_store logs it): the other servers show
        # the old page until its lifetime ends.
        shared_store.bump_counters((VERSION_COUNTER,))
    if has_request_context():
        request.environ.pop(_VERSION_SEEN, None)


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
    received = session.info.pop("deliveries_changed", None)
    if received and has_app_context():
        _forget_received(received)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back_change(session, _previous_transaction):
    if not session.in_transaction():
        session.info.pop("catalog_changed", None)
        session.info.pop("deliveries_changed", None)
