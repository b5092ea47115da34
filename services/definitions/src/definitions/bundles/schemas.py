"""The bundle: one workflow with its tasks and transitions, and the ticket types that start it.

Tasks are referred to by their stable `key`, never by database ids, so a bundle exported from
one company imports unchanged into another.
"""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from contracts.assignment import AssignmentRule

MAX_TASKS = 200
MAX_TRANSITIONS = 1000
MAX_TICKET_TYPES = 50


class TaskType(StrEnum):
    FORM = "FORM"
    SYNC_ACTION = "SYNC_ACTION"
    ASYNC_ACTION = "ASYNC_ACTION"


class _Spec(BaseModel):
    # Unknown keys are refused so a misspelt `condtion` is reported, not silently dropped.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class EscalationSpec(_Spec):
    """What happens when a FORM task passes its due time still open."""

    notify: bool = Field(True, description="tell the assignee and the company's ticket admins")
    reassign: bool = Field(False, description="run assignment again, passing over the late assignee")
    to_group: str | None = Field(
        None, max_length=100, description="a company role whose available workers take the task over"
    )


class OutcomeSpec(_Spec):
    """The resolution a workflow ends with: on an end task, or on a transition into one (the
    transition's is used when both set one). `message` is JSONata over the workflow data as
    the workflow ends; a plain text is written as a JSONata string, `"Done"`."""

    key: str = Field(min_length=1, max_length=100, description="e.g. approved, rejected")
    label: str = Field(min_length=1, max_length=200, description="e.g. Approved")
    message: str | None = Field(None, max_length=4000)


class TaskSpec(_Spec):
    key: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4000)
    task_type: TaskType
    input_schema: dict[str, Any] = Field(default_factory=dict)
    output_schema: dict[str, Any] = Field(default_factory=dict)
    action_url: str | None = Field(None, max_length=2000)
    timeout_seconds: int | None = None
    max_retries: int | None = None
    input_transform: str | None = None
    output_transform: str | None = None
    edit_layout: dict[str, Any] | None = None
    display_layout: dict[str, Any] | None = None
    assignment: AssignmentRule | None = Field(
        None, description="FORM tasks: who may receive the task (an admin's rule for it wins)"
    )
    due_in: str | None = Field(
        None,
        max_length=2000,
        description="ISO 8601 duration (PT4H, P2D) or a JSONata expression over the workflow data "
        "giving a duration or an ISO 8601 moment",
    )
    escalation: EscalationSpec | None = None
    outcome: OutcomeSpec | None = None


class TransitionSpec(_Spec):
    from_task: str = Field(alias="from", min_length=1, max_length=100)
    to_task: str = Field(alias="to", min_length=1, max_length=100)
    condition: str | None = None
    priority: int = Field(0, ge=-1_000_000, le=1_000_000)
    outcome: OutcomeSpec | None = None


class WorkflowSpec(_Spec):
    key: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4000)
    start_task: str = Field(min_length=1, max_length=100)
    tasks: list[TaskSpec] = Field(min_length=1, max_length=MAX_TASKS)
    transitions: list[TransitionSpec] = Field(default_factory=list, max_length=MAX_TRANSITIONS)
    display_layout: dict[str, Any] | None = Field(None, description="how a workflow instance is shown")


class TicketTypeSpec(_Spec):
    key: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4000)
    prefix: str = Field(min_length=1, max_length=10)
    fields: dict[str, Any] = Field(default_factory=dict)
    company_role_access: list[str] = Field(default_factory=lambda: ["user"], max_length=100)
    workflow_version: int | None = Field(None, ge=1)
    edit_layout: dict[str, Any] | None = None
    display_layout: dict[str, Any] | None = None
    resolution_target: str | None = Field(
        None, max_length=100, description="ISO 8601 duration from submission to resolution due (P3D)"
    )


class Bundle(_Spec):
    workflow: WorkflowSpec
    ticket_types: list[TicketTypeSpec] = Field(default_factory=list, max_length=MAX_TICKET_TYPES)

    def document(self) -> dict[str, Any]:
        """The bundle as exported: every key present, transitions with `from`/`to`."""
        return self.model_dump(mode="json", by_alias=True)


class Problem(BaseModel):
    """One validation finding, located by its path in the bundle."""

    loc: list[str]
    path: str
    msg: str
    type: str
    line: int | None = Field(None, description="for a layout's source: the 1-based line in it")
    column: int | None = Field(None, description="for a layout's source: the 1-based column")


class PublishedVersion(BaseModel):
    key: str
    version: int
    created: bool = Field(description="false when the bundle matched the latest version already")


class PublishResult(BaseModel):
    workflow: PublishedVersion
    ticket_types: list[PublishedVersion]
    warnings: list[Problem]


class ValidationReport(BaseModel):
    valid: bool
    errors: list[Problem]
    warnings: list[Problem]


class DryRunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bundle: dict[str, Any] | None = Field(None, description="walk this bundle's workflow")
    workflow_key: str | None = Field(None, description="or walk a published workflow")
    version: int | None = Field(None, ge=1, description="its version; the latest when omitted")
    ticket_data: dict[str, Any] = Field(default_factory=dict)
    task_outputs: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="output merged into the data when the walk reaches the task"
    )


class ConditionValue(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    to_task: str = Field(alias="to")
    condition: str | None
    priority: int
    value: Any
    holds: bool
    error: str | None


class DryRunStep(BaseModel):
    task_key: str
    task_name: str
    task_type: str
    output_applied: bool
    conditions: list[ConditionValue]
    next_task: str | None


class DryRunResult(BaseModel):
    workflow_key: str
    version: int | None = Field(description="None when a bundle was walked")
    outcome: str = Field(description="COMPLETED, INCIDENT, or STEP_LIMIT when the path loops")
    detail: str
    path: list[str]
    steps: list[DryRunStep]
    workflow_data: dict[str, Any]
    warnings: list[Problem]
