"""The engine's tables: definitions and workers it copies from events, workflow and task
instances, decisions, history, per-company settings, and timers (outside row-level security:
the scheduler reads them across companies; they hold only ids and due times).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from common.migrations import enable_tenant_rls

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "company_settings",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column(
            "assignment_strategy", sa.String(length=40), server_default="shortest_queue", nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_company_settings")),
        schema="engine",
    )
    op.create_table(
        "ticket_definitions",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("workflow_key", sa.String(length=200), nullable=False),
        sa.Column("workflow_version", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("company_id", "key", "version", name=op.f("pk_ticket_definitions")),
        schema="engine",
    )
    op.create_table(
        "timers",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("task_instance_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_timers")),
        sa.UniqueConstraint(
            "company_id", "task_instance_id", "kind", name=op.f("uq_timers_company_id_task_instance_id_kind")
        ),
        schema="engine",
    )
    op.create_index("ix_timers_due_at", "timers", ["due_at"], unique=False, schema="engine")
    op.create_table(
        "workers",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=300), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_task_worker", sa.Boolean(), nullable=False),
        sa.Column("available", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("last_assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("company_id", "user_id", name=op.f("pk_workers")),
        schema="engine",
    )
    op.create_table(
        "workflow_definitions",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("start_task", sa.String(length=200), nullable=False),
        sa.Column("tasks", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("transitions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("archived", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_workflow_definitions")),
        sa.UniqueConstraint(
            "company_id", "key", "version", name=op.f("uq_workflow_definitions_company_id_key_version")
        ),
        schema="engine",
    )
    op.create_table(
        "workflow_instances",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_number", sa.String(length=100), nullable=False),
        sa.Column("ticket_title", sa.String(length=300), nullable=False),
        sa.Column("ticket_definition_key", sa.String(length=200), nullable=False),
        sa.Column("workflow_definition_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_key", sa.String(length=200), nullable=False),
        sa.Column("workflow_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("workflow_data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("current_task_instance_id", sa.Uuid(), nullable=True),
        sa.Column("incident", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("submitted_by", sa.Uuid(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_workflow_instances")),
        sa.UniqueConstraint(
            "company_id", "ticket_id", name=op.f("uq_workflow_instances_company_id_ticket_id")
        ),
        schema="engine",
    )
    op.create_index(
        "ix_workflow_instances_company_id_status",
        "workflow_instances",
        ["company_id", "status"],
        unique=False,
        schema="engine",
    )
    op.create_table(
        "decisions",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workflow_instance_id", sa.Uuid(), nullable=False),
        sa.Column("from_task_instance_id", sa.Uuid(), nullable=False),
        sa.Column("from_task_key", sa.String(length=200), nullable=False),
        sa.Column("to_task_key", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("tried", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id", "workflow_instance_id"],
            ["engine.workflow_instances.company_id", "engine.workflow_instances.id"],
            name=op.f("fk_decisions_company_id_workflow_instance_id_workflow_instances"),
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_decisions")),
        schema="engine",
    )
    op.create_index(
        "uq_decisions_company_id_from_task_instance_id",
        "decisions",
        ["company_id", "from_task_instance_id"],
        unique=True,
        schema="engine",
        postgresql_where=sa.text("outcome <> 'incident'"),
    )
    op.create_table(
        "history",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workflow_instance_id", sa.Uuid(), nullable=False),
        sa.Column("task_instance_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("actor_kind", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.Column("data_before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("data_after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("info", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "workflow_instance_id"],
            ["engine.workflow_instances.company_id", "engine.workflow_instances.id"],
            name=op.f("fk_history_company_id_workflow_instance_id_workflow_instances"),
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_history")),
        schema="engine",
    )
    op.create_index(
        "ix_history_company_id_workflow_instance_id",
        "history",
        ["company_id", "workflow_instance_id"],
        unique=False,
        schema="engine",
    )
    op.create_table(
        "task_instances",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workflow_instance_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("task_key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("task_type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("output", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignment", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("attempt", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("retries", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id", "workflow_instance_id"],
            ["engine.workflow_instances.company_id", "engine.workflow_instances.id"],
            name=op.f("fk_task_instances_company_id_workflow_instance_id_workflow_instances"),
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_task_instances")),
        sa.UniqueConstraint(
            "company_id",
            "workflow_instance_id",
            "sequence",
            name=op.f("uq_task_instances_company_id_workflow_instance_id_sequence"),
        ),
        schema="engine",
    )
    op.create_index(
        "ix_task_instances_company_id_assignee_id_status",
        "task_instances",
        ["company_id", "assignee_id", "status"],
        unique=False,
        schema="engine",
    )
    op.create_index(
        "ix_task_instances_company_id_status_created_at",
        "task_instances",
        ["company_id", "status", "created_at"],
        unique=False,
        schema="engine",
    )
    enable_tenant_rls(
        "engine",
        "company_settings",
        "ticket_definitions",
        "workers",
        "workflow_definitions",
        "workflow_instances",
        "decisions",
        "history",
        "task_instances",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_task_instances_company_id_status_created_at", table_name="task_instances", schema="engine"
    )
    op.drop_index(
        "ix_task_instances_company_id_assignee_id_status", table_name="task_instances", schema="engine"
    )
    op.drop_table("task_instances", schema="engine")
    op.drop_index("ix_history_company_id_workflow_instance_id", table_name="history", schema="engine")
    op.drop_table("history", schema="engine")
    op.drop_index(
        "uq_decisions_company_id_from_task_instance_id",
        table_name="decisions",
        schema="engine",
        postgresql_where=sa.text("outcome <> 'incident'"),
    )
    op.drop_table("decisions", schema="engine")
    op.drop_index("ix_workflow_instances_company_id_status", table_name="workflow_instances", schema="engine")
    op.drop_table("workflow_instances", schema="engine")
    op.drop_table("workflow_definitions", schema="engine")
    op.drop_table("workers", schema="engine")
    op.drop_index("ix_timers_due_at", table_name="timers", schema="engine")
    op.drop_table("timers", schema="engine")
    op.drop_table("ticket_definitions", schema="engine")
    op.drop_table("company_settings", schema="engine")
