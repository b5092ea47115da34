"""Outcomes: the resolution an end task, or a transition into one, gives a finished workflow.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SCHEMA = "definitions"


def upgrade() -> None:
    op.add_column("task_definitions", sa.Column("outcome", postgresql.JSONB(), nullable=True), schema=SCHEMA)
    op.add_column(
        "workflow_transitions", sa.Column("outcome", postgresql.JSONB(), nullable=True), schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_column("workflow_transitions", "outcome", schema=SCHEMA)
    op.drop_column("task_definitions", "outcome", schema=SCHEMA)
