from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, computed_field

from contracts.tickets import TicketStatus
from tickets.attachment.schemas import AttachmentRead
from tickets.ticket.validation import TITLE_MAX_LENGTH


class TicketCreate(BaseModel):
    ticket_type_key: str = Field(min_length=1, max_length=100)
    # Checked by the service (every problem of a submission is listed at once); stated here.
    title: str = Field(
        description=f"1 to {TITLE_MAX_LENGTH} characters, not only blanks.",
        json_schema_extra={"minLength": 1, "maxLength": TITLE_MAX_LENGTH},
    )
    ticket_data: dict[str, Any] = Field(
        default_factory=dict, description="Checked against the ticket type's JSON Schema (`fields`)."
    )


class TicketOutcome(BaseModel):
    """The resolution the ticket's workflow ended with."""

    key: str = Field(description="e.g. approved, rejected: what `outcome=` filters by")
    label: str
    message: str | None = Field(None, description="computed from the workflow data as it ended")


class TicketRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    number: str
    title: str
    ticket_type_key: str
    ticket_type_version: int
    ticket_type_name: str | None = None
    status: TicketStatus
    current_task_name: str | None
    submitted_by: UUID | None
    submitted_by_name: str | None = Field(
        None, description="the submitter's display name, as identity last described them"
    )
    submitted_by_email: str | None
    source: str
    outcome: TicketOutcome | None = None
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime
    closed_at: datetime | None
    resolution_due_at: datetime | None = Field(
        None, description="when the ticket type's resolution target says it should be resolved"
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overdue(self) -> bool:
        """Still open past its resolution due time."""
        return (
            self.resolution_due_at is not None
            and self.closed_at is None
            and self.resolution_due_at < datetime.now(UTC)
        )


class TimelineEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    event_type: str
    status: TicketStatus
    workflow_status: str
    task_key: str | None
    task_name: str | None
    task_status: str | None
    assignee_id: UUID | None
    assignee_name: str | None = None
    detail: str
    occurred_at: datetime


class TicketAttachment(AttachmentRead):
    uploaded_by_name: str | None = None


class TicketDetail(TicketRead):
    ticket_data: dict[str, Any]
    display_layout: dict[str, Any] | None = None
    timeline: list[TimelineEntryRead]
    attachments: list[TicketAttachment]


class OutcomeCount(BaseModel):
    """One outcome the caller's tickets ended with, for the outcome filter."""

    key: str
    label: str
    tickets: int


class TicketView(StrEnum):
    ACTIVE = "active"
    ARCHIVE = "archive"


class TicketSort(StrEnum):
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"
    UPDATED_AT = "updated_at"
    UPDATED_AT_DESC = "-updated_at"
    NUMBER = "number"
    NUMBER_DESC = "-number"
    TITLE = "title"
    TITLE_DESC = "-title"
    STATUS = "status"
    STATUS_DESC = "-status"
    RESOLUTION_DUE_AT = "resolution_due_at"
    RESOLUTION_DUE_AT_DESC = "-resolution_due_at"
    RELEVANCE = "relevance"


class TicketFilters(BaseModel):
    """What the ticket team narrows the company's tickets by."""

    view: TicketView | None = None
    q: str | None = None
    ticket_type_key: str | None = None
    statuses: list[TicketStatus] = Field(default_factory=list)
    outcomes: list[str] = Field(default_factory=list)
    submitted_by: UUID | None = None
    created_from: date | None = None
    created_to: date | None = None
    overdue: bool | None = None
    sort: TicketSort = TicketSort.CREATED_AT_DESC
