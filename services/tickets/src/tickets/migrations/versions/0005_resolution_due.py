"""A ticket type's resolution target, and each ticket's resolution due time.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "tickets"


def upgrade() -> None:
    op.add_column(
        "ticket_types", sa.Column("resolution_target", sa.String(100), nullable=True), schema=SCHEMA
    )
    op.add_column(
        "tickets", sa.Column("resolution_due_at", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA
    )
    op.create_index(
        "ix_tickets_company_id_resolution_due_at",
        "tickets",
        ["company_id", "resolution_due_at"],
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_company_id_resolution_due_at", table_name="tickets", schema=SCHEMA)
    op.drop_column("tickets", "resolution_due_at", schema=SCHEMA)
    op.drop_column("ticket_types", "resolution_target", schema=SCHEMA)
