"""One history row per step: the changes a step records after its first ride along in
`entries` (a JSON list of {id, task_instance_id, action, detail, data_before, data_after, info,
occurred_at}).

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


def upgrade() -> None:
    op.add_column(
        "history",
        sa.Column("entries", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        schema="engine",
    )


def downgrade() -> None:
    op.drop_column("history", "entries", schema="engine")
