"""Enqueue a job: on RQ (Redis) in production, or run at once in process by default.

A job is a module-level function named by its dotted path ("package.module:function"), so a
worker process imports it itself; it runs inside the application context and its own
database session, which `run` commits when the function returns (and rolls back when it
raises, so RQ's retry starts from scratch).
"""
import importlib
import logging

from flask import current_app

from marketplace.extensions import db

log = logging.getLogger(__name__)

# The application of a worker process (`flask jobs worker` sets it before working).
_worker_app = None

QUEUE_NAME = "marketplace"


def backend(app=None):
    """"rq" or "inprocess", from JOBS_BACKEND (default: rq when REDIS_URL is set)."""
    config = (app or current_app).config
    chosen = config.get("JOBS_BACKEND")
    if chosen:
        return chosen
    return "rq" if config.get("REDIS_URL") else "inprocess"


def redis_connection(app=None):
    """A Redis client on REDIS_URL (bytes, as RQ wants them)."""
    # Redis and RQ are imported only where jobs go to Redis: the in-process backend needs neither.
    from redis import Redis

    return Redis.from_url((app or current_app).config["REDIS_URL"])


def rq_queue(app=None):
    """The RQ queue every job goes to."""
    from rq import Queue  # only with Redis, as in redis_connection()

    app = app or current_app
    return Queue(QUEUE_NAME, connection=redis_connection(app),
                 default_timeout=app.config["JOBS_TIMEOUT_SECONDS"])


def enqueue(target, *args, retry_intervals=None, job_id=None, **kwargs):
    """Run `target` ("module:function") with these arguments off the request.

    :param retry_intervals: seconds to wait before each new attempt after a failure (RQ);
        the in-process runner tries once and logs a failure.
    :returns: the RQ job id, or None when the job already ran in process.
    """
    if backend() == "rq":
        from rq import Retry  # only with Redis, as in redis_connection()

        retry = Retry(max=len(retry_intervals), interval=list(retry_intervals)) \
            if retry_intervals else None
        job = rq_queue().enqueue(run, target, args, kwargs, retry=retry, job_id=job_id,
                                 description=target)
        return job.id
    try:
        call(target, args, kwargs)
    except Exception:  # noqa: BLE001 - in process, a failed job must not fail the caller
        log.exception("job %s failed", target)
    return None


def resolve(target):
    """The function that "module:function" names."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def call(target, args=(), kwargs=None):
    """Run a job in the current application context; commit its work, or roll it back."""
    try:
        result = resolve(target)(*args, **(kwargs or {}))
        db.session.commit()
        return result
    except Exception:
        db.session.rollback()
        raise


def run(target, args=(), kwargs=None):
    """What RQ runs in a worker: `call` in a fresh application context and session."""
    app = _worker_app or current_app._get_current_object()
    with app.app_context():
        if _worker_app is not None:
            # A forked work-horse must not share the parent's database connections.
            db.engine.dispose(close=False)
        try:
            return call(target, args, kwargs)
        finally:
            db.session.remove()
