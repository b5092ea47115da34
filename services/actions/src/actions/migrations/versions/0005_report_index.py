"""An index for the reports: a company's action jobs by the time they ended.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_action_jobs_company_id_finished_at",
        "action_jobs",
        ["company_id", "finished_at"],
        schema="actions",
        postgresql_where="finished_at IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_index("ix_action_jobs_company_id_finished_at", "action_jobs", schema="actions")
