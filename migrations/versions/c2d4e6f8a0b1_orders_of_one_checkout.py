"""The orders one checkout makes share a checkout id: the approval threshold covers their sum
and they are approved or rejected together.

Revision ID: c2d4e6f8a0b1
Revises: b7c1d2e3f405
Create Date: 2026-12-04 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c2d4e6f8a0b1"
down_revision = "b7c1d2e3f405"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkout_id", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_orders_checkout_id"), ["checkout_id"], unique=False)


def downgrade():
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_checkout_id"))
        batch_op.drop_column("checkout_id")
