"""Due dates of task instances and their escalation.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "engine"


def upgrade() -> None:
    op.add_column(
        "task_instances", sa.Column("due_at", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA
    )
    op.add_column(
        "task_instances", sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA
    )
    op.create_index(
        "ix_task_instances_company_id_due_at", "task_instances", ["company_id", "due_at"], schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_index("ix_task_instances_company_id_due_at", table_name="task_instances", schema=SCHEMA)
    op.drop_column("task_instances", "escalated_at", schema=SCHEMA)
    op.drop_column("task_instances", "due_at", schema=SCHEMA)
