"""Credit statements in the export log: the kind `credit`, the SHA-256 of a PDF's whole file,
and what a statement said.

Revision ID: 7c1d5e9a3b20
Revises: 2e46c8f6bb41
Create Date: 2026-12-04 07:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1d5e9a3b20'
down_revision = '2e46c8f6bb41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_exports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('content', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_report_exports_file_sha256'), ['file_sha256'], unique=False)
        batch_op.drop_constraint(op.f('ck_report_exports_report_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_report_exports_report_kind_known'),
                                         "kind IN ('quota','ledger','credit')")


def downgrade():
    op.execute("DELETE FROM report_exports WHERE kind = 'credit'")
    with op.batch_alter_table('report_exports', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_report_exports_report_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_report_exports_report_kind_known'),
                                         "kind IN ('quota','ledger')")
        batch_op.drop_index(batch_op.f('ix_report_exports_file_sha256'))
        batch_op.drop_column('content')
        batch_op.drop_column('file_sha256')
