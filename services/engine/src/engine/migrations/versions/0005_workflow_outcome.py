"""The outcome a workflow instance ended with (key, label and computed message).

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


def upgrade() -> None:
    op.add_column(
        "workflow_instances",
        sa.Column("outcome", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        schema="engine",
    )


def downgrade() -> None:
    op.drop_column("workflow_instances", "outcome", schema="engine")
