"""A FORM task definition's assignment rule (who may receive the task).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "definitions"


def upgrade() -> None:
    op.add_column(
        "task_definitions", sa.Column("assignment", postgresql.JSONB(), nullable=True), schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_column("task_definitions", "assignment", schema=SCHEMA)
