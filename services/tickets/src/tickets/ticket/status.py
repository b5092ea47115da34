"""A ticket's status, as the engine's events move it."""

from enum import StrEnum


class TicketStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    IN_PROGRESS = "IN_PROGRESS"
    ON_HOLD = "ON_HOLD"
    ERROR = "ERROR"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


ARCHIVED = frozenset({TicketStatus.COMPLETED, TicketStatus.CANCELLED})
ACTIVE = frozenset(TicketStatus) - ARCHIVED

_BY_WORKFLOW_EVENT = {
    "workflow.started": TicketStatus.IN_PROGRESS,
    "workflow.resumed": TicketStatus.IN_PROGRESS,
    "workflow.held": TicketStatus.ON_HOLD,
    "workflow.incident": TicketStatus.ERROR,
    "workflow.completed": TicketStatus.COMPLETED,
    "workflow.cancelled": TicketStatus.CANCELLED,
}

_BY_WORKFLOW_STATUS = {
    "RUNNING": TicketStatus.IN_PROGRESS,
    "ON_HOLD": TicketStatus.ON_HOLD,
    "INCIDENT": TicketStatus.ERROR,
    "COMPLETED": TicketStatus.COMPLETED,
    "CANCELLED": TicketStatus.CANCELLED,
}


def status_for_event(event_type: str, workflow_status: str) -> TicketStatus:
    """Workflow events name the status they cause; task events carry the workflow's status at
    that moment (a task failing while retries remain leaves the workflow RUNNING)."""
    by_event = _BY_WORKFLOW_EVENT.get(event_type)
    if by_event is not None:
        return by_event
    return _BY_WORKFLOW_STATUS.get(workflow_status, TicketStatus.IN_PROGRESS)


def is_archived(status: str) -> bool:
    return status in ARCHIVED
