"""The outcome a workflow instance ended with (key, label and computed message).

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


def upgrade() -> None:
    op.add_column(
        "workflow_instances",
        sa.Column("outcome", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        schema="engine",
    )


def downgrade() -> None:
    op.drop_column("workflow_instances", "outcome", schema="engine")
