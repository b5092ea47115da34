from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from engine.assignment.schemas import AssignmentRecordRead
from engine.workflows.schemas import HistoryEntryRead


class TaskView(StrEnum):
    ACTIVE = "active"
    ARCHIVE = "archive"


class TaskSort(StrEnum):
    CREATED_AT_DESC = "-created_at"
    CREATED_AT = "created_at"
    DUE_AT = "due_at"
    DUE_AT_DESC = "-due_at"


class CalendarScope(StrEnum):
    MINE = "mine"
    TEAM = "team"


class TaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    workflow_instance_id: UUID
    ticket_id: UUID
    ticket_number: str
    ticket_title: str
    workflow_status: str
    task_key: str
    name: str
    task_type: str
    status: str
    assignee_id: UUID | None
    assignee_name: str | None = Field(None, description="the assignee's display name")
    assigned_at: datetime | None
    assignment: dict[str, Any] | None = Field(description="why the assignee was chosen, as data")
    assignment_explanation: str | None = Field(
        description='why the assignee was chosen, as a sentence: "fewest open tasks (2), ties broken by '
        'least recently assigned"'
    )
    attempt: int
    error: str | None
    version: int
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    due_at: datetime | None = Field(None, description="from the task definition's `due_in`")
    escalated_at: datetime | None = Field(None, description="when it passed `due_at` open and escalated")
    overdue: bool = Field(False, description="open and past `due_at`")


class TaskDetailRead(TaskRead):
    description: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    edit_layout: dict[str, Any] | None
    display_layout: dict[str, Any] | None
    data: dict[str, Any] = Field(description="the workflow data the task works on")
    output: dict[str, Any] | None
    history: list[HistoryEntryRead]
    assignments: list[AssignmentRecordRead] = Field(
        description="every assignment of the task, oldest first: to whom, by whom or what, and why"
    )


class TaskComplete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    output: dict[str, Any]
    expected_version: int = Field(ge=1, description="the task's `version` as read; a stale one gets 409")


class TaskReassign(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee_id: UUID
    expected_version: int | None = Field(None, ge=1)
    note: str | None = Field(None, max_length=500, description="why, in the assigner's words")
