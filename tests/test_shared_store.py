"""What every worker and server agree on: counters read once per request (with Redis, in one
round trip) and moved on for all, and stores kept in Redis with, for versioned ones, a copy in
each process that is never stale."""
import time
from types import SimpleNamespace

from marketplace import shared_store
from tests.pg import free_port
from tests.shared_apps import forget_local_stores, redis_commands, two_apps


def test_a_request_reads_its_counters_from_redis_once_and_a_bump_anew(redis_servers,
                                                                      monkeypatch):
    first, second = redis_servers
    asked = redis_commands(first, monkeypatch)
    with first.test_request_context():
        assert shared_store.read_counters(("a", "b")) == [0, 0]
        assert shared_store.read_counters(("b", "a")) == [0, 0]
        assert asked == ["MGET"]
        with second.test_request_context():
            assert shared_store.bump_counters(("a",))
        assert shared_store.read_counters(("a",)) == [0]   # the value this request began with
        assert shared_store.bump_counters(("b",))
        assert shared_store.read_counters(("a", "b")) == [0, 1]   # its own bump: read again
        assert shared_store.read_counters(("a",), now=True) == [1]   # as it is now
    with first.test_request_context():
        assert shared_store.read_counters(("a", "b")) == [1, 1]


def test_workers_without_redis_share_counters_through_files(app, db, monkeypatch):
    first, second = two_apps(app, monkeypatch, {"REDIS_URL": None})
    with first.test_request_context():
        before = shared_store.read_counters(("logins",))[0]
    with second.test_request_context():
        shared_store.bump_counters(("logins",))
        shared_store.bump_counters(("logins",))   # twice in a row still moves it on
    with first.test_request_context():
        assert shared_store.read_counters(("logins",))[0] > before


def test_with_redis_away_counters_say_so(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    forget_local_stores(app)
    try:
        with app.test_request_context():
            assert shared_store.read_counters(("logins",)) is None
            assert shared_store.bump_counters(("logins",)) is False
    finally:
        forget_local_stores(app)


def test_a_versioned_store_is_read_from_redis_once_per_process(redis_servers, monkeypatch):
    first, second = redis_servers
    with first.app_context():
        shared_store.store("kept_logins", 10, versioned=True).set("7|key", "kept", timeout=60)
    asked = redis_commands(second, monkeypatch)
    with second.app_context():
        store = shared_store.store("kept_logins", 10, versioned=True)
        assert store.get("7|key") == "kept" and store.get("7|key") == "kept"
    assert asked == ["GET"]


def test_a_process_keeps_its_copy_no_longer_than_redis_keeps_the_entry(redis_servers,
                                                                        monkeypatch):
    first, second = redis_servers
    with first.app_context():
        shared_store.store("kept_logins", 10, versioned=True).set("7|key", "kept", timeout=20)
    clock = time.time() + 15   # five seconds are left of the entry's twenty
    monkeypatch.setattr(shared_store, "time", SimpleNamespace(time=lambda: clock))
    with second.app_context():
        store = shared_store.store("kept_logins", 10, versioned=True)
        copies = []
        keep = store.near.set
        monkeypatch.setattr(store.near, "set", lambda key, value, timeout: (
            copies.append(timeout), keep(key, value, timeout)))
        assert store.get("7|key") == "kept"
    assert len(copies) == 1 and 4 <= copies[0] <= 5   # never longer than what is left


def test_a_store_whose_entries_are_forgotten_one_by_one_is_always_read_from_redis(
        redis_servers):
    first, second = redis_servers
    with first.app_context():
        shared_store.store("catalog_received", 10).set("7|unit", "received", timeout=60)
    with second.app_context():
        assert shared_store.store("catalog_received", 10).get("7|unit") == "received"
    with first.app_context():
        shared_store.store("catalog_received", 10).delete("7|unit")
    with second.app_context():
        assert shared_store.store("catalog_received", 10).get("7|unit") is None
