"""Timeline entries keep the task instance their event is about; ingest key ids are listed with
their company so a record too broken to name one can still be attributed.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "tickets"


def upgrade() -> None:
    op.add_column("timeline_entries", sa.Column("task_instance_id", sa.Uuid(), nullable=True), schema=SCHEMA)
    op.create_index(
        "ix_timeline_entries_company_id_ticket_id_task_instance_id",
        "timeline_entries",
        ["company_id", "ticket_id", "task_instance_id"],
        schema=SCHEMA,
    )
    op.create_table(
        "ingest_key_directory",
        sa.Column("key_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name="pk_ingest_key_directory"),
        schema=SCHEMA,
    )
    # The keys that exist already. Row-level security is forced on ingest_keys even for its
    # owner, so it is lifted for this one statement, inside the migration's transaction.
    op.execute("ALTER TABLE tickets.ingest_keys NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "INSERT INTO tickets.ingest_key_directory (key_id, company_id) "
        "SELECT id, company_id FROM tickets.ingest_keys"
    )
    op.execute("ALTER TABLE tickets.ingest_keys FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.drop_table("ingest_key_directory", schema=SCHEMA)
    op.drop_index(
        "ix_timeline_entries_company_id_ticket_id_task_instance_id", "timeline_entries", schema=SCHEMA
    )
    op.drop_column("timeline_entries", "task_instance_id", schema=SCHEMA)
