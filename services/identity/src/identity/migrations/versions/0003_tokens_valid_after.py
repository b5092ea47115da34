"""users.tokens_valid_after: access tokens issued before it are refused by the gateway.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("tokens_valid_after", sa.DateTime(timezone=True)), schema="identity")


def downgrade() -> None:
    op.drop_column("users", "tokens_valid_after", schema="identity")
