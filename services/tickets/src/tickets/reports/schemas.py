from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field


class TypeDayCount(BaseModel):
    day: date
    ticket_type_key: str
    created: int
    closed: int = Field(description="completed or cancelled that day")


class TypeResolution(BaseModel):
    ticket_type_key: str
    ticket_type_name: str
    resolved: int = Field(description="tickets completed in the range")
    p50_seconds: float
    p90_seconds: float


class TicketReportRead(BaseModel):
    first_day: date = Field(serialization_alias="from")
    last_day: date = Field(serialization_alias="to")
    per_day: list[TypeDayCount] = Field(description="only days and types with something to count")
    resolution: list[TypeResolution]


class TypeSla(BaseModel):
    ticket_type_key: str
    ticket_type_name: str
    due: int = Field(description="tickets whose resolution was due in the range, resolved or still open")
    breached: int = Field(description="resolved after their due time, or open past it")
    open_breached: int = Field(description="of the breached, those still open")
    breach_rate: float = Field(description="breached / due, 0..1")


class TicketSlaRead(BaseModel):
    first_day: date = Field(serialization_alias="from")
    last_day: date = Field(serialization_alias="to")
    per_type: list[TypeSla]


class TicketOverviewRead(BaseModel):
    total: int
    by_status: dict[str, int]
    week_start: datetime
    created_this_week: int
    closed_this_week: int


class WaitingTicketRead(BaseModel):
    id: UUID
    number: str
    title: str
    status: str
    ticket_type_key: str
    created_at: datetime
    status_changed_at: datetime
    waiting_on: str | None = Field(description="the task the ticket is at, as its workflow last said")
    task_status: str | None = Field(description="PENDING (no worker yet), ASSIGNED, IN_PROGRESS, ERROR ...")
    assigned: bool = Field(description="a worker holds the task")


class MyOpenTicketsRead(BaseModel):
    total: int
    items: list[WaitingTicketRead] = Field(description="oldest first, at most 50")
