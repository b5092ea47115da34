"""Company details and status (suspension), and the platform operators.

`companies` gains editable details (contact email, time zone) and a status: a suspended
company's users cannot sign in, and `tokens_valid_after` ends the sessions open when it was
suspended. A second permissive policy lets a transaction that declared itself a platform
operator's (`app.platform_operator`) read and update every company row, and only those:
users and every other company table keep the tenant policy alone.

`operators` run the platform; they belong to no company, so the table has no `company_id` and
no row-level security (like `signing_keys`).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OPERATOR_PREDICATE = "current_setting('app.platform_operator', true) = 'on'"


def upgrade() -> None:
    op.add_column(
        "companies",
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        schema="identity",
    )
    op.add_column("companies", sa.Column("suspended_at", sa.DateTime(timezone=True)), schema="identity")
    op.add_column("companies", sa.Column("tokens_valid_after", sa.DateTime(timezone=True)), schema="identity")
    op.add_column("companies", sa.Column("contact_email", sa.String(320)), schema="identity")
    op.add_column(
        "companies",
        sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
        schema="identity",
    )
    op.create_check_constraint(
        "known_status", "companies", "status IN ('active', 'suspended')", schema="identity"
    )
    op.execute(
        "CREATE POLICY platform_operator ON identity.companies "
        f"USING ({OPERATOR_PREDICATE}) WITH CHECK ({OPERATOR_PREDICATE})"
    )
    op.create_table(
        "operators",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operators")),
        schema="identity",
    )
    op.create_index(
        "uq_operators_email", "operators", [sa.text("lower(email)")], unique=True, schema="identity"
    )


def downgrade() -> None:
    op.drop_index("uq_operators_email", table_name="operators", schema="identity")
    op.drop_table("operators", schema="identity")
    op.execute("DROP POLICY platform_operator ON identity.companies")
    op.drop_constraint("known_status", "companies", schema="identity")
    for column in ("timezone", "contact_email", "tokens_valid_after", "suspended_at", "status"):
        op.drop_column("companies", column, schema="identity")
