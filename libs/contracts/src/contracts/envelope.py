"""The one envelope every TicketFlower event travels in."""

from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.ids import uuid7


class Actor(BaseModel):
    """Who caused an event: a user, an external system, or the system itself."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="user | system | external")
    id: str | None = None

    @classmethod
    def system(cls, name: str) -> "Actor":
        return cls(kind="system", id=name)

    @classmethod
    def user(cls, user_id: UUID) -> "Actor":
        return cls(kind="user", id=str(user_id))


class Envelope(BaseModel):
    """What goes on the wire. `data` is the payload of the contract named by `type`/`version`."""

    model_config = ConfigDict(frozen=True)

    event_id: UUID = Field(default_factory=uuid7)
    type: str
    version: int = 1
    company_id: UUID | None
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    actor: Actor
    data: dict[str, Any]


class EventPayload(BaseModel):
    """Base of every event payload. Subclasses name their `event_type`, `version` and topic."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1
    topic: ClassVar[str]

    def aggregate_key(self) -> str:
        """The Kafka key: the id of the aggregate whose events must stay in order."""
        raise NotImplementedError


def envelope_for(payload: EventPayload, *, company_id: UUID | None, actor: Actor) -> Envelope:
    return Envelope(
        type=payload.event_type,
        version=payload.event_version,
        company_id=company_id,
        actor=actor,
        data=payload.model_dump(mode="json"),
    )
