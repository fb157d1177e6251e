"""Database connection settings that must hold on every engine."""
import select
import time
from contextlib import contextmanager
from functools import partial

import sqlalchemy as sa
from flask import g, has_request_context, request
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.errors import Conflict, NotFound
from marketplace.extensions import MAX_ID, db  # noqa: F401  (MAX_ID: the ids' bound, here too)


def valid_id(value):
    """`value` as a positive database id, or None when it cannot be one (never a DB error)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def get_by_id(model, raw_id, **options):
    """The row of `model` whose id is `raw_id` (from a URL or a body: anything `valid_id`
    takes, never True or False), or None."""
    ident = None if isinstance(raw_id, bool) else valid_id(raw_id)
    return db.session.get(model, ident, **options) if ident else None


def get_or_not_found(model, raw_id, missing, **options):
    """The row of `model` whose id is `raw_id`.

    :raises NotFound: no such row (`missing`: the caller's translated message).
    """
    row = get_by_id(model, raw_id, **options)
    if row is None:
        raise NotFound(missing)
    return row


def plan_for_these_values():
    """For the rest of this transaction, PostgreSQL plans each statement for its own values.

    psycopg prepares a statement run five times on a connection, and PostgreSQL may then keep
    one generic plan for every value. That is right for a lookup by id (the user loader, a
    product page: planning a joined lookup cost more than running it) and wrong for the
    catalog's filters (a rare category in a big prefecture, a common one in a small county:
    a generic plan that ignores the best index for most of them). The catalog's list queries
    call this; everything else keeps PostgreSQL's own choice. A no-op on SQLite.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))


READING_METHODS = ("GET", "HEAD", "OPTIONS")


@contextmanager
def before_the_transaction():
    """Run the statements of the block outside the request's transaction, each on its own,
    when the request only reads (GET, HEAD, OPTIONS) and has sent nothing to PostgreSQL yet.

    For the user loader: on a kept page it is the request's only statement, and psycopg would
    otherwise send a BEGIN before it and a COMMIT after it, two of the four round trips of the
    request (with the pool's ping). The request's later statements still run in one
    transaction, begun by the first of them. Only statements that read belong here: one that
    wrote, locked (FOR UPDATE) or set something for the transaction (SET LOCAL) would take
    effect alone, at once. At READ COMMITTED, the isolation every transaction here uses,
    each statement already reads what is committed when it starts, so a read made just before
    the transaction sees what it would have seen inside. Elsewhere (SQLite, which begins only
    when it writes; a writing request; a transaction already under way) the block runs as is.
    """
    driver = _idle_postgres_driver() if has_request_context() and \
        request.method in READING_METHODS else None
    if driver is None:
        yield
        return
    driver.autocommit = True
    try:
        yield
    finally:
        if not driver.closed:  # a connection lost on the way is thrown away by the pool
            driver.autocommit = False
    g.read_before_the_transaction = (db.session().get_transaction(), driver)


def nothing_to_commit():
    """Whether this request's commit would have nothing to do: it only read, its reads ran
    before the transaction (`before_the_transaction`), it has sent nothing since (PostgreSQL
    has no transaction open for it) and no object in the session is new, changed or deleted.

    Its session then just ends, as a committed one would (and nothing waits for a commit: what
    the after-commit hooks hand on is noted by writes and flushes, which open a transaction).
    """
    kept = g.get("read_before_the_transaction")
    if kept is None:
        return False
    transaction, driver = kept
    session = db.session()
    return (session.get_transaction() is transaction and not driver.closed
            and driver.info.transaction_status == TransactionStatus.IDLE
            and not (session.new or session.dirty or session.deleted))


def _idle_postgres_driver():
    """The request's psycopg connection when it is outside any transaction, else None."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return None
    driver = connection.connection.dbapi_connection
    if driver.autocommit or driver.info.transaction_status != TransactionStatus.IDLE:
        return None
    return driver


def init_app(app):
    """Turn on SQLite's foreign keys and WAL so it behaves like PostgreSQL where it matters,
    and serialise SQLite's writing requests (see `_begin_immediate_when_writing`)."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _begin_immediate_when_writing)
        elif engine.dialect.name == "postgresql":
            event.listen(engine, "checkin", _note_checkin)
            event.listen(engine, "checkout", partial(
                _check_before_use, engine.dialect,
                app.config["DATABASE_PING_AFTER_IDLE_SECONDS"]))


def _note_checkin(_driver, record):
    record.info["checked_in_at"] = time.monotonic()


def _check_before_use(dialect, idle_seconds, driver, record, _proxy):
    """A pooled PostgreSQL connection is asked whether it still works before a request uses it
    when it has been idle for `idle_seconds` or more, or when the server has sent it something
    while it was idle; one that does not answer is replaced, with every connection opened
    before it (as after a restart of the server).

    This is SQLAlchemy's pool_pre_ping, without the round trip on a busy server: a server that
    stops or ends a connection (a restart, pg_terminate_backend, idle_session_timeout) tells
    the client, whose socket then has something to read; what no one announces (a network
    that drops a long-idle connection) is found by the ping after idle time.
    """
    checked_in_at = record.info.get("checked_in_at")
    if checked_in_at is None:  # just connected
        return
    if time.monotonic() - checked_in_at < idle_seconds and not _has_unread(driver):
        return
    try:
        dialect.do_ping(driver)
    except Exception as error:
        raise sa.exc.InvalidatePoolError(f"the pooled connection is gone: {error}") from error


def _has_unread(driver):
    """Whether the server has sent an idle connection anything (an error before closing it,
    or the close itself)."""
    if driver.closed:
        return True
    poll = select.poll()  # not select.select, which refuses descriptors past 1023
    poll.register(driver.fileno(), select.POLLIN)
    return bool(poll.poll(0))


def _begin_immediate_when_writing(connection):
    """A request that may write (POST, PUT, PATCH, DELETE) takes SQLite's write lock with its
    first statement (BEGIN IMMEDIATE) and keeps it until its commit.

    SQLite has no row locks: without this, two requests could both read "¥5 left to refund"
    before either writes, and both refund it. Holding the lock from the first read makes each
    writing request run alone, as SELECT … FOR UPDATE makes them on PostgreSQL; readers (WAL)
    are never blocked. Pages that only read keep the driver's lazy transactions.
    """
    if has_request_context() and request.method not in READING_METHODS:
        driver = connection.connection.dbapi_connection
        if not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_for_writing(model, row_id):
    """Lock one row against concurrent writers until the commit: SELECT … FOR UPDATE on
    PostgreSQL; on SQLite a write to the row, which takes the database's write lock (the same
    effect for every caller, also outside a request: CLI commands, services under test)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.query(model).filter(model.id == row_id).with_for_update().one()
    else:
        db.session.execute(sa.update(model).where(model.id == row_id).values(id=model.id)
                           .execution_options(synchronize_session=False))


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def savepoint():
    """A SAVEPOINT (`db.session.begin_nested()`) that is safe on SQLite too.

    The sqlite3 driver opens its transaction lazily, at the first INSERT/UPDATE/DELETE; a
    SAVEPOINT sent before that opens the transaction itself, and releasing it then commits,
    which would break the one commit per request. So the transaction is opened first there
    (with the write lock: the savepoint is there to write).
    """
    connection = db.session.connection()
    driver = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and not driver.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    return db.session.begin_nested()



def insert_or_conflict(row, message, code):
    """Insert `row` now, in a savepoint: when a unique index refuses it (another request has
    just written the same), only this insert is undone and the user reads `message`.

    :raises Conflict: with `code`.
    """
    try:
        with savepoint():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise Conflict(message, code=code) from None
    return row

class AfterCommit:
    """Hands the ids of new `model` rows to `hand_over(ids)` once their transaction committed,
    so a worker never looks for a row that is not there yet and a rolled-back request hands
    over nothing: in a request, when it ends (after its commit and its row locks); elsewhere
    (commands, demo seeding), at once. The ids wait in `session.info[name]` until the commit.

    `hand_over` may run inside the session's after-commit hook, where it must not use the
    session. Call `init_app(app)` from the app factory.
    """

    def __init__(self, model, name, hand_over):
        self.model, self.name, self.hand_over = model, name, hand_over
        self.committed = f"{name}_committed"  # the request's ids, in `g`, until it ends
        event.listen(Session, "after_flush", self._note_new)
        event.listen(Session, "after_commit", self._committed)
        event.listen(Session, "after_soft_rollback", self._forget_rolled_back)

    def init_app(self, app):
        app.teardown_request(self._request_over)

    def _note_new(self, session, _flush_context):
        for instance in session.new:
            if isinstance(instance, self.model):
                session.info.setdefault(self.name, []).append(instance.id)

    def _committed(self, session):
        ids = session.info.pop(self.name, None)
        if not ids:
            return
        if has_request_context():
            g.setdefault(self.committed, []).extend(ids)
        else:
            self.hand_over(ids)

    def _forget_rolled_back(self, session, _previous_transaction):
        if not session.in_transaction():
            session.info.pop(self.name, None)

    def _request_over(self, _error):
        ids = g.pop(self.committed, None)
        if ids:
            self.hand_over(ids)
