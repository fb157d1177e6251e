"""Search: one row of terms per product (GIN-indexed on PostgreSQL) instead of one row per
term, the vocabulary behind pinyin and suggestions, and the admin's synonyms with defaults.

The new rows are empty after the upgrade: run `flask --app wsgi catalog reindex` once (the
README's upgrade steps say so); until then searches find nothing, lists without a query are
unaffected.

Revision ID: e3b8c41d7a52
Revises: e4f6a8b0c2d3
Create Date: 2026-12-04 08:00:00

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import marketplace.timeutil

# revision identifiers, used by Alembic.
revision = 'e3b8c41d7a52'
down_revision = 'e4f6a8b0c2d3'
branch_labels = None
depends_on = None

# The synonyms a new platform starts with (the admin edits them under 管理后台 → 搜索同义词).
# Frozen with this revision: later defaults are a new revision.
DEFAULT_SYNONYMS = (
    ("土豆", "马铃薯", "equal"), ("洋芋", "马铃薯", "equal"), ("番茄", "西红柿", "equal"),
    ("红薯", "地瓜", "equal"), ("玉米", "苞谷", "equal"), ("蔓菁", "圆根", "equal"),
    ("冬虫夏草", "虫草", "equal"), ("藏鸡蛋", "土鸡蛋", "related"), ("牛奶", "鲜奶", "equal"),
    ("蘑菇", "菌菇", "broader"), ("食用菌", "菌菇", "broader"), ("菌子", "菌菇", "broader"),
    ("面条", "挂面", "broader"), ("奶制品", "乳制品", "equal"), ("黄油", "酥油", "related"),
    ("牦牛肉", "牛肉", "related"), ("藏香猪", "猪肉", "related"), ("辣子", "辣椒", "equal"),
    ("青稞粉", "糌粑", "related"), ("干货", "水产干货", "broader"), ("坚果", "干果坚果", "broader"),
)


def upgrade():
    op.create_table('product_search',
    sa.Column('product_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('terms', sa.Text().with_variant(postgresql.ARRAY(sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_search_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_product_search'))
    )
    with op.batch_alter_table('product_search', schema=None) as batch_op:
        batch_op.create_index('ix_product_search_terms', ['terms'], unique=False, postgresql_using='gin', sqlite_where=sa.text('0'))

    op.create_table('search_words',
    sa.Column('word', sa.String(length=40), nullable=False),
    sa.Column('pinyin', sa.String(length=160), nullable=False),
    sa.Column('initials', sa.String(length=40), nullable=False),
    sa.Column('products', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_words'))
    )
    with op.batch_alter_table('search_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_words_initials'), ['initials'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_words_pinyin'), ['pinyin'], unique=False)

    synonyms = op.create_table('search_synonyms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=20), nullable=False),
    sa.Column('other', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('updated_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('equal','broader','related')", name=op.f('ck_search_synonyms_kind_known')),
    sa.CheckConstraint('word <> other', name=op.f('ck_search_synonyms_two_words')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_synonyms')),
    sa.UniqueConstraint('word', 'other', name='uq_search_synonyms_pair')
    )
    with op.batch_alter_table('search_synonyms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_synonyms_other'), ['other'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_synonyms_word'), ['word'], unique=False)
    now = datetime(2026, 12, 4, tzinfo=timezone.utc)
    op.bulk_insert(synonyms, [{"word": word, "other": other, "kind": kind, "updated_at": now}
                              for word, other, kind in DEFAULT_SYNONYMS])

    with op.batch_alter_table('product_search_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_product_search_terms_term_product', postgresql_include=['weight'])
        batch_op.drop_index(batch_op.f('ix_product_search_terms_product_id'))
    op.drop_table('product_search_terms')


def downgrade():
    op.create_table('product_search_terms',
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_search_terms_product_id_products')),
    sa.PrimaryKeyConstraint('term', 'product_id', name=op.f('pk_product_search_terms'))
    )
    with op.batch_alter_table('product_search_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_search_terms_product_id'), ['product_id'], unique=False)
        batch_op.create_index('ix_product_search_terms_term_product', ['term', 'product_id'], unique=False, postgresql_include=['weight'])

    with op.batch_alter_table('search_synonyms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_synonyms_word'))
        batch_op.drop_index(batch_op.f('ix_search_synonyms_other'))
    op.drop_table('search_synonyms')
    with op.batch_alter_table('search_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_words_pinyin'))
        batch_op.drop_index(batch_op.f('ix_search_words_initials'))
    op.drop_table('search_words')
    with op.batch_alter_table('product_search', schema=None) as batch_op:
        batch_op.drop_index('ix_product_search_terms', postgresql_using='gin', sqlite_where=sa.text('0'))
    op.drop_table('product_search')
