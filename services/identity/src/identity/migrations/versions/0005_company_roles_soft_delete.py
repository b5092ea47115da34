"""company_roles.deleted_at: a deleted company role keeps its row; only live roles hold a name.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("company_roles", sa.Column("deleted_at", sa.DateTime(timezone=True)), schema="identity")
    op.drop_index("uq_company_roles_company_id_name", table_name="company_roles", schema="identity")
    op.create_index(
        "uq_company_roles_company_id_name",
        "company_roles",
        ["company_id", sa.literal_column("lower(name)")],
        unique=True,
        schema="identity",
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.execute("DELETE FROM identity.company_roles WHERE deleted_at IS NOT NULL")
    op.drop_index("uq_company_roles_company_id_name", table_name="company_roles", schema="identity")
    op.create_index(
        "uq_company_roles_company_id_name",
        "company_roles",
        ["company_id", sa.literal_column("lower(name)")],
        unique=True,
        schema="identity",
    )
    op.drop_column("company_roles", "deleted_at", schema="identity")
