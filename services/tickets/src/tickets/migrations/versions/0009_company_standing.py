"""Company standing: whether identity has suspended the company, from its company status
events, so the tickets service refuses a suspended company's ingest keys.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from common.migrations import enable_tenant_rls

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SCHEMA = "tickets"


def upgrade() -> None:
    op.create_table(
        "company_standing",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("company_id", name="pk_company_standing"),
        schema=SCHEMA,
    )
    enable_tenant_rls(SCHEMA, "company_standing")


def downgrade() -> None:
    op.drop_table("company_standing", schema=SCHEMA)
