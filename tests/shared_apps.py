"""Two apps on one database, as two servers (sharing Redis) or two workers of one server (their
stores apart, the counters' files shared) would be: what they keep must agree."""
import pytest
import redis

from marketplace import create_app, shared_store
from marketplace.accounts import kept_logins
from marketplace.catalog import caching
from marketplace.extensions import db as _db

# The catalog's kept pages, lists, choices and parts switched on, as in production (the tests'
# settings keep nothing of the catalog).
KEPT = {"PUBLIC_PAGE_CACHE_SECONDS": 60, "CATALOG_LIST_CACHE_SECONDS": 60,
        "CATALOG_CHOICES_CACHE_SECONDS": 60, "CATALOG_PART_CACHE_SECONDS": 60}
STORE_KEYS = (*caching.STORES, kept_logins.STORE, "shared_redis")


def forget_local_stores(application):
    for name in STORE_KEYS:
        application.extensions.pop(name, None)


def redis_commands(app, monkeypatch):
    """The names of the commands `app` sends to Redis from now on."""
    with app.app_context():
        client = shared_store.redis_client()
    send, asked = client.execute_command, []

    def spy(*args, **options):
        asked.append(args[0])
        return send(*args, **options)

    monkeypatch.setattr(client, "execute_command", spy)
    return asked


def two_apps(app, monkeypatch, settings):
    """This app and a second one on the same database with `settings`."""
    from tests.conftest import Client

    for key, value in {**KEPT, **settings}.items():
        monkeypatch.setitem(app.config, key, value)
    forget_local_stores(app)
    other = create_app(dict(app.config))
    other.test_client_class = Client
    return app, other


@pytest.fixture
def redis_servers(app, db, redis_url, monkeypatch):
    """This app and a second one on the same database and Redis, as two servers would be."""
    redis.Redis.from_url(redis_url).flushall()
    yield two_apps(app, monkeypatch, {"REDIS_URL": redis_url})
    forget_local_stores(app)


@pytest.fixture(params=["redis", "workers"])
def servers(request, app, db, monkeypatch):
    """Two apps on the same database that must agree: two servers sharing Redis, or, without
    Redis, two worker processes of one server (their stores apart, the counters shared)."""
    if request.param == "redis":
        first, second = request.getfixturevalue("redis_servers")
    else:
        first, second = two_apps(app, monkeypatch, {"REDIS_URL": None})
    yield first, second
    forget_local_stores(first)
    with second.app_context():
        _db.engine.dispose()
