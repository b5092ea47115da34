"""The states of workflow instances and task instances, and the kinds of incident."""

from enum import StrEnum


class WorkflowStatus(StrEnum):
    RUNNING = "RUNNING"
    ON_HOLD = "ON_HOLD"
    INCIDENT = "INCIDENT"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class TaskStatus(StrEnum):
    PENDING = "PENDING"
    ASSIGNED = "ASSIGNED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    ERROR = "ERROR"
    SKIPPED = "SKIPPED"
    CANCELLED = "CANCELLED"


class IncidentKind(StrEnum):
    ACTION_FAILED = "action_failed"
    TIMEOUT = "timeout"
    TRANSITION = "transition"


OPEN_TASK_STATUSES = (TaskStatus.PENDING, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.ERROR)
DONE_TASK_STATUSES = (TaskStatus.COMPLETED, TaskStatus.SKIPPED)
