"""In-app notifications, each user's preferences per kind, and the tickets' requesters they
are addressed to.

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

SCHEMA = "identity"


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[sa.DateTime]:
    if nullable:
        return sa.Column(name, sa.DateTime(timezone=True), nullable=True)
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["company_id", "user_id"],
        ["identity.users.company_id", "identity.users.id"],
        name=f"fk_{table}_company_id_users",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(300), nullable=True),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("task_instance_id", sa.Uuid(), nullable=True),
        _timestamp("created_at"),
        _timestamp("read_at", nullable=True),
        sa.PrimaryKeyConstraint("company_id", "id", name="pk_notifications"),
        _user_fk("notifications"),
        schema=SCHEMA,
    )
    op.create_index(
        "uq_notifications_company_id_user_id_event_id",
        "notifications",
        ["company_id", "user_id", "event_id"],
        unique=True,
        schema=SCHEMA,
    )
    op.create_index(
        "ix_notifications_company_id_user_id_id",
        "notifications",
        ["company_id", "user_id", "id"],
        schema=SCHEMA,
    )
    op.create_table(
        "notification_preferences",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("company_id", "user_id", "kind", name="pk_notification_preferences"),
        _user_fk("notification_preferences"),
        schema=SCHEMA,
    )
    op.create_table(
        "notification_tickets",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("submitted_by", sa.Uuid(), nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("company_id", "ticket_id", name="pk_notification_tickets"),
        schema=SCHEMA,
    )
    enable_tenant_rls(SCHEMA, "notifications", "notification_preferences", "notification_tickets")


def downgrade() -> None:
    op.drop_table("notification_tickets", schema=SCHEMA)
    op.drop_table("notification_preferences", schema=SCHEMA)
    op.drop_table("notifications", schema=SCHEMA)
