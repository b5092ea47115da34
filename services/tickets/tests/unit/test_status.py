import pytest

from tickets.ticket.status import TicketStatus, is_archived, status_for_event


class TestStatusForEvent:
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
    def test_workflow_events_name_their_status(
        self, event_type: str, workflow_status: str, expected: TicketStatus
    ) -> None:
        assert status_for_event(event_type, workflow_status) is expected

    def test_task_events_follow_the_workflow_status(self) -> None:
        assert status_for_event("task.assigned", "RUNNING") is TicketStatus.IN_PROGRESS
        assert status_for_event("task.failed", "INCIDENT") is TicketStatus.ERROR
        assert status_for_event("task.created", "ON_HOLD") is TicketStatus.ON_HOLD

    def test_a_task_failure_with_retries_left_keeps_the_ticket_in_progress(self) -> None:
        assert status_for_event("task.failed", "RUNNING") is TicketStatus.IN_PROGRESS


class TestIsArchived:
    def test_terminal_statuses_are_archived(self) -> None:
        assert is_archived(TicketStatus.COMPLETED)
        assert is_archived(TicketStatus.CANCELLED)

    def test_open_statuses_are_active(self) -> None:
        assert not any(is_archived(s) for s in ("SUBMITTED", "IN_PROGRESS", "ON_HOLD", "ERROR"))
