"""job runs: what the scheduler ran, when, and how many it handled

Revision ID: 73f123ed6e01
Revises: f1a2b3c4d5e6
Create Date: 2026-12-04 14:42:13.243063

"""
from alembic import op
import sqlalchemy as sa
import marketplace.timeutil


# revision identifiers, used by Alembic.
revision = '73f123ed6e01'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("started_at", marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", marketplace.timeutil.UTCDateTime(timezone=True)),
        sa.Column("count", sa.Integer()),
        sa.Column("error", sa.String(length=500)),
    )
    op.create_index("ix_job_runs_name", "job_runs", ["name"])
    op.create_index("ix_job_runs_started_at", "job_runs", ["started_at"])


def downgrade():
    op.drop_index("ix_job_runs_started_at", table_name="job_runs")
    op.drop_index("ix_job_runs_name", table_name="job_runs")
    op.drop_table("job_runs")
