"""Payment terms are set when an order is placed and when it is accepted, never when it is
read: every order without them yet gets its bank-transfer reference and due date now.

Revision ID: b7c1d2e3f405
Revises: 9b0de8532790
Create Date: 2026-12-04 09:00:00
"""
import secrets
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

import marketplace.timeutil

revision = "b7c1d2e3f405"
down_revision = "9b0de8532790"
branch_labels = None
depends_on = None

DAYS = 30  # pay-first: after placing; goods-first: after acceptance


def upgrade():
    orders = sa.table(
        "orders", sa.column("id", sa.Integer), sa.column("payment_reference", sa.String),
        sa.column("due_date", sa.Date), sa.column("payment_terms", sa.String),
        sa.column("created_at", marketplace.timeutil.UTCDateTime()),
        sa.column("accepted_at", marketplace.timeutil.UTCDateTime()))
    bind = op.get_bind()
    rows = bind.execute(sa.select(orders).where(sa.or_(
        orders.c.payment_reference.is_(None), orders.c.due_date.is_(None)))).fetchall()
    for row in rows:
        values = {}
        if row.payment_reference is None:
            values["payment_reference"] = f"FK{row.id:06d}{secrets.token_hex(2).upper()}"
        start = row.created_at if row.payment_terms == "pay_first" else row.accepted_at
        if row.due_date is None and start is not None:
            values["due_date"] = marketplace.timeutil.to_cst(start).date() + timedelta(days=DAYS)
        if values:
            bind.execute(orders.update().where(orders.c.id == row.id).values(**values))


def downgrade():
    # Only data was filled in; the columns stay as they were.
    pass
