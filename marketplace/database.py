"""Database connection settings that must hold on every engine."""
from sqlalchemy import event

MAX_ID = 2**31 - 1  # ids are INTEGER on PostgreSQL: a larger one can name no row


def valid_id(value):
    """`value` as a positive database id, or None when it cannot be one (never a DB error)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def init_app(app):
    """Turn on SQLite's foreign keys and WAL so it behaves like PostgreSQL where it matters."""
    from marketplace.extensions import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
