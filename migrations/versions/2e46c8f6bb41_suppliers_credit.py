"""Suppliers' credit: the ledger of events, and the points and tier kept on the supplier's
organisation.

Revision ID: 2e46c8f6bb41
Revises: c21a5e551071
Create Date: 2026-12-04 06:08:41.963736

"""
from alembic import op
import sqlalchemy as sa
import marketplace.timeutil


# revision identifiers, used by Alembic.
revision = '2e46c8f6bb41'
down_revision = 'c21a5e551071'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('credit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=60), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(reason = 'correction') = (source IS NULL)", name=op.f('ck_credit_events_source_unless_correction')),
    sa.CheckConstraint("reason IN ('accepted_in_full','accepted_with_refusal','cancelled_by_supplier','shipped_late','good_review','poor_review','taken_down','correction')", name=op.f('ck_credit_events_reason_known')),
    sa.CheckConstraint('points <> 0', name=op.f('ck_credit_events_points_not_zero')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_credit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_credit_events_order_id_orders')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_credit_events_product_id_products')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_credit_events_review_id_reviews')),
    sa.ForeignKeyConstraint(['supplier_id'], ['organizations.id'], name=op.f('fk_credit_events_supplier_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_events')),
    sa.UniqueConstraint('source', name=op.f('uq_credit_events_source'))
    )
    with op.batch_alter_table('credit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_events_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_events_product_id'), ['product_id'], unique=False)
        batch_op.create_index('ix_credit_events_supplier_at', ['supplier_id', 'at'], unique=False)

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credit_points', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('credit_tier', sa.String(length=10), server_default='standard', nullable=False))


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode would recreate organizations, which SQLite refuses to drop while rows of
        # other tables point at it; SQLite (3.35 and later) drops a plain column in place.
        op.execute("ALTER TABLE organizations DROP COLUMN credit_tier")
        op.execute("ALTER TABLE organizations DROP COLUMN credit_points")
    else:
        op.drop_column('organizations', 'credit_tier')
        op.drop_column('organizations', 'credit_points')

    with op.batch_alter_table('credit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_credit_events_supplier_at')
        batch_op.drop_index(batch_op.f('ix_credit_events_product_id'))
        batch_op.drop_index(batch_op.f('ix_credit_events_order_id'))

    op.drop_table('credit_events')
