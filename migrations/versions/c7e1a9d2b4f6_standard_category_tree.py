"""standard category tree

Every database holds the platform's standard two-level category tree, so that `db upgrade`
alone makes a database where suppliers can list products. A database that already has
categories (the demo's, a benchmark's, one an admin kept) gets only what is missing: a node
is matched by its name under the same parent and never duplicated; an existing node without
an English name gets the standard one. Nothing else of an existing node changes.

Revision ID: c7e1a9d2b4f6
Revises: a4f2f6044459
Create Date: 2026-12-04 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# Frozen: this revision inserts exactly this tree, forever (see the module's docstring).
from marketplace.catalog.standard_tree import TREE_2026

# revision identifiers, used by Alembic.
revision = 'c7e1a9d2b4f6'
down_revision = 'a4f2f6044459'
branch_labels = None
depends_on = None

# The categories table as this revision knows it (the baseline's columns), not the model.
categories = sa.Table(
    "categories", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(60)),
    sa.Column("name_en", sa.String(80)), sa.Column("parent_id", sa.Integer),
    sa.Column("sort_order", sa.Integer))


def _node(bind, name, name_en, parent_id, sort_order):
    """The id of the category `name` under `parent_id` (the oldest one when an admin made
    several), inserted when missing; fills in a missing English name."""
    c = categories.c
    parent = c.parent_id.is_(None) if parent_id is None else c.parent_id == parent_id
    row = bind.execute(sa.select(c.id, c.name_en).where(parent, c.name == name)
                       .order_by(c.id).limit(1)).first()
    if row is None:
        result = bind.execute(categories.insert().values(
            name=name, name_en=name_en, parent_id=parent_id, sort_order=sort_order))
        return result.inserted_primary_key[0]
    if not row.name_en:
        bind.execute(categories.update().where(c.id == row.id).values(name_en=name_en))
    return row.id


def upgrade():
    bind = op.get_bind()
    for position, (top, top_en, leaves) in enumerate(TREE_2026):
        top_id = _node(bind, top, top_en, None, position)
        for leaf_position, (leaf, leaf_en) in enumerate(leaves):
            _node(bind, leaf, leaf_en, top_id, leaf_position)


def downgrade():
    # The categories stay: products may already be listed under them, and the baseline's
    # schema holds them as they are.
    pass
