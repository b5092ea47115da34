"""Due dates: a task definition's `due_in` and escalation, a ticket type's resolution target.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA = "definitions"


def upgrade() -> None:
    op.add_column("task_definitions", sa.Column("due_in", sa.Text(), nullable=True), schema=SCHEMA)
    op.add_column(
        "task_definitions", sa.Column("escalation", postgresql.JSONB(), nullable=True), schema=SCHEMA
    )
    op.add_column(
        "ticket_definitions", sa.Column("resolution_target", sa.String(100), nullable=True), schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_column("ticket_definitions", "resolution_target", schema=SCHEMA)
    op.drop_column("task_definitions", "escalation", schema=SCHEMA)
    op.drop_column("task_definitions", "due_in", schema=SCHEMA)
