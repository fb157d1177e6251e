"""login sessions: browser logins kept on the server, so logout ends them

Revision ID: c21a5e551071
Revises: c7e1a9d2b4f6
Create Date: 2026-12-04 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa
import marketplace.timeutil


# revision identifiers, used by Alembic.
revision = 'c21a5e551071'
down_revision = 'c7e1a9d2b4f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', marketplace.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_login_sessions_key_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))
    op.drop_table('login_sessions')
