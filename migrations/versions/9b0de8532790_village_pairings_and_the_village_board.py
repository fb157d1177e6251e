"""village pairings and the village board

万企兴万村: villages, enterprises paired with them (their cooperatives and projects), the village
board's needs and the conversations answers open; the report log accepts the pairing export.

Revision ID: 9b0de8532790
Revises: 7c1d5e9a3b20
Create Date: 2026-12-04 06:13:42.391537

"""
from alembic import op
import sqlalchemy as sa
import marketplace.timeutil


# revision identifiers, used by Alembic.
revision = '9b0de8532790'
down_revision = '7c1d5e9a3b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('villages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['regions.code'], name=op.f('fk_villages_county_code_regions')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_villages_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_villages')),
    sa.UniqueConstraint('county_code', 'name', name='uq_villages_county_name')
    )
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_villages_county_code'), ['county_code'], unique=False)

    op.create_table('pairings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('target_fen', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint("status IN ('requested','active','rejected','ended')", name=op.f('ck_pairings_pairing_status_known')),
    sa.CheckConstraint('target_fen > 0', name=op.f('ck_pairings_target_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pairings_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_pairings_decided_by_id_users')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_pairings_ended_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['organizations.id'], name=op.f('fk_pairings_enterprise_id_organizations')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_pairings_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairings')),
    sa.UniqueConstraint('enterprise_id', 'village_id', 'year', name='uq_pairings_enterprise_village_year')
    )
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairings_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairings_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairings_village_id'), ['village_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairings_year'), ['year'], unique=False)

    op.create_table('village_needs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.String(length=2000), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('season', sa.String(length=60), nullable=True),
    sa.Column('project_kind', sa.String(length=30), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('publisher_id', sa.Integer(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('product','project')", name=op.f('ck_village_needs_need_kind_known')),
    sa.CheckConstraint("status IN ('open','closed')", name=op.f('ck_village_needs_need_status_known')),
    sa.CheckConstraint('quantity IS NULL OR quantity > 0', name=op.f('ck_village_needs_quantity_positive')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_village_needs_published_by_id_users')),
    sa.ForeignKeyConstraint(['publisher_id'], ['organizations.id'], name=op.f('fk_village_needs_publisher_id_organizations')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_village_needs_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_needs'))
    )
    with op.batch_alter_table('village_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_village_needs_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_village_needs_publisher_id'), ['publisher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_village_needs_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_village_needs_village_id'), ['village_id'], unique=False)

    op.create_table('need_conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['organizations.id'], name=op.f('fk_need_conversations_enterprise_id_organizations')),
    sa.ForeignKeyConstraint(['need_id'], ['village_needs.id'], name=op.f('fk_need_conversations_need_id_village_needs')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_need_conversations_started_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_conversations')),
    sa.UniqueConstraint('need_id', 'enterprise_id', name='uq_need_conversations_need_enterprise')
    )
    with op.batch_alter_table('need_conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_conversations_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_conversations_last_message_at'), ['last_message_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_conversations_need_id'), ['need_id'], unique=False)

    op.create_table('pairing_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('bases', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.CheckConstraint('bases IS NULL OR bases >= 0', name=op.f('ck_pairing_projects_bases_positive')),
    sa.CheckConstraint('households IS NULL OR households >= 0', name=op.f('ck_pairing_projects_households_positive')),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_pairing_projects_pairing_id_pairings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_projects'))
    )
    with op.batch_alter_table('pairing_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairing_projects_pairing_id'), ['pairing_id'], unique=False)

    op.create_table('pairing_suppliers',
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_pairing_suppliers_pairing_id_pairings')),
    sa.ForeignKeyConstraint(['supplier_id'], ['organizations.id'], name=op.f('fk_pairing_suppliers_supplier_id_organizations')),
    sa.PrimaryKeyConstraint('pairing_id', 'supplier_id', name=op.f('pk_pairing_suppliers'))
    )
    with op.batch_alter_table('pairing_suppliers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairing_suppliers_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('need_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('created_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_need_messages_author_id_users')),
    sa.ForeignKeyConstraint(['conversation_id'], ['need_conversations.id'], name=op.f('fk_need_messages_conversation_id_need_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_messages'))
    )
    with op.batch_alter_table('need_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_messages_conversation_id'), ['conversation_id'], unique=False)

    with op.batch_alter_table('report_exports', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_report_exports_report_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_report_exports_report_kind_known'),
                                         "kind IN ('quota','ledger','credit','pairing')")


def downgrade():
    # The log of pairing exports goes with the kind the older schema does not know.
    op.execute("DELETE FROM report_exports WHERE kind = 'pairing'")
    with op.batch_alter_table('report_exports', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_report_exports_report_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_report_exports_report_kind_known'),
                                         "kind IN ('quota','ledger','credit')")

    with op.batch_alter_table('need_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_messages_conversation_id'))

    op.drop_table('need_messages')
    with op.batch_alter_table('pairing_suppliers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairing_suppliers_supplier_id'))

    op.drop_table('pairing_suppliers')
    with op.batch_alter_table('pairing_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairing_projects_pairing_id'))

    op.drop_table('pairing_projects')
    with op.batch_alter_table('need_conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_conversations_need_id'))
        batch_op.drop_index(batch_op.f('ix_need_conversations_last_message_at'))
        batch_op.drop_index(batch_op.f('ix_need_conversations_enterprise_id'))

    op.drop_table('need_conversations')
    with op.batch_alter_table('village_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_village_needs_village_id'))
        batch_op.drop_index(batch_op.f('ix_village_needs_status'))
        batch_op.drop_index(batch_op.f('ix_village_needs_publisher_id'))
        batch_op.drop_index(batch_op.f('ix_village_needs_created_at'))

    op.drop_table('village_needs')
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairings_year'))
        batch_op.drop_index(batch_op.f('ix_pairings_village_id'))
        batch_op.drop_index(batch_op.f('ix_pairings_status'))
        batch_op.drop_index(batch_op.f('ix_pairings_enterprise_id'))

    op.drop_table('pairings')
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_villages_county_code'))

    op.drop_table('villages')
