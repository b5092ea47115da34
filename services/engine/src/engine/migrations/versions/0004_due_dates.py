"""Due dates of task instances and their escalation; the company roles of workers, for
escalations that hand a task to the workers of one role.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
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
    op.add_column(
        "workers",
        sa.Column(
            "company_roles",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_column("workers", "company_roles", schema=SCHEMA)
    op.drop_index("ix_task_instances_company_id_due_at", table_name="task_instances", schema=SCHEMA)
    op.drop_column("task_instances", "escalated_at", schema=SCHEMA)
    op.drop_column("task_instances", "due_at", schema=SCHEMA)
