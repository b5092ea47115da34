"""Events of the tickets service (topic `tickets.events`, keyed by ticket id) and the
inbound contract external systems publish to `tickets.inbound`."""

from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.envelope import EventPayload
from contracts.topics import TICKETS_EVENTS


class TicketSubmitted(EventPayload):
    """A ticket was accepted; the engine starts its workflow."""

    event_type: ClassVar[str] = "ticket.submitted"
    topic: ClassVar[str] = TICKETS_EVENTS

    ticket_id: UUID
    number: str
    title: str
    ticket_definition_key: str
    ticket_definition_version: int
    workflow_key: str
    workflow_version: int | None
    ticket_data: dict[str, Any]
    submitted_by: UUID | None

    def aggregate_key(self) -> str:
        return str(self.ticket_id)


class InboundTicket(BaseModel):
    """The body external systems publish to `tickets.inbound`. The Kafka header
    `x-tf-signature` carries `hex(HMAC-SHA256(ingest_key, body))`, `x-tf-key-id` the key id."""

    event_id: str = Field(min_length=1, max_length=200, description="the sender's id, for dedup")
    company_id: UUID
    ticket_definition_key: str
    title: str = Field(min_length=1, max_length=300)
    ticket_data: dict[str, Any]
    submitted_by_email: str | None = None
