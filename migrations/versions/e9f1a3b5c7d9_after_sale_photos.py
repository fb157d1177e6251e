"""Photos on an after-sale case (售后): what the buyer received, up to three per case.

Revision ID: e9f1a3b5c7d9
Revises: d8e2f4a6b8c0
Create Date: 2026-12-05 13:10:00

"""
import sqlalchemy as sa
from alembic import op

import marketplace.timeutil

revision = 'e9f1a3b5c7d9'
down_revision = "d8e2f4a6b8c0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'after_sale_photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('file_name', sa.String(length=80), nullable=False),
        sa.Column('created_at', marketplace.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['after_sale_cases.id'],
                                name=op.f('fk_after_sale_photos_case_id_after_sale_cases')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_after_sale_photos')),
    )
    op.create_index(op.f('ix_after_sale_photos_case_id'), 'after_sale_photos', ['case_id'])


def downgrade():
    op.drop_index(op.f('ix_after_sale_photos_case_id'), table_name='after_sale_photos')
    op.drop_table('after_sale_photos')
