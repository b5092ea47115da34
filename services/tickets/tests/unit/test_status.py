import pytest

from contracts.engine import WorkflowStatus
from contracts.tickets import ARCHIVED_TICKET_STATUSES, TICKET_STATUS_OF_WORKFLOW, TicketStatus


class TestStatusOfWorkflow:
    @pytest.mark.parametrize(
        ("event_type", "workflow_status", "expected"),
        [
            ("workflow.started", "RUNNING", TicketStatus.IN_PROGRESS),
            ("workflow.completed", "COMPLETED", TicketStatus.COMPLETED),
            ("workflow.cancelled", "CANCELLED", TicketStatus.CANCELLED),
            ("workflow.held", "ON_HOLD", TicketStatus.ON_HOLD),
            ("workflow.resumed", "RUNNING", TicketStatus.IN_PROGRESS),
            ("workflow.incident", "INCIDENT", TicketStatus.ERROR),
        ],
    )
    def test_workflow_events_carry_their_status(
        self, event_type: str, workflow_status: str, expected: TicketStatus
    ) -> None:
        # `event_type` names the event that carries `workflow_status`: the ticket's status
        # follows from the status alone.
        assert TICKET_STATUS_OF_WORKFLOW[WorkflowStatus(workflow_status)] is expected

    def test_task_events_follow_the_workflow_status(self) -> None:
        assert TICKET_STATUS_OF_WORKFLOW[WorkflowStatus("RUNNING")] is TicketStatus.IN_PROGRESS
        assert TICKET_STATUS_OF_WORKFLOW[WorkflowStatus("INCIDENT")] is TicketStatus.ERROR
        assert TICKET_STATUS_OF_WORKFLOW[WorkflowStatus("ON_HOLD")] is TicketStatus.ON_HOLD

    def test_a_task_failure_with_retries_left_keeps_the_ticket_in_progress(self) -> None:
        # A task.failed event while retries remain carries RUNNING.
        assert TICKET_STATUS_OF_WORKFLOW[WorkflowStatus("RUNNING")] is TicketStatus.IN_PROGRESS

    def test_every_workflow_status_has_a_ticket_status(self) -> None:
        assert set(TICKET_STATUS_OF_WORKFLOW) == set(WorkflowStatus)


class TestIsArchived:
    def test_terminal_statuses_are_archived(self) -> None:
        assert TicketStatus.COMPLETED in ARCHIVED_TICKET_STATUSES
        assert TicketStatus.CANCELLED in ARCHIVED_TICKET_STATUSES

    def test_open_statuses_are_active(self) -> None:
        assert not any(
            s in ARCHIVED_TICKET_STATUSES for s in ("SUBMITTED", "IN_PROGRESS", "ON_HOLD", "ERROR")
        )
