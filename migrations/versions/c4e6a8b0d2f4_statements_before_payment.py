"""Statements before payment and their invoices: a statement is confirmed by its buyer and
paid by one transfer (one payment per order, linked to the statement); an invoice belongs to
an order or to a statement; an invoice may be asked at checkout.

Revision ID: c4e6a8b0d2f4
Revises: b3d5f7a9c1e2
Create Date: 2026-12-05 09:50:00
"""
import sqlalchemy as sa
from alembic import op

import marketplace.timeutil

revision = "c4e6a8b0d2f4"
down_revision = "b3d5f7a9c1e2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("settlement_statements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", marketplace.timeutil.UTCDateTime(),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_settlement_statements_confirmed_by_id_users"),
                                    "users", ["confirmed_by_id"], ["id"])
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("statement_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_payments_statement_id"), ["statement_id"],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_payments_statement_id_settlement_statements"),
                                    "settlement_statements", ["statement_id"], ["id"])
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.alter_column("order_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("statement_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_invoices_statement_id"),
                                          ["statement_id"])
        batch_op.create_foreign_key(batch_op.f("fk_invoices_statement_id_settlement_statements"),
                                    "settlement_statements", ["statement_id"], ["id"])
        batch_op.create_check_constraint(batch_op.f("ck_invoices_invoice_of_order_or_statement"),
                                         "(order_id IS NULL) <> (statement_id IS NULL)")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invoice_kind", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("invoice_email", sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("invoice_email")
        batch_op.drop_column("invoice_kind")
    op.execute("DELETE FROM invoices WHERE order_id IS NULL")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_invoices_invoice_of_order_or_statement"),
                                 type_="check")
        batch_op.drop_constraint(batch_op.f("fk_invoices_statement_id_settlement_statements"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_invoices_statement_id"), type_="unique")
        batch_op.drop_column("statement_id")
        batch_op.alter_column("order_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_payments_statement_id_settlement_statements"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_payments_statement_id"))
        batch_op.drop_column("statement_id")
    with op.batch_alter_table("settlement_statements", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_settlement_statements_confirmed_by_id_users"),
                                 type_="foreignkey")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("confirmed_by_id")
