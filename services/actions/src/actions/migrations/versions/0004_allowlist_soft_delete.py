"""company_allowlist.deleted_at: a removed entry keeps its row; only live entries are unique.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("company_allowlist", sa.Column("deleted_at", sa.DateTime(timezone=True)), schema="actions")
    op.drop_constraint("uq_company_allowlist_company_id_entry", "company_allowlist", schema="actions")
    op.create_index(
        "uq_company_allowlist_company_id_entry",
        "company_allowlist",
        ["company_id", "entry"],
        unique=True,
        schema="actions",
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.execute("DELETE FROM actions.company_allowlist WHERE deleted_at IS NOT NULL")
    op.drop_index("uq_company_allowlist_company_id_entry", table_name="company_allowlist", schema="actions")
    op.create_unique_constraint(
        "uq_company_allowlist_company_id_entry",
        "company_allowlist",
        ["company_id", "entry"],
        schema="actions",
    )
    op.drop_column("company_allowlist", "deleted_at", schema="actions")
