"""Text search over the task lists: a workflow instance's search vector (its ticket's number,
title and submitted data) and an index over task names.

The vector is set by a trigger when an instance is created (and if its ticket's number or
title were ever changed), never when the workflow data changes: every step merges into the
workflow data, and recomputing the vector there would cost each step. So the data searched is
the ticket's data as submitted, which is what someone searching for a ticket remembers.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NEW_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, NEW.ticket_number), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(NEW.ticket_title, '')), 'A') || "
    "setweight(jsonb_to_tsvector('simple'::regconfig, NEW.workflow_data, '[\"string\", \"numeric\"]'), 'B')"
)


def upgrade() -> None:
    op.execute("ALTER TABLE engine.workflow_instances ADD COLUMN search_vector tsvector")
    op.execute(
        f"""
        CREATE FUNCTION engine.workflow_instances_search_vector() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_vector := {NEW_VECTOR};
            RETURN NEW;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER workflow_instances_search_vector "
        "BEFORE INSERT OR UPDATE OF ticket_number, ticket_title ON engine.workflow_instances "
        "FOR EACH ROW EXECUTE FUNCTION engine.workflow_instances_search_vector()"
    )
    # Existing instances: their data has moved on since submission; it is the best there is.
    op.execute("ALTER TABLE engine.workflow_instances NO FORCE ROW LEVEL SECURITY")
    op.execute("UPDATE engine.workflow_instances SET ticket_number = ticket_number")
    op.execute("ALTER TABLE engine.workflow_instances FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE engine.workflow_instances ALTER COLUMN search_vector SET NOT NULL")
    op.execute(
        "CREATE INDEX ix_workflow_instances_search ON engine.workflow_instances USING gin (search_vector)"
    )
    op.execute(
        "CREATE INDEX ix_task_instances_name_search ON engine.task_instances "
        "USING gin (to_tsvector('simple'::regconfig, name))"
    )


def downgrade() -> None:
    op.execute("DROP INDEX engine.ix_task_instances_name_search")
    op.execute("DROP INDEX engine.ix_workflow_instances_search")
    op.execute("DROP TRIGGER workflow_instances_search_vector ON engine.workflow_instances")
    op.execute("DROP FUNCTION engine.workflow_instances_search_vector()")
    op.execute("ALTER TABLE engine.workflow_instances DROP COLUMN search_vector")
