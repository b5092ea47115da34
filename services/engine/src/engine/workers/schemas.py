from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class WorkerRead(BaseModel):
    user_id: UUID
    email: str
    display_name: str
    is_active: bool
    available: bool
    open_tasks: int
    last_assigned_at: datetime | None
    company_roles: list[str]


class AvailabilityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    available: bool
