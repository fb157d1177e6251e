"""Products carry the supplier's own code (商品编码), unique per supplier: the key of bulk
listing files and of photos uploaded by code.

Revision ID: c4e8a2d6f0b1
Revises: b7d2e9f4a1c3
Create Date: 2026-12-04 20:55:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4e8a2d6f0b1'
down_revision = 'b7d2e9f4a1c3'
branch_labels = None
depends_on = None


def upgrade():
    # A column and a unique index, not a table rebuild: on SQLite a batch copy of `products`
    # would have to drop a table other tables' foreign keys point at.
    op.add_column('products', sa.Column('code', sa.String(length=40), nullable=True))
    op.create_index('uq_products_supplier_code', 'products', ['supplier_id', 'code'],
                    unique=True)


def downgrade():
    op.drop_index('uq_products_supplier_code', table_name='products')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('code')
