from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.engine import WorkflowOutcome


class HistoryEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    task_instance_id: UUID | None
    action: str
    actor_kind: str
    actor_id: str | None
    actor_name: str | None = Field(None, description="the person's display name, for a user actor")
    detail: str
    data_before: dict[str, Any] | None
    data_after: dict[str, Any] | None
    info: dict[str, Any] | None
    occurred_at: datetime

    @classmethod
    def of_row(cls, row: Any) -> list["HistoryEntryRead"]:
        """The changes one history row holds (see `engine.models.HistoryEntry`), in order."""
        first = cls.model_validate(row)
        rest = [
            cls.model_validate({"actor_kind": row.actor_kind, "actor_id": row.actor_id, **entry})
            for entry in row.entries or ()
        ]
        return [first, *rest]


class CurrentTaskRead(BaseModel):
    id: UUID
    task_key: str
    name: str
    task_type: str
    status: str
    assignee_id: UUID | None
    assignee_name: str | None = None


class WorkflowInstanceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    ticket_id: UUID
    ticket_number: str
    ticket_title: str
    ticket_definition_key: str
    workflow_key: str
    workflow_version: int
    status: str
    incident: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    outcome: WorkflowOutcome | None = None
    current_task: CurrentTaskRead | None = None


class PathStepRead(BaseModel):
    task_instance_id: UUID
    task_key: str
    name: str
    task_type: str
    status: str
    sequence: int


class DecisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_task_instance_id: UUID
    from_task_key: str
    to_task_key: str | None
    outcome: str
    reason: str
    tried: list[dict[str, Any]]
    created_at: datetime


class WorkflowInstanceDetailRead(WorkflowInstanceRead):
    workflow_data: dict[str, Any]
    path: list[PathStepRead]
    transitions_taken: list[DecisionRead]
    decisions: list[DecisionRead]


class IncidentSkip(BaseModel):
    model_config = ConfigDict(extra="forbid")

    output: dict[str, Any]
