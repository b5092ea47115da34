"""The outbox, inbox and consumer-failure tables of the `identity` schema.

Revision ID: 0001
Revises:
"""

from common.migrations import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables("identity")


def downgrade() -> None:
    drop_messaging_tables("identity")
