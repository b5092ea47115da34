"""Workflow, task, transition and ticket definitions, with row-level security per company.

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

SCHEMA = "definitions"
TABLES = (
    "workflows",
    "workflow_definitions",
    "task_definitions",
    "workflow_transitions",
    "ticket_types",
    "ticket_definitions",
)


def _timestamps() -> list[sa.Column[sa.DateTime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "workflows",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_workflows"),
        sa.UniqueConstraint("company_id", "key", name="uq_workflows_company_id_key"),
        schema=SCHEMA,
    )
    op.create_table(
        "workflow_definitions",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("start_task", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["company_id", "workflow_id"],
            ["definitions.workflows.company_id", "definitions.workflows.id"],
            name="fk_workflow_definitions_company_id_workflow_id_workflows",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_workflow_definitions"),
        sa.UniqueConstraint(
            "company_id", "key", "version", name="uq_workflow_definitions_company_id_key_version"
        ),
        schema=SCHEMA,
    )
    op.create_table(
        "task_definitions",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workflow_definition_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("task_type", sa.String(length=20), nullable=False),
        sa.Column("input_schema", postgresql.JSONB(), nullable=False),
        sa.Column("output_schema", postgresql.JSONB(), nullable=False),
        sa.Column("action_url", sa.String(length=2000), nullable=True),
        sa.Column("timeout_seconds", sa.Integer(), nullable=True),
        sa.Column("max_retries", sa.Integer(), nullable=True),
        sa.Column("input_transform", sa.Text(), nullable=True),
        sa.Column("output_transform", sa.Text(), nullable=True),
        sa.Column("edit_layout", postgresql.JSONB(), nullable=True),
        sa.Column("display_layout", postgresql.JSONB(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["company_id", "workflow_definition_id"],
            ["definitions.workflow_definitions.company_id", "definitions.workflow_definitions.id"],
            name="fk_task_definitions_workflow_definition",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_task_definitions"),
        sa.UniqueConstraint(
            "company_id",
            "workflow_definition_id",
            "key",
            name="uq_task_definitions_company_id_workflow_definition_id_key",
        ),
        schema=SCHEMA,
    )
    task_key = [
        "definitions.task_definitions.company_id",
        "definitions.task_definitions.workflow_definition_id",
        "definitions.task_definitions.key",
    ]
    op.create_table(
        "workflow_transitions",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workflow_definition_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_task", sa.String(length=100), nullable=False),
        sa.Column("to_task", sa.String(length=100), nullable=False),
        sa.Column("condition", sa.Text(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["company_id", "workflow_definition_id", "from_task"],
            task_key,
            name="fk_workflow_transitions_from_task",
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "workflow_definition_id", "to_task"],
            task_key,
            name="fk_workflow_transitions_to_task",
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "workflow_definition_id"],
            ["definitions.workflow_definitions.company_id", "definitions.workflow_definitions.id"],
            name="fk_workflow_transitions_workflow_definition",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_workflow_transitions"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_workflow_transitions_company_id_workflow_definition_id",
        "workflow_transitions",
        ["company_id", "workflow_definition_id"],
        schema=SCHEMA,
    )
    op.create_table(
        "ticket_types",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("workflow_key", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=10), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_ticket_types"),
        sa.UniqueConstraint("company_id", "key", name="uq_ticket_types_company_id_key"),
        schema=SCHEMA,
    )
    op.create_table(
        "ticket_definitions",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_type_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("prefix", sa.String(length=10), nullable=False),
        sa.Column("fields", postgresql.JSONB(), nullable=False),
        sa.Column("company_role_access", postgresql.JSONB(), nullable=False),
        sa.Column("workflow_key", sa.String(length=100), nullable=False),
        sa.Column("workflow_version", sa.Integer(), nullable=True),
        sa.Column("edit_layout", postgresql.JSONB(), nullable=True),
        sa.Column("display_layout", postgresql.JSONB(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["company_id", "ticket_type_id"],
            ["definitions.ticket_types.company_id", "definitions.ticket_types.id"],
            name="fk_ticket_definitions_company_id_ticket_type_id_ticket_types",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "workflow_key"],
            ["definitions.workflows.company_id", "definitions.workflows.key"],
            name="fk_ticket_definitions_company_id_workflow_key_workflows",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_ticket_definitions"),
        sa.UniqueConstraint(
            "company_id", "key", "version", name="uq_ticket_definitions_company_id_key_version"
        ),
        schema=SCHEMA,
    )
    enable_tenant_rls(SCHEMA, *TABLES)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table, schema=SCHEMA)
