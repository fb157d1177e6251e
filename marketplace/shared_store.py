"""What every worker process and app server must agree on: the Redis client, kept stores and
version counters.

With `REDIS_URL` set (production: several workers and servers) a store lives in Redis and a
counter is a Redis key, so every process and server shares them. Without it (one server), a
store lives in each process, and a counter is the modification time of a file that the
workers of the server share: a bump made through one worker is read by the others on their
next request. Redis being away costs speed, never correctness: its callers then compute what
they would have read (`read_counters` answers None).
"""
import logging
import os
import time

import redis
from cachelib import BaseCache, RedisCache, SimpleCache
from flask import current_app, has_request_context, request

log = logging.getLogger(__name__)


def redis_client():
    """The shared Redis client when REDIS_URL is set (one per app), else None."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("shared_redis")
    if client is None:
        # Short timeouts: a cache that hangs would be worse than no cache.
        client = current_app.extensions["shared_redis"] = redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return client


def store(name, bound, versioned=False):
    """The kept store `name`: in Redis when there is one, else in this process (at most
    `bound` entries, past which cachelib drops some).

    `versioned`: no entry ever changes under its key (each key carries the versions it was made
    with, and a change makes new keys rather than rewriting old ones). A copy of what this
    process read from Redis is then as good as Redis's, so one is kept in the process in front
    of it (`bound` entries, each no longer than Redis keeps it), and a page asks Redis only for
    what this process has not seen yet."""
    kept = current_app.extensions.get(name)
    if kept is None:
        client = redis_client()
        if client is None:
            kept = SimpleCache(threshold=bound)
        else:
            if versioned:  # its values are stored with their end: keys of their own
                kept = _NearCopy(SimpleCache(threshold=bound), RedisCache(
                    host=client, key_prefix=f"marketplace:{name}:with-end:"))
            else:
                kept = RedisCache(host=client, key_prefix=f"marketplace:{name}:")
        current_app.extensions[name] = kept
    return kept


def kept_value(kept, key):
    """`kept.get(key)`, or None when Redis cannot be reached (the caller computes it)."""
    try:
        return kept.get(key)
    except redis.RedisError as error:
        log.warning("kept store unavailable (%s)", error)
        return None


def keep_value(kept, key, value, seconds):
    """`kept.set(key, value)` for `seconds`; nothing when Redis cannot be reached."""
    try:
        kept.set(key, value, timeout=seconds)
    except redis.RedisError as error:
        log.warning("kept store unavailable (%s)", error)


class _NearCopy(BaseCache):
    """A Redis store with a copy in this process of the entries it read or wrote. Redis holds
    each value with the time it ends, so that a copy made from it ends then too."""

    def __init__(self, near, far):
        super().__init__()
        self.near, self.far = near, far

    def get(self, key):
        value = self.near.get(key)
        if value is None:
            kept = self.far.get(key)
            if kept is None:
                return None
            ends, value = kept
            left = int(ends - time.time())
            if left <= 0:
                return None
            self.near.set(key, value, timeout=left)
        return value

    def set(self, key, value, timeout=None):
        timeout = timeout or self.far.default_timeout
        self.near.set(key, value, timeout=timeout)
        return self.far.set(key, (time.time() + timeout, value), timeout=timeout)

    def delete(self, key):
        self.near.delete(key)
        return self.far.delete(key)

    def clear(self):
        self.near.clear()
        return self.far.clear()


def file_version(path):
    """A counter the workers of one server share without Redis: the modification time, in
    nanoseconds, of the file at `path` (0 before its first bump); one stat."""
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return 0


def bump_file_version(path):
    """A new value of `file_version(path)`: the file touched, its time always moved forward
    (two bumps in the same nanosecond still differ)."""
    previous = file_version(path)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "a"):
        pass
    now = time.time_ns()
    os.utime(path, ns=(now, max(now, previous + 1)))


def _counter_file(name):
    return os.path.join(current_app.config["SHARED_COUNTERS_FOLDER"], name)


# Counters that (nearly) every request reads: with Redis, the first read of a request fetches
# them too, in the same MGET, so that a page asks Redis for its counters once.
_READ_WITH_EVERY_REQUEST = set()
_SEEN = "marketplace.shared_counters"  # on the request: {name: value} read from Redis


def read_with_every_request(name):
    """Fetch counter `name` with the first counters a request reads (one Redis round trip)."""
    _READ_WITH_EVERY_REQUEST.add(name)


def read_counters(names, now=False):
    """The current values of the named counters (a list of ints, 0 for one never bumped), or
    None when Redis cannot be reached. With Redis, a counter is read once per request (a bump
    made by the request reads it again), unless `now` asks for its value at this moment."""
    client = redis_client()
    if client is None:
        return [file_version(_counter_file(name)) for name in names]
    seen = request.environ.setdefault(_SEEN, {}) if has_request_context() else {}
    missing = [name for name in names if now or name not in seen]
    if missing:
        asked = missing + [name for name in _READ_WITH_EVERY_REQUEST
                           if name not in seen and name not in missing]
        try:
            values = client.mget([f"marketplace:{name}" for name in asked])
        except redis.RedisError as error:
            log.warning("shared counters unavailable (%s): nothing kept is reused", error)
            return None
        seen.update(zip(asked, (int(value or 0) for value in values)))
    return [seen[name] for name in names]


def bump_counters(names):
    """Move the named counters on, for every process and server. False when Redis could not
    be reached (what they guard then lags up to its entries' lifetime)."""
    client = redis_client()
    if client is None:
        for name in names:
            bump_file_version(_counter_file(name))
        return True
    if has_request_context():
        seen = request.environ.get(_SEEN, {})
        for name in names:
            seen.pop(name, None)
    try:
        with client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.incr(f"marketplace:{name}")
            pipe.execute()
        return True
    except redis.RedisError as error:
        log.error("shared counters %s not bumped (%s)", ", ".join(names), error)
        return False
