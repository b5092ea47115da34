"""Events of the engine (topic `engine.events`, keyed by workflow instance id) and the action
requests it sends to the runners (topic `actions.requests`)."""

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.envelope import EventPayload
from contracts.topics import ACTIONS_REQUESTS, ENGINE_EVENTS


class WorkflowStatus(StrEnum):
    """A workflow instance's status: the engine stores it, every engine event carries it."""

    RUNNING = "RUNNING"
    ON_HOLD = "ON_HOLD"
    INCIDENT = "INCIDENT"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class TaskStatus(StrEnum):
    """A task instance's status: the engine stores it, task events carry it."""

    PENDING = "PENDING"
    ASSIGNED = "ASSIGNED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    ERROR = "ERROR"
    SKIPPED = "SKIPPED"
    CANCELLED = "CANCELLED"


# A task still to be done (an ERROR task waits for an admin's retry or skip).
OPEN_TASK_STATUSES = (TaskStatus.PENDING, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.ERROR)
# A task a worker holds (assigned, or started): what counts toward a worker's open tasks.
WORKED_TASK_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)
# A task whose work is done: the workflow moved past it.
DONE_TASK_STATUSES = (TaskStatus.COMPLETED, TaskStatus.SKIPPED)
# A task that will not change again: the archive of task lists.
CLOSED_TASK_STATUSES = (*DONE_TASK_STATUSES, TaskStatus.CANCELLED)


class WorkflowEvent(EventPayload):
    """Common shape of every engine event: enough for the tickets service to keep the ticket's
    status and timeline without asking the engine."""

    topic: ClassVar[str] = ENGINE_EVENTS

    workflow_instance_id: UUID
    ticket_id: UUID
    workflow_status: WorkflowStatus
    task_instance_id: UUID | None = None
    task_key: str | None = None
    task_name: str | None = None
    task_status: TaskStatus | None = None
    assignee_id: UUID | None = None
    detail: str = ""
    # When the task is due (its definition's `due_in`); absent from engines before due dates.
    due_at: datetime | None = None

    def aggregate_key(self) -> str:
        return str(self.workflow_instance_id)


class WorkflowStarted(WorkflowEvent):
    event_type: ClassVar[str] = "workflow.started"


class WorkflowOutcome(BaseModel):
    """The resolution a workflow ended with, as the definition's `OutcomeSpec` named it, with
    its message computed from the workflow data at the end."""

    key: str
    label: str
    message: str | None = Field(None, description="None when the definition sets none")


class WorkflowCompleted(WorkflowEvent):
    event_type: ClassVar[str] = "workflow.completed"

    # None for a workflow whose end sets no outcome (and from engines before outcomes existed).
    outcome: WorkflowOutcome | None = None


class WorkflowCancelled(WorkflowEvent):
    event_type: ClassVar[str] = "workflow.cancelled"


class WorkflowHeld(WorkflowEvent):
    event_type: ClassVar[str] = "workflow.held"


class WorkflowResumed(WorkflowEvent):
    event_type: ClassVar[str] = "workflow.resumed"


class WorkflowIncident(WorkflowEvent):
    event_type: ClassVar[str] = "workflow.incident"


class TaskCreated(WorkflowEvent):
    event_type: ClassVar[str] = "task.created"


class TaskAssigned(WorkflowEvent):
    event_type: ClassVar[str] = "task.assigned"


class TaskStarted(WorkflowEvent):
    event_type: ClassVar[str] = "task.started"


class TaskCompleted(WorkflowEvent):
    event_type: ClassVar[str] = "task.completed"


class TaskFailed(WorkflowEvent):
    event_type: ClassVar[str] = "task.failed"


class TaskDueSoon(WorkflowEvent):
    """An open FORM task reaches the warning point before its `due_at`."""

    event_type: ClassVar[str] = "task.due_soon"


class TaskOverdue(WorkflowEvent):
    """An open FORM task passed its `due_at`: the escalation of its definition ran. `assignee_id`
    is the assignee after the escalation; `previous_assignee_id` the one who let it pass."""

    event_type: ClassVar[str] = "task.overdue"

    previous_assignee_id: UUID | None = None
    escalation_notify: bool = True


class ActionRequested(EventPayload):
    """Run one attempt of a SYNC_ACTION or ASYNC_ACTION task."""

    event_type: ClassVar[str] = "action.requested"
    topic: ClassVar[str] = ACTIONS_REQUESTS

    request_id: UUID
    workflow_instance_id: UUID
    task_instance_id: UUID
    attempt: int
    task_type: Literal["SYNC_ACTION", "ASYNC_ACTION"]
    action_url: str
    timeout_seconds: int
    max_retries: int | None = None
    input_transform: str | None = None
    output_transform: str | None = None
    workflow_data: dict[str, Any]
    # When the engine sends the request again unless a result, or an `action.started` notice
    # moving it, has arrived. A runner that takes the request so late that its own budget would
    # outlast this tells the engine so. Absent from requests of engines before it was added.
    deadline_at: datetime | None = None

    def aggregate_key(self) -> str:
        return str(self.workflow_instance_id)
