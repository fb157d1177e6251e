"""Invoices (发票): one per order, asked by the buyer and issued by the supplier with its file.

Revision ID: f1a2b3c4d5e6
Revises: e3b8c41d7a52
Create Date: 2026-12-04 14:45:00

"""
import sqlalchemy as sa
from alembic import op

import marketplace.timeutil

revision = 'f1a2b3c4d5e6'
down_revision = 'e3b8c41d7a52'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'invoices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=100), nullable=False),
        sa.Column('tax_number', sa.String(length=20), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', marketplace.timeutil.UTCDateTime(), nullable=False),
        sa.Column('reminded_at', marketplace.timeutil.UTCDateTime(), nullable=True),
        sa.Column('number', sa.String(length=20), nullable=True),
        sa.Column('code', sa.String(length=12), nullable=True),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.Column('amount_fen', sa.BigInteger(), nullable=True),
        sa.Column('file_path', sa.String(length=300), nullable=True),
        sa.Column('file_name', sa.String(length=200), nullable=True),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('issued_at', marketplace.timeutil.UTCDateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('normal', 'special')", name=op.f('ck_invoices_invoice_kind')),
        sa.CheckConstraint("status IN ('requested', 'issued')",
                           name=op.f('ck_invoices_invoice_status')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'],
                                name=op.f('fk_invoices_issued_by_id_users')),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'],
                                name=op.f('fk_invoices_order_id_orders')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_invoices_requested_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
        sa.UniqueConstraint('order_id', name=op.f('uq_invoices_order_id')),
    )
    op.create_index('ix_invoices_status_requested', 'invoices', ['status', 'requested_at'])


def downgrade():
    op.drop_index('ix_invoices_status_requested', table_name='invoices')
    op.drop_table('invoices')
