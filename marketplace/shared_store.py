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
from cachelib import RedisCache, SimpleCache
from flask import current_app

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


def store(name, bound):
    """The kept store `name`: in Redis when there is one, else in this process (at most
    `bound` entries, past which cachelib drops some)."""
    kept = current_app.extensions.get(name)
    if kept is None:
        client = redis_client()
        kept = (RedisCache(host=client, key_prefix=f"marketplace:{name}:")
                if client is not None else SimpleCache(threshold=bound))
        current_app.extensions[name] = kept
    return kept


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


def read_counters(names):
    """The current values of the named counters (a list of ints, 0 for one never bumped), or
    None when Redis cannot be reached."""
    client = redis_client()
    if client is None:
        return [file_version(_counter_file(name)) for name in names]
    try:
        return [int(value or 0) for value in client.mget([f"marketplace:{n}" for n in names])]
    except redis.RedisError as error:
        log.warning("shared counters unavailable (%s): nothing kept is reused", error)
        return None


def bump_counters(names):
    """Move the named counters on, for every process and server. False when Redis could not
    be reached (what they guard then lags up to its entries' lifetime)."""
    client = redis_client()
    if client is None:
        for name in names:
            bump_file_version(_counter_file(name))
        return True
    try:
        with client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.incr(f"marketplace:{name}")
            pipe.execute()
        return True
    except redis.RedisError as error:
        log.error("shared counters %s not bumped (%s)", ", ".join(names), error)
        return False
