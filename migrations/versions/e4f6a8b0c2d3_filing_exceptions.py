"""Quota exceptions are decided: a filing under the policy minimum is pending until the admin or
an auditor in scope approves or rejects it, with the approving document attached.

Filings filed earlier with an exception reference were counted at their filed ratio: they are
recorded as approved (as they were treated), with the minimum of the policy then unknown.

Revision ID: e4f6a8b0c2d3
Revises: d3e5f7a9b1c2
Create Date: 2026-12-04 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import marketplace.timeutil

revision = "e4f6a8b0c2d3"
down_revision = "d3e5f7a9b1c2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exception_status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("minimum_ratio", sa.Numeric(precision=6, scale=4),
                                      nullable=True))
        batch_op.add_column(sa.Column("exception_document", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("exception_document_name", sa.String(length=200),
                                      nullable=True))
        batch_op.add_column(sa.Column("exception_note", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("exception_decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("exception_decided_at",
                                      marketplace.timeutil.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_filings_exception_decided_by_id_users"),
                                    "users", ["exception_decided_by_id"], ["id"])
        batch_op.create_check_constraint(
            op.f("ck_filings_exception_status_known"),
            "exception_status IS NULL OR exception_status IN ('pending','approved','rejected')")
    filings = sa.table("filings", sa.column("exception_ref", sa.String),
                       sa.column("exception_status", sa.String))
    op.execute(filings.update().where(filings.c.exception_ref.isnot(None))
               .values(exception_status="approved"))


def downgrade():
    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_filings_exception_status_known"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_filings_exception_decided_by_id_users"),
                                 type_="foreignkey")
        batch_op.drop_column("exception_decided_at")
        batch_op.drop_column("exception_decided_by_id")
        batch_op.drop_column("exception_note")
        batch_op.drop_column("exception_document_name")
        batch_op.drop_column("exception_document")
        batch_op.drop_column("minimum_ratio")
        batch_op.drop_column("exception_status")
