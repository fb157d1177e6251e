"""The pairing tables come from their own Alembic revision on both databases, and the report log
accepts the pairing export after it (and only before it is downgraded)."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from marketplace.extensions import db
from tests.helpers import app_on

REVISION = "9b0de8532790"


def kinds_allowed(connection):
    checks = inspect(connection).get_check_constraints("report_exports")
    return next(c["sqltext"] for c in checks if c["name"].endswith("report_kind_known"))


def test_the_revision_adds_the_tables_and_the_export_kind(empty_database_url):
    app = app_on(empty_database_url)
    with app.app_context():
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            assert {"villages", "pairings", "pairing_suppliers", "pairing_projects",
                    "village_needs", "need_conversations", "need_messages"} <= tables
            assert "'pairing'" in kinds_allowed(connection)
        downgrade(revision="-1")
        with db.engine.connect() as connection:
            assert "pairings" not in inspect(connection).get_table_names()
            assert "'pairing'" not in kinds_allowed(connection)
        db.engine.dispose()
