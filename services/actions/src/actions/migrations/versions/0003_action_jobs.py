"""Action jobs and the runners' queue, replacing the handled-attempt records.

A job per action task instance holds its latest attempt's request until a runner answers it;
the queue (ids and times only, outside row-level security like the engine's timers) is what
runners take due jobs from. Finished attempts are carried over as finished jobs, so the
metrics keep their history.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from common.migrations import enable_tenant_rls

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def upgrade() -> None:
    op.create_table(
        "action_jobs",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("task_instance_id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_instance_id", sa.Uuid(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("task_type", sa.String(20), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("request", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("budget_seconds", sa.Float(), nullable=False, server_default="0"),
        sa.Column("answer_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("http_calls", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "task_instance_id", name="pk_action_jobs"),
        schema="actions",
    )
    op.create_index("ix_action_jobs_company_id_host", "action_jobs", ["company_id", "host"], schema="actions")
    op.create_table(
        "action_queue",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("task_instance_id", sa.Uuid(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(100), nullable=True),
        sa.Column("lease_seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("company_id", "task_instance_id", name="pk_action_queue"),
        schema="actions",
    )
    op.create_index("ix_action_queue_due_at", "action_queue", ["due_at"], schema="actions")
    op.create_index(
        "ix_action_queue_company_id_due_at", "action_queue", ["company_id", "due_at"], schema="actions"
    )
    # The copy reads every company's rows: row-level security is lifted for it alone.
    op.execute("ALTER TABLE actions.action_attempts NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE actions.action_attempts DISABLE ROW LEVEL SECURITY")
    op.execute(
        """
        INSERT INTO actions.action_jobs (
            company_id, task_instance_id, request_id, workflow_instance_id, attempt, task_type,
            host, request, status, http_calls, last_status, finished_at, duration_ms, error,
            created_at, updated_at
        )
        SELECT DISTINCT ON (company_id, task_instance_id)
            company_id, task_instance_id, request_id, workflow_instance_id, attempt, task_type,
            host, '{}'::jsonb, outcome, http_calls, last_status, updated_at, duration_ms, error,
            created_at, updated_at
        FROM actions.action_attempts
        WHERE outcome <> 'running'
        ORDER BY company_id, task_instance_id, attempt DESC
        """
    )
    op.drop_table("action_attempts", schema="actions")
    enable_tenant_rls("actions", "action_jobs")


def downgrade() -> None:
    op.drop_table("action_queue", schema="actions")
    op.drop_table("action_jobs", schema="actions")
    op.create_table(
        "action_attempts",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_instance_id", sa.Uuid(), nullable=False),
        sa.Column("task_instance_id", sa.Uuid(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("task_type", sa.String(20), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("http_calls", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "request_id", name="pk_action_attempts"),
        schema="actions",
    )
    op.create_index(
        "ix_action_attempts_company_id_host", "action_attempts", ["company_id", "host"], schema="actions"
    )
    enable_tenant_rls("actions", "action_attempts")
