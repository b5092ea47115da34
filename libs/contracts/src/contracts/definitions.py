"""Events of the definitions service (topic `definitions.events`).

Each carries the full published definition (event-carried state): the engine and the tickets
service keep their own copies and never ask the definitions service at run time.
"""

from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.assignment import AssignmentRule
from contracts.envelope import EventPayload
from contracts.topics import DEFINITIONS_EVENTS

TaskType = Literal["FORM", "SYNC_ACTION", "ASYNC_ACTION"]


class EscalationSpec(BaseModel):
    """What happens when a FORM task passes its `due_at` still open."""

    notify: bool = Field(True, description="tell the assignee and the company's ticket admins")
    reassign: bool = Field(False, description="run assignment again, passing over the late assignee")
    to_group: str | None = Field(
        None,
        max_length=100,
        description="a company role: the task goes to the available worker of that role with the fewest open tasks",
    )


class OutcomeSpec(BaseModel):
    """How a workflow ends when it ends here: a resolution the requester is shown. Set on an end
    task (one with no outgoing transition) or on a transition into one; the transition's wins."""

    key: str = Field(description="e.g. approved, rejected: what ticket lists filter by")
    label: str = Field(description="what people read, e.g. Approved")
    message: str | None = Field(
        None, description='JSONata over the workflow data at the end, e.g. `"Refused: " & comment`'
    )


class TaskDefinitionSpec(BaseModel):
    key: str
    name: str
    description: str = ""
    task_type: TaskType
    input_schema: dict[str, Any] = Field(default_factory=dict)
    output_schema: dict[str, Any] = Field(default_factory=dict)
    action_url: str | None = None
    timeout_seconds: int | None = None
    max_retries: int | None = None
    input_transform: str | None = None
    output_transform: str | None = None
    edit_layout: dict[str, Any] | None = None
    display_layout: dict[str, Any] | None = None
    # FORM tasks only: who may receive the task, unless an admin set a rule for it.
    assignment: AssignmentRule | None = None
    due_in: str | None = Field(
        None,
        description="an ISO 8601 duration (PT4H) or a JSONata expression over the workflow data "
        "giving a duration or an ISO 8601 moment; when set, the task instance gets `due_at`",
    )
    escalation: EscalationSpec | None = None
    outcome: OutcomeSpec | None = None


class TransitionSpec(BaseModel):
    from_task: str
    to_task: str
    condition: str | None = None
    priority: int = 0
    position: int = Field(0, description="order in the definition; breaks priority ties")
    outcome: OutcomeSpec | None = None


class WorkflowDefinitionPublished(EventPayload):
    event_type: ClassVar[str] = "workflow_definition.published"
    topic: ClassVar[str] = DEFINITIONS_EVENTS

    workflow_definition_id: UUID
    key: str
    version: int
    name: str
    description: str = ""
    start_task: str
    tasks: list[TaskDefinitionSpec]
    transitions: list[TransitionSpec]

    def aggregate_key(self) -> str:
        return self.key


class WorkflowDefinitionArchived(EventPayload):
    event_type: ClassVar[str] = "workflow_definition.archived"
    topic: ClassVar[str] = DEFINITIONS_EVENTS

    key: str

    def aggregate_key(self) -> str:
        return self.key


class TicketDefinitionPublished(EventPayload):
    event_type: ClassVar[str] = "ticket_definition.published"
    topic: ClassVar[str] = DEFINITIONS_EVENTS

    ticket_definition_id: UUID
    key: str
    version: int
    name: str
    description: str = ""
    prefix: str = Field(description="human number prefix, e.g. HR for HR-1042")
    fields: dict[str, Any] = Field(description="JSON Schema of the ticket data")
    workflow_key: str
    workflow_version: int | None = Field(None, description="None: the latest at submit time")
    company_role_access: list[str]
    edit_layout: dict[str, Any] | None = None
    display_layout: dict[str, Any] | None = None
    resolution_target: str | None = Field(
        None, description="ISO 8601 duration from submission to the ticket's resolution due time"
    )

    def aggregate_key(self) -> str:
        return self.key


class TicketDefinitionArchived(EventPayload):
    event_type: ClassVar[str] = "ticket_definition.archived"
    topic: ClassVar[str] = DEFINITIONS_EVENTS

    key: str

    def aggregate_key(self) -> str:
        return self.key
