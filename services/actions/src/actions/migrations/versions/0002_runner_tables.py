"""Company signing secrets, allowlists, handled action attempts and callbacks.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from common.migrations import enable_tenant_rls

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("company_secrets", "company_allowlist", "action_attempts", "callbacks")


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def upgrade() -> None:
    op.create_table(
        "company_secrets",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("previous_secret", sa.String(100), nullable=True),
        sa.Column("previous_valid_until", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", name="pk_company_secrets"),
        schema="actions",
    )
    op.create_table(
        "company_allowlist",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entry", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("note", sa.String(300), nullable=False, server_default=""),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_company_allowlist"),
        sa.UniqueConstraint("company_id", "entry", name="uq_company_allowlist_company_id_entry"),
        schema="actions",
    )
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
    op.create_table(
        "callbacks",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_instance_id", sa.Uuid(), nullable=False),
        sa.Column("task_instance_id", sa.Uuid(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("output_transform", sa.Text(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_callbacks"),
        sa.UniqueConstraint("company_id", "request_id", name="uq_callbacks_company_id_request_id"),
        schema="actions",
    )
    enable_tenant_rls("actions", *TABLES)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table, schema="actions")
