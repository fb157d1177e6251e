"""The demo data loaded by `flask demo load` once per backend, and put back row for row for
each later test that reads it (a real load takes ~20 s: real checkouts, acceptances, transfers
and a password hash per user).

The first test on a backend runs the command itself; its output and every table's rows are
kept in memory and inserted again into the next test's clean database, ids and all.
"""
from sqlalchemy import text

from marketplace.extensions import db
from tests import factories

_KEPT = {}  # database URL → (the command's output, [(table, rows)])


def load_demo(app):
    """Load the demo into the test's clean database; returns what `flask demo load` printed."""
    url = str(db.engine.url)
    if url not in _KEPT:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        _KEPT[url] = (result.output, _rows())
    else:
        _put_back(_KEPT[url][1])
    return _KEPT[url][0]


def _rows():
    with db.engine.connect() as connection:
        kept = [(table, [dict(row._mapping) for row in connection.execute(table.select())])
                for table in db.metadata.sorted_tables]
    # The shipped regions stay in every clean database: kept only if the demo changed them.
    return [(table, rows) for table, rows in kept
            if rows and not (table.name == "regions" and _as_shipped(rows))]


def _as_shipped(regions):
    columns = ("code", "name", "name_en", "parent_code", "level", "aided")
    return sorted(tuple(row[c] for c in columns) for row in regions) == factories.shipped_regions()


def _put_back(kept):
    with db.engine.begin() as connection:
        postgres = connection.dialect.name == "postgresql"
        # Rows go back in dependency order, but some tables point at each other: the foreign
        # keys are checked at the commit (SQLite) or not at all for this copy (PostgreSQL).
        connection.execute(text("SET LOCAL session_replication_role = replica" if postgres
                                else "PRAGMA defer_foreign_keys = ON"))
        for table, rows in kept:
            if table.name == "regions":
                connection.execute(table.delete())
            connection.execute(table.insert(), rows)
            if postgres and "id" in table.c:
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f"(SELECT max(id) FROM \"{table.name}\"))"))
