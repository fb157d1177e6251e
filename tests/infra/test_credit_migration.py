"""The credit revisions on a database that already holds data: existing suppliers start at 0
points, standard; the export log takes credit statements, and nothing else new; both go back."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import db
from tests.helpers import app_on

BEFORE = "c21a5e551071"  # the revision before the credit ones
CREDIT = "2e46c8f6bb41"       # the ledger, the standing on organisations
STATEMENTS = "7c1d5e9a3b20"   # credit statements in the export log


def _insert_export(connection, kind):
    connection.execute(text(
        "INSERT INTO report_exports (token, kind, format, year, filters, scope, user_id, "
        "organization_id, created_at) VALUES (:token, :kind, 'pdf', 2026, '{}', 's', 1, 1, "
        "'2026-12-01 00:00:00')"), {"token": f"t-{kind}", "kind": kind})


def test_the_credit_revisions_upgrade_a_database_with_data_and_downgrades(empty_database_url):
    app = app_on(empty_database_url)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO regions (code, name, level, aided) "
                                    "VALUES ('540000', '西藏自治区', 1, false)"))
            connection.execute(text(
                "INSERT INTO organizations (id, name, kind, status, region_code, created_at) "
                "VALUES (1, '合作社', 'supplier', 'active', '540000', '2026-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO users (id, email, password_hash, name, role, organization_id, "
                "active, created_at, session_generation) VALUES (1, 'a@b.cn', 'x', 'A', "
                "'supplier_staff', 1, true, '2026-01-01 00:00:00', 0)"))
        upgrade(revision=CREDIT)
        with db.engine.begin() as connection:
            row = connection.execute(text(
                "SELECT credit_points, credit_tier FROM organizations WHERE id = 1")).one()
            assert tuple(row) == (0, "standard")
        upgrade(revision=STATEMENTS)
        with db.engine.begin() as connection:
            _insert_export(connection, "credit")
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            _insert_export(connection, "gossip")
        downgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            assert connection.execute(text("SELECT count(*) FROM report_exports")).scalar() == 0
            columns = {column["name"] for column in db.inspect(connection).get_columns(
                "organizations")}
            assert "credit_points" not in columns
        downgrade(revision="base")
        db.engine.dispose()
