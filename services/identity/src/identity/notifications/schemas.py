from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class NotificationKind(StrEnum):
    TASK_ASSIGNED = "task_assigned"
    TASK_DUE_SOON = "task_due_soon"
    TASK_OVERDUE = "task_overdue"
    TICKET_STATUS = "ticket_status"
    TICKET_FINISHED = "ticket_finished"
    TICKET_NEEDS_INPUT = "ticket_needs_input"
    INCIDENT = "incident"


KIND_LABELS: dict[NotificationKind, str] = {
    NotificationKind.TASK_ASSIGNED: "A task is assigned to me",
    NotificationKind.TASK_DUE_SOON: "My task is due soon",
    NotificationKind.TASK_OVERDUE: "A task is overdue",
    NotificationKind.TICKET_STATUS: "My ticket changed status",
    NotificationKind.TICKET_FINISHED: "My ticket is finished",
    NotificationKind.TICKET_NEEDS_INPUT: "My ticket needs my input",
    NotificationKind.INCIDENT: "An incident in my company (admins)",
}


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    kind: NotificationKind
    title: str
    body: str
    link: str | None = Field(description="where in the app the notification leads")
    ticket_id: UUID | None
    task_instance_id: UUID | None
    created_at: datetime
    read_at: datetime | None


class NotificationSummary(BaseModel):
    unread: int
    latest_id: UUID | None = Field(description="the newest notification; it changes when one arrives")


class PreferenceRead(BaseModel):
    kind: NotificationKind
    label: str
    in_app: bool
    email: bool


class PreferenceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: NotificationKind
    in_app: bool
    email: bool


class PreferencesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    preferences: list[PreferenceUpdate] = Field(max_length=len(NotificationKind))


class MarkedRead(BaseModel):
    marked: int = Field(description="how many notifications were unread and are read now")
