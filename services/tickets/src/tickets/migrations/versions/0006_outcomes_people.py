"""A ticket's outcome (the resolution its workflow ended with), and the people projection:
the display names of the company's users, from identity's events.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from common.migrations import enable_tenant_rls

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA = "tickets"


def upgrade() -> None:
    op.add_column("tickets", sa.Column("outcome_key", sa.String(100), nullable=True), schema=SCHEMA)
    op.add_column("tickets", sa.Column("outcome_label", sa.String(200), nullable=True), schema=SCHEMA)
    op.add_column("tickets", sa.Column("outcome_message", sa.Text(), nullable=True), schema=SCHEMA)
    op.create_index(
        "ix_tickets_company_id_outcome_key_created_at",
        "tickets",
        ["company_id", "outcome_key", "created_at"],
        schema=SCHEMA,
    )
    op.create_table(
        "people",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("display_name", sa.String(300), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("company_id", "user_id", name="pk_people"),
        schema=SCHEMA,
    )
    enable_tenant_rls(SCHEMA, "people")


def downgrade() -> None:
    op.drop_table("people", schema=SCHEMA)
    op.drop_index("ix_tickets_company_id_outcome_key_created_at", "tickets", schema=SCHEMA)
    for column in ("outcome_message", "outcome_label", "outcome_key"):
        op.drop_column("tickets", column, schema=SCHEMA)
