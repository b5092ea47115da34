"""Ticket types, number counters, tickets with their timeline and attachments, ingest keys and
inbound rejections; row-level security on every one of them.

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

SCHEMA = "tickets"
TABLES = (
    "ticket_types",
    "ticket_number_counters",
    "tickets",
    "timeline_entries",
    "attachments",
    "ingest_keys",
    "inbound_rejections",
)

SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(jsonb_to_tsvector('simple'::regconfig, ticket_data, '[\"string\", \"numeric\"]'), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, number), 'A')"
)


def _timestamps() -> list[sa.Column[sa.DateTime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def upgrade() -> None:
    op.create_table(
        "ticket_types",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("prefix", sa.String(20), nullable=False),
        sa.Column("fields", postgresql.JSONB(), nullable=False),
        sa.Column("workflow_key", sa.String(100), nullable=False),
        sa.Column("workflow_version", sa.Integer(), nullable=True),
        sa.Column("company_role_access", postgresql.ARRAY(sa.String(100)), nullable=False),
        sa.Column("edit_layout", postgresql.JSONB(), nullable=True),
        sa.Column("display_layout", postgresql.JSONB(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "key", "version", name="pk_ticket_types"),
        schema=SCHEMA,
    )
    op.create_table(
        "ticket_number_counters",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("prefix", sa.String(20), nullable=False),
        sa.Column("last_number", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("company_id", "prefix", name="pk_ticket_number_counters"),
        schema=SCHEMA,
    )
    op.create_table(
        "tickets",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("prefix", sa.String(20), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("ticket_type_key", sa.String(100), nullable=False),
        sa.Column("ticket_type_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("ticket_data", postgresql.JSONB(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.Uuid(), nullable=True),
        sa.Column("submitted_by_email", sa.String(320), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("inbound_event_id", sa.String(200), nullable=True),
        sa.Column("workflow_instance_id", sa.Uuid(), nullable=True),
        sa.Column("current_task_name", sa.String(200), nullable=True),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(sa.text(SEARCH_VECTOR_SQL), persisted=True),
            nullable=False,
        ),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_tickets"),
        sa.UniqueConstraint("company_id", "number", name="uq_tickets_company_id_number"),
        sa.UniqueConstraint("company_id", "inbound_event_id", name="uq_tickets_company_id_inbound_event_id"),
        schema=SCHEMA,
    )
    op.create_index("ix_tickets_search", "tickets", ["search_vector"], postgresql_using="gin", schema=SCHEMA)
    op.create_index(
        "ix_tickets_company_id_submitted_by_created_at",
        "tickets",
        ["company_id", "submitted_by", "created_at"],
        schema=SCHEMA,
    )
    op.create_index(
        "ix_tickets_company_id_status_created_at",
        "tickets",
        ["company_id", "status", "created_at"],
        schema=SCHEMA,
    )
    op.create_table(
        "timeline_entries",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("workflow_status", sa.String(20), nullable=False),
        sa.Column("task_key", sa.String(100), nullable=True),
        sa.Column("task_name", sa.String(200), nullable=True),
        sa.Column("task_status", sa.String(20), nullable=True),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_timeline_entries"),
        sa.UniqueConstraint("company_id", "event_id", name="uq_timeline_entries_company_id_event_id"),
        sa.ForeignKeyConstraint(
            ["company_id", "ticket_id"],
            ["tickets.tickets.company_id", "tickets.tickets.id"],
            name="fk_timeline_entries_company_id_ticket_id_tickets",
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_timeline_entries_company_id_ticket_id_occurred_at",
        "timeline_entries",
        ["company_id", "ticket_id", "occurred_at"],
        schema=SCHEMA,
    )
    op.create_table(
        "attachments",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("task_instance_id", sa.Uuid(), nullable=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(200), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("ext_key", sa.String(500), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_attachments"),
        sa.UniqueConstraint(
            "company_id",
            "ticket_id",
            "filename",
            "version",
            name="uq_attachments_company_id_ticket_id_filename_version",
        ),
        sa.UniqueConstraint("company_id", "ext_key", name="uq_attachments_company_id_ext_key"),
        sa.ForeignKeyConstraint(
            ["company_id", "ticket_id"],
            ["tickets.tickets.company_id", "tickets.tickets.id"],
            name="fk_attachments_company_id_ticket_id_tickets",
        ),
        schema=SCHEMA,
    )
    op.create_table(
        "ingest_keys",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("secret_fingerprint", sa.String(64), nullable=False),
        sa.Column("previous_valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_ingest_keys"),
        schema=SCHEMA,
    )
    op.create_table(
        "inbound_rejections",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_position", sa.String(300), nullable=False),
        sa.Column("sender_event_id", sa.String(200), nullable=True),
        sa.Column("key_id", sa.String(100), nullable=True),
        sa.Column("reason", sa.String(60), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("errors", postgresql.JSONB(), nullable=True),
        sa.Column("body_excerpt", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_inbound_rejections"),
        sa.UniqueConstraint(
            "company_id", "source_position", name="uq_inbound_rejections_company_id_source_position"
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_inbound_rejections_company_id_received_at",
        "inbound_rejections",
        ["company_id", "received_at"],
        schema=SCHEMA,
    )
    enable_tenant_rls(SCHEMA, *TABLES)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table, schema=SCHEMA)
