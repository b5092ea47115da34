from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from definitions.bundles.schemas import TaskSpec, TaskType, TransitionSpec
from definitions.versioning import DefinitionSummary


class TaskRead(TaskSpec):
    id: UUID
    position: int


class TransitionRead(TransitionSpec):
    id: UUID
    position: int = Field(description="order in the definition; breaks priority ties")


class WorkflowVersionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    version: int
    name: str
    created_at: datetime
    created_by: str | None


class WorkflowVersionRead(WorkflowVersionSummary):
    key: str
    description: str
    start_task: str
    display_layout: dict[str, Any] | None
    tasks: list[TaskRead]
    transitions: list[TransitionRead]


class WorkflowSummary(DefinitionSummary):
    id: UUID
    key: str
    name: str
    description: str
    latest_version: int
    archived: bool
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime


class WorkflowRead(WorkflowSummary):
    current: WorkflowVersionRead
    versions: list[WorkflowVersionSummary]


class TaskSummary(BaseModel):
    id: UUID
    key: str
    name: str
    description: str
    task_type: TaskType
    workflow_key: str
    workflow_version: int
    workflow_name: str


class GraphNode(BaseModel):
    id: str = Field(description="the task key")
    name: str
    task_type: TaskType
    is_start: bool
    is_end: bool = Field(description="no transition leaves it: reaching it ends the workflow")
    outcome_label: str | None = Field(None, description="the outcome an end task names")


class GraphEdge(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: UUID
    from_task: str = Field(alias="from")
    to_task: str = Field(alias="to")
    condition: str | None
    priority: int
    order: int = Field(description="0 for the transition tried first out of its task, then 1, ...")
    outcome_label: str | None = Field(None, description="the outcome a transition into an end names")


class WorkflowGraph(BaseModel):
    key: str
    version: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    display_layout: dict[str, Any] | None = Field(description="the workflow's layout for an instance view")
