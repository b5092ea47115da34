"""A workflow definition's own display layout (how an instance of it is shown).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "definitions"


def upgrade() -> None:
    op.add_column(
        "workflow_definitions", sa.Column("display_layout", postgresql.JSONB(), nullable=True), schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_column("workflow_definitions", "display_layout", schema=SCHEMA)
