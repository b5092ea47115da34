from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from engine.workers.assignment import AssignmentStrategy


class WorkerRead(BaseModel):
    user_id: UUID
    email: str
    display_name: str
    is_active: bool
    available: bool
    open_tasks: int
    last_assigned_at: datetime | None


class AvailabilityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    available: bool


class AssignmentSettingsRead(BaseModel):
    assignment_strategy: AssignmentStrategy


class AssignmentSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignment_strategy: AssignmentStrategy
