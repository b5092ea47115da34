"""Indexes for the reports: tickets by creation and by closing time within a company (the
per-day counts and resolution times read a date range of one company).

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SCHEMA = "tickets"


def upgrade() -> None:
    op.create_index(
        "ix_tickets_company_id_created_at", "tickets", ["company_id", "created_at"], schema=SCHEMA
    )
    op.create_index(
        "ix_tickets_company_id_closed_at",
        "tickets",
        ["company_id", "closed_at"],
        schema=SCHEMA,
        postgresql_where="closed_at IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_company_id_closed_at", "tickets", schema=SCHEMA)
    op.drop_index("ix_tickets_company_id_created_at", "tickets", schema=SCHEMA)
