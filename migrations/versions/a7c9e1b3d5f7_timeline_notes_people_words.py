"""Timeline notes keep only people's words and data: the app's own Chinese words leave them.

An acceptance's note used to end with what was accepted short ("两斤压坏；部分验收：青稞面 4/6");
the page now reads that from the lines, in the reader's language, so only the buyer's words
stay. A restock's note used to start with "退回库存：" (the step's own label says so) and join
its lines with "，"; it keeps the lines, joined with " · " as new notes are.

Revision ID: a7c9e1b3d5f7
Revises: e9f1a3b5c7d9
Create Date: 2026-12-05 17:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a7c9e1b3d5f7'
down_revision = "e9f1a3b5c7d9"
branch_labels = None
depends_on = None

ACCEPTED_SHORT = "部分验收："
RESTOCKED = "退回库存："

events = sa.table("order_events", sa.column("id", sa.Integer),
                  sa.column("to_status", sa.String), sa.column("note", sa.String))


def _rewrite(connection, status, marker, rewrite):
    rows = connection.execute(sa.select(events.c.id, events.c.note).where(
        events.c.to_status == status, events.c.note.contains(marker))).all()
    for event_id, note in rows:
        connection.execute(events.update().where(events.c.id == event_id)
                           .values(note=rewrite(note)))


def upgrade():
    connection = op.get_bind()
    _rewrite(connection, "accepted", ACCEPTED_SHORT,
             lambda note: note.split(ACCEPTED_SHORT, 1)[0].rstrip("；; ") or None)
    _rewrite(connection, "restocked", RESTOCKED,
             lambda note: note.split(RESTOCKED, 1)[1].replace("，", " · "))


def downgrade():
    # The words removed were the app's, and the pages of the revisions before read both forms
    # (the shortfall from the lines, the restock's lines as they are): nothing to put back.
    pass
