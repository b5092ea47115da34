"""Assignment rules, groups of workers, and the record of every assignment.

`assignment_rules` replaces `company_settings`: a company's strategy is its row with both keys
empty, and a task definition's is the row with its workflow and task key. Workers keep their
company roles (from identity events) for the company-role strategy.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from common.migrations import enable_tenant_rls

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA = "engine"


def _timestamps() -> list[sa.Column[sa.DateTime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.add_column(
        "workers",
        sa.Column("company_roles", postgresql.JSONB(), server_default=sa.text("'[]'::jsonb"), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "assignment_rules",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_key", sa.String(length=200), nullable=False),
        sa.Column("task_key", sa.String(length=200), nullable=False),
        sa.Column("rule", postgresql.JSONB(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "workflow_key", "task_key", name=op.f("pk_assignment_rules")),
        schema=SCHEMA,
    )
    # The owner reads every company's settings here (the table goes, so its forced RLS may too).
    op.execute(f"ALTER TABLE {SCHEMA}.company_settings NO FORCE ROW LEVEL SECURITY")
    op.execute(
        """INSERT INTO engine.assignment_rules (company_id, workflow_key, task_key, rule)
        SELECT company_id, '', '', jsonb_build_object('strategy', assignment_strategy)
        FROM engine.company_settings WHERE assignment_strategy <> 'shortest_queue'"""
    )
    op.drop_table("company_settings", schema=SCHEMA)
    op.create_table(
        "worker_groups",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_worker_groups")),
        sa.UniqueConstraint("company_id", "key", name=op.f("uq_worker_groups_company_id_key")),
        schema=SCHEMA,
    )
    op.create_table(
        "worker_group_members",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id", "group_id"],
            [f"{SCHEMA}.worker_groups.company_id", f"{SCHEMA}.worker_groups.id"],
            name=op.f("fk_worker_group_members_company_id_group_id_worker_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "user_id"],
            [f"{SCHEMA}.workers.company_id", f"{SCHEMA}.workers.user_id"],
            name=op.f("fk_worker_group_members_company_id_user_id_workers"),
        ),
        sa.PrimaryKeyConstraint("company_id", "group_id", "user_id", name=op.f("pk_worker_group_members")),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_worker_group_members_company_id_user_id",
        "worker_group_members",
        ["company_id", "user_id"],
        schema=SCHEMA,
    )
    op.create_table(
        "assignments",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("task_instance_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_instance_id", sa.Uuid(), nullable=False),
        sa.Column("assignee_id", sa.Uuid(), nullable=False),
        sa.Column("previous_assignee_id", sa.Uuid(), nullable=True),
        sa.Column("made_by", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.String(length=100), nullable=True),
        sa.Column("strategy", sa.String(length=40), nullable=False),
        sa.Column("reason", postgresql.JSONB(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "task_instance_id"],
            [f"{SCHEMA}.task_instances.company_id", f"{SCHEMA}.task_instances.id"],
            name=op.f("fk_assignments_company_id_task_instance_id_task_instances"),
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_assignments")),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_assignments_company_id_task_instance_id",
        "assignments",
        ["company_id", "task_instance_id"],
        schema=SCHEMA,
    )
    enable_tenant_rls(SCHEMA, "assignment_rules", "worker_groups", "worker_group_members", "assignments")


def downgrade() -> None:
    op.create_table(
        "company_settings",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column(
            "assignment_strategy", sa.String(length=40), server_default="shortest_queue", nullable=False
        ),
        *_timestamps(),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_company_settings")),
        schema=SCHEMA,
    )
    op.execute(f"ALTER TABLE {SCHEMA}.assignment_rules NO FORCE ROW LEVEL SECURITY")
    op.execute(
        """INSERT INTO engine.company_settings (company_id, assignment_strategy)
        SELECT company_id, rule->>'strategy' FROM engine.assignment_rules
        WHERE workflow_key = '' AND task_key = ''
          AND rule->>'strategy' IN ('shortest_queue', 'round_robin')"""
    )
    enable_tenant_rls(SCHEMA, "company_settings")
    op.drop_table("assignments", schema=SCHEMA)
    op.drop_table("worker_group_members", schema=SCHEMA)
    op.drop_table("worker_groups", schema=SCHEMA)
    op.drop_table("assignment_rules", schema=SCHEMA)
    op.drop_column("workers", "company_roles", schema=SCHEMA)
