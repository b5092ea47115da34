"""Results the action runners send back to the engine (topic `actions.results`, keyed by
workflow instance id)."""

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from contracts.envelope import EventPayload
from contracts.topics import ACTIONS_RESULTS


class ActionResult(EventPayload):
    topic: ClassVar[str] = ACTIONS_RESULTS

    request_id: UUID
    workflow_instance_id: UUID
    task_instance_id: UUID
    attempt: int

    def aggregate_key(self) -> str:
        return str(self.workflow_instance_id)


class ActionStarted(ActionResult):
    """A runner took the attempt later than the request's `deadline_at` allows for (it waited in
    a queue, or the runner that held it died), and will answer by `answer_by`: every call and
    backoff of the attempt fits before it. Not a result: the task keeps waiting."""

    event_type: ClassVar[str] = "action.started"

    answer_by: datetime


class ActionSucceeded(ActionResult):
    """The call (or, for ASYNC_ACTION, its callback) succeeded; `output` is already
    `output_transform`ed and ready to merge into `workflow_data`."""

    event_type: ClassVar[str] = "action.succeeded"

    output: dict[str, Any]


class ActionAwaitingCallback(ActionResult):
    """An ASYNC_ACTION call was accepted; the task waits for the callback until `expires_at`."""

    event_type: ClassVar[str] = "action.awaiting_callback"

    expires_at: str


class ActionFailed(ActionResult):
    """Retries are spent (or the failure is final); the engine raises an incident."""

    event_type: ClassVar[str] = "action.failed"

    error: str
    status_code: int | None = None
    body_excerpt: str | None = None
