"""After-sale cases (售后): returns and complaints on accepted order lines.

Revision ID: d8e2f4a6b8c0
Revises: c4e6a8b0d2f4
Create Date: 2026-12-05 10:45:00

"""
import sqlalchemy as sa
from alembic import op

import marketplace.timeutil

revision = 'd8e2f4a6b8c0'
down_revision = "c4e6a8b0d2f4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'after_sale_cases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('line_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('answer', sa.String(length=500), nullable=True),
        sa.Column('decision_note', sa.String(length=500), nullable=True),
        sa.Column('opened_by_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', marketplace.timeutil.UTCDateTime(), nullable=False),
        sa.Column('closed_at', marketplace.timeutil.UTCDateTime(), nullable=True),
        sa.CheckConstraint('quantity > 0', name=op.f('ck_after_sale_cases_case_quantity_positive')),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'],
                                name=op.f('fk_after_sale_cases_order_id_orders')),
        sa.ForeignKeyConstraint(['line_id'], ['order_lines.id'],
                                name=op.f('fk_after_sale_cases_line_id_order_lines')),
        sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'],
                                name=op.f('fk_after_sale_cases_opened_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_after_sale_cases')),
    )
    op.create_index(op.f('ix_after_sale_cases_order_id'), 'after_sale_cases', ['order_id'])
    op.create_index(op.f('ix_after_sale_cases_line_id'), 'after_sale_cases', ['line_id'])
    op.create_index(op.f('ix_after_sale_cases_status'), 'after_sale_cases', ['status'])


def downgrade():
    op.drop_index(op.f('ix_after_sale_cases_status'), table_name='after_sale_cases')
    op.drop_index(op.f('ix_after_sale_cases_line_id'), table_name='after_sale_cases')
    op.drop_index(op.f('ix_after_sale_cases_order_id'), table_name='after_sale_cases')
    op.drop_table('after_sale_cases')
