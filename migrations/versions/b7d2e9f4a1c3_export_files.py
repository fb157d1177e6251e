"""export files: exports written by a job, their progress, and how long they are kept

Revision ID: b7d2e9f4a1c3
Revises: 73f123ed6e01
Create Date: 2026-12-04 16:50:00

"""
from alembic import op
import sqlalchemy as sa
import marketplace.timeutil


# revision identifiers, used by Alembic.
revision = 'b7d2e9f4a1c3'
down_revision = '73f123ed6e01'
branch_labels = None
depends_on = None


def upgrade():
    moment = marketplace.timeutil.UTCDateTime(timezone=True)
    op.create_table(
        "export_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("organization_id", sa.Integer(), sa.ForeignKey("organizations.id"),
                  nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("rows_written", sa.Integer(), nullable=False),
        sa.Column("rows_expected", sa.Integer()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=200)),
        sa.Column("size_bytes", sa.BigInteger()),
        sa.Column("error", sa.String(length=500)),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("started_at", moment),
        sa.Column("ready_at", moment),
        sa.Column("expires_at", moment),
        sa.Column("export_id", sa.Integer(), sa.ForeignKey("report_exports.id")),
        sa.CheckConstraint("state IN ('queued','running','ready','failed','expired')",
                           name="export_file_state_known"),
    )
    for column in ("user_id", "organization_id", "state", "created_at", "expires_at"):
        op.create_index(f"ix_export_files_{column}", "export_files", [column])


def downgrade():
    for column in ("user_id", "organization_id", "state", "created_at", "expires_at"):
        op.drop_index(f"ix_export_files_{column}", table_name="export_files")
    op.drop_table("export_files")
