from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from definitions.bundles.schemas import Problem, PublishedVersion, TicketTypeSpec
from definitions.versioning import DefinitionSummary


class TicketTypeUpdate(TicketTypeSpec):
    """A ticket type published on its own, naming the workflow it starts."""

    workflow_key: str = Field(min_length=1, max_length=100)


class TicketTypeVersionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    version: int
    name: str
    workflow_key: str
    workflow_version: int | None
    created_at: datetime
    created_by: str | None


class TicketTypeVersionRead(TicketTypeSpec):
    id: UUID
    version: int
    workflow_key: str
    created_at: datetime
    created_by: str | None


class TicketTypeSummary(DefinitionSummary):
    id: UUID
    key: str
    name: str
    description: str
    prefix: str
    workflow_key: str
    workflow_version: int | None = Field(description="None: the workflow's latest version")
    company_role_access: list[str]
    latest_version: int
    archived: bool
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime


class TicketTypeRead(TicketTypeSummary):
    current: TicketTypeVersionRead
    versions: list[TicketTypeVersionSummary]


class TicketTypePublishResult(BaseModel):
    ticket_type: PublishedVersion
    warnings: list[Problem]
