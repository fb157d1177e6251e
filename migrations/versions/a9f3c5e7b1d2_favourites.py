"""Favourites (收藏): the products a buyer marked, one row per user and product.

Revision ID: a9f3c5e7b1d2
Revises: c4e8a2d6f0b1
Create Date: 2026-12-05 00:30:00

"""
import sqlalchemy as sa
from alembic import op

from marketplace.timeutil import UTCDateTime

revision = 'a9f3c5e7b1d2'
down_revision = 'c4e8a2d6f0b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'favourites',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_favourites_user_id_users')),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], ondelete='CASCADE',
                                name=op.f('fk_favourites_product_id_products')),
        sa.PrimaryKeyConstraint('user_id', 'product_id', name=op.f('pk_favourites')),
    )
    op.create_index('ix_favourites_product_id', 'favourites', ['product_id'])


def downgrade():
    op.drop_index('ix_favourites_product_id', table_name='favourites')
    op.drop_table('favourites')
