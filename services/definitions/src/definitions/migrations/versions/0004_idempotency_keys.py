"""The idempotency keys of create requests (`common.idempotency`).

Revision ID: 0004
Revises: 0003
"""

from common.idempotency import create_idempotency_table, drop_idempotency_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_table("definitions")


def downgrade() -> None:
    drop_idempotency_table("definitions")
