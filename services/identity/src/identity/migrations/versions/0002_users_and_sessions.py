"""Companies, users, company roles, sessions, reset tokens, signing keys and the login ledger.

`login_identities`, `signing_keys` and `login_attempts` are read before a company is known and
carry no tenant data beyond ids; every other table is guarded by row-level security.

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


def upgrade() -> None:
    op.create_table(
        "companies",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_companies")),
        schema="identity",
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column(
            "attempted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
        schema="identity",
    )
    op.create_index(
        "ix_login_attempts_key_attempted_at",
        "login_attempts",
        ["key", "attempted_at"],
        unique=False,
        schema="identity",
    )
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("algorithm", sa.String(length=16), nullable=False),
        sa.Column("private_key_pem", sa.Text(), nullable=False),
        sa.Column("public_jwk", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_signing_keys")),
        schema="identity",
    )
    op.create_table(
        "company_roles",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["identity.companies.company_id"],
            name=op.f("fk_company_roles_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_company_roles")),
        schema="identity",
    )
    op.create_index(
        "uq_company_roles_company_id_name",
        "company_roles",
        ["company_id", sa.literal_column("lower(name)")],
        unique=True,
        schema="identity",
    )
    op.create_table(
        "users",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("system_roles", sa.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "system_roles <@ "
            "ARRAY['user', 'admin', 'ticket_admin', 'task_worker', 'workflow_creator']::varchar[]",
            name=op.f("ck_users_known_system_roles"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["identity.companies.company_id"],
            name=op.f("fk_users_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_users")),
        schema="identity",
    )
    op.create_index(
        "uq_users_company_id_email",
        "users",
        ["company_id", sa.literal_column("lower(email)")],
        unique=True,
        schema="identity",
    )
    op.create_table(
        "login_identities",
        sa.Column("email_lower", sa.String(length=254), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id", "user_id"],
            ["identity.users.company_id", "identity.users.id"],
            name=op.f("fk_login_identities_company_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("email_lower", name=op.f("pk_login_identities")),
        schema="identity",
    )
    op.create_index(
        "uq_login_identities_company_id_user_id",
        "login_identities",
        ["company_id", "user_id"],
        unique=True,
        schema="identity",
    )
    op.create_table(
        "password_reset_tokens",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('reset', 'invitation')", name=op.f("ck_password_reset_tokens_known_purpose")
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "user_id"],
            ["identity.users.company_id", "identity.users.id"],
            name=op.f("fk_password_reset_tokens_company_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_password_reset_tokens")),
        schema="identity",
    )
    op.create_index(
        "uq_password_reset_tokens_company_id_token_hash",
        "password_reset_tokens",
        ["company_id", "token_hash"],
        unique=True,
        schema="identity",
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id", "user_id"],
            ["identity.users.company_id", "identity.users.id"],
            name=op.f("fk_refresh_tokens_company_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_refresh_tokens")),
        schema="identity",
    )
    op.create_index(
        "ix_refresh_tokens_company_id_family_id",
        "refresh_tokens",
        ["company_id", "family_id"],
        unique=False,
        schema="identity",
    )
    op.create_index(
        "ix_refresh_tokens_company_id_user_id",
        "refresh_tokens",
        ["company_id", "user_id"],
        unique=False,
        schema="identity",
    )
    op.create_index(
        "uq_refresh_tokens_company_id_token_hash",
        "refresh_tokens",
        ["company_id", "token_hash"],
        unique=True,
        schema="identity",
    )
    op.create_table(
        "user_company_roles",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("company_role_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id", "company_role_id"],
            ["identity.company_roles.company_id", "identity.company_roles.id"],
            name=op.f("fk_user_company_roles_company_id_company_role_id_company_roles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "user_id"],
            ["identity.users.company_id", "identity.users.id"],
            name=op.f("fk_user_company_roles_company_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "company_id", "user_id", "company_role_id", name=op.f("pk_user_company_roles")
        ),
        schema="identity",
    )
    enable_tenant_rls(
        "identity",
        "companies",
        "users",
        "company_roles",
        "user_company_roles",
        "refresh_tokens",
        "password_reset_tokens",
    )


def downgrade() -> None:
    op.drop_table("user_company_roles", schema="identity")
    op.drop_index("uq_refresh_tokens_company_id_token_hash", table_name="refresh_tokens", schema="identity")
    op.drop_index("ix_refresh_tokens_company_id_user_id", table_name="refresh_tokens", schema="identity")
    op.drop_index("ix_refresh_tokens_company_id_family_id", table_name="refresh_tokens", schema="identity")
    op.drop_table("refresh_tokens", schema="identity")
    op.drop_index(
        "uq_password_reset_tokens_company_id_token_hash",
        table_name="password_reset_tokens",
        schema="identity",
    )
    op.drop_table("password_reset_tokens", schema="identity")
    op.drop_index("uq_login_identities_company_id_user_id", table_name="login_identities", schema="identity")
    op.drop_table("login_identities", schema="identity")
    op.drop_index("uq_users_company_id_email", table_name="users", schema="identity")
    op.drop_table("users", schema="identity")
    op.drop_index("uq_company_roles_company_id_name", table_name="company_roles", schema="identity")
    op.drop_table("company_roles", schema="identity")
    op.drop_table("signing_keys", schema="identity")
    op.drop_index("ix_login_attempts_key_attempted_at", table_name="login_attempts", schema="identity")
    op.drop_table("login_attempts", schema="identity")
    op.drop_table("companies", schema="identity")
