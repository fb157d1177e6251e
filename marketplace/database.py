"""Database connection settings that must hold on every engine."""
from sqlalchemy import event


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
