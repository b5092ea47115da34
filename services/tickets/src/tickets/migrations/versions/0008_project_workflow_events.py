"""The status projection as one function: a ticket's engine events (one, or several of a
consumer batch) are put on its timeline and move its status in a single call, instead of a
locked read of the whole row, an insert and an update per event.

Each event in order: its timeline entry is inserted unless it is already there (a redelivery)
or the ticket is unknown; only a new entry moves the ticket, and only when no later event
already did. The search vector is not touched (its trigger fires on title, data and number
only). The function runs as its caller, so row-level security applies to it as to any query.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION tickets.project_workflow_events(
    p_company_id uuid,
    p_ticket_id uuid,
    p_ids uuid[],
    p_event_ids uuid[],
    p_event_types text[],
    p_statuses text[],
    p_workflow_statuses text[],
    p_task_keys text[],
    p_task_names text[],
    p_task_statuses text[],
    p_task_instance_ids uuid[],
    p_assignee_ids uuid[],
    p_details text[],
    p_occurred_at timestamptz[],
    p_workflow_instance_ids uuid[],
    p_closed boolean[],
    p_touch_task boolean[],
    p_current_task_names text[],
    p_outcome_keys text[],
    p_outcome_labels text[],
    p_outcome_messages text[]
) RETURNS integer
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
    added integer := 0;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_event_ids, 1), 0) LOOP
        INSERT INTO tickets.timeline_entries (
            company_id, id, ticket_id, event_id, event_type, status, workflow_status, task_key,
            task_name, task_status, task_instance_id, assignee_id, detail, occurred_at
        )
        SELECT p_company_id, p_ids[i], t.id, p_event_ids[i], p_event_types[i], p_statuses[i],
               p_workflow_statuses[i], p_task_keys[i], p_task_names[i], p_task_statuses[i],
               p_task_instance_ids[i], p_assignee_ids[i], p_details[i], p_occurred_at[i]
        FROM tickets.tickets AS t
        WHERE t.company_id = p_company_id AND t.id = p_ticket_id
        ON CONFLICT DO NOTHING;
        CONTINUE WHEN NOT FOUND;
        added := added + 1;
        UPDATE tickets.tickets AS t
        SET status = p_statuses[i],
            status_changed_at = p_occurred_at[i],
            closed_at = CASE WHEN p_closed[i] THEN p_occurred_at[i] END,
            workflow_instance_id = p_workflow_instance_ids[i],
            outcome_key = p_outcome_keys[i],
            outcome_label = p_outcome_labels[i],
            outcome_message = p_outcome_messages[i],
            current_task_name = CASE WHEN p_touch_task[i] THEN p_current_task_names[i]
                                     ELSE t.current_task_name END,
            updated_at = now()
        WHERE t.company_id = p_company_id
          AND t.id = p_ticket_id
          AND (t.status = 'SUBMITTED' OR t.status_changed_at <= p_occurred_at[i]);
    END LOOP;
    RETURN added;
END
$$
"""


def upgrade() -> None:
    op.execute(FUNCTION)


def downgrade() -> None:
    op.execute("DROP FUNCTION tickets.project_workflow_events")
