from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.assignment import GROUP_KEY_PATTERN, AssignmentRule, MadeBy, RuleSource

MAX_GROUP_MEMBERS = 500


class RuleRead(BaseModel):
    rule: AssignmentRule
    description: str = Field(description='the rule in words: "group Finance, then shortest queue"')
    updated_at: datetime | None
    updated_by: UUID | None
    updated_by_name: str | None


class CompanyRuleRead(RuleRead):
    source: RuleSource = Field(description="`company` when set, `default` (shortest queue) otherwise")


class TaskRuleRead(BaseModel):
    """A FORM task of a current workflow version and the rule it follows."""

    workflow_key: str
    workflow_name: str
    workflow_version: int
    task_key: str
    task_name: str
    definition_rule: AssignmentRule | None = Field(description="the `assignment` of the task in its bundle")
    task_rule: RuleRead | None = Field(description="the admin's rule for this task, which wins")
    effective: AssignmentRule
    source: RuleSource
    description: str


class AssignmentRulesRead(BaseModel):
    company: CompanyRuleRead
    tasks: list[TaskRuleRead]


class GroupMemberRead(BaseModel):
    user_id: UUID
    display_name: str
    email: str
    available: bool
    is_active: bool
    is_task_worker: bool


class GroupRead(BaseModel):
    id: UUID
    key: str
    name: str
    description: str
    members: list[GroupMemberRead]
    rules: int = Field(description="how many assignment rules send tasks to this group")
    created_at: datetime
    updated_at: datetime


class GroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=100, pattern=GROUP_KEY_PATTERN, description="what rules name")
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    members: list[UUID] = Field(default_factory=list, max_length=MAX_GROUP_MEMBERS)


class GroupUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=2000)
    members: list[UUID] | None = Field(None, max_length=MAX_GROUP_MEMBERS)


class WaitingState(StrEnum):
    UNASSIGNED = "unassigned"
    QUEUED = "queued"


class WaitingTaskRead(BaseModel):
    """An open FORM task nobody has started: waiting for a worker, or in a worker's queue."""

    id: UUID
    workflow_instance_id: UUID
    ticket_id: UUID
    ticket_number: str
    ticket_title: str
    task_key: str
    name: str
    status: str
    state: WaitingState
    assignee_id: UUID | None
    assignee_name: str | None
    assigned_at: datetime | None
    created_at: datetime
    version: int
    rule: str = Field(description="the rule the task follows, in words")
    source: RuleSource


class AssignmentRecordRead(BaseModel):
    """One assignment of a task: to whom, who or what made it, and why."""

    id: UUID
    assignee_id: UUID
    assignee_name: str | None
    previous_assignee_id: UUID | None
    previous_assignee_name: str | None
    made_by: MadeBy
    actor_id: str | None
    actor_name: str | None = Field(description="the person who assigned by hand")
    strategy: str
    explanation: str | None
    reason: dict[str, object]
    created_at: datetime
