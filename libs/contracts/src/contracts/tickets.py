"""Events of the tickets service (topic `tickets.events`, keyed by ticket id) and the
inbound contract external systems publish to `tickets.inbound`.

Publishing to `tickets.inbound` (documented as AsyncAPI in `services/tickets/asyncapi.yaml`):

- value: the UTF-8 JSON of an `InboundTicket` (not an envelope);
- key: anything; the sender's `event_id` keeps per-ticket order if used;
- header `x-tf-key-id`: the id of an ingest key of the company named in the body (a company
  admin creates it with `POST /api/tickets/ingest-keys`; the answer holds the secret once);
- header `x-tf-signature`: `v1=` followed by the lowercase hex HMAC-SHA256 of the exact value
  bytes, keyed with the UTF-8 bytes of the secret. Several space-separated `v1=` signatures are
  accepted (sign with the old and the new secret while rolling out a rotation).

A record is accepted once per company and `event_id`; refused records go to `tickets.dlt` with
the reason, and are listed to the company admin at `GET /api/tickets/inbound-rejections`. While
a platform operator has the company suspended, every record is refused (`company_suspended`).
"""

from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.engine import WorkflowStatus
from contracts.envelope import EventPayload
from contracts.topics import TICKETS_EVENTS


class TicketStatus(StrEnum):
    """A ticket's status: SUBMITTED until its workflow starts, then its workflow's status as a
    submitter reads it."""

    SUBMITTED = "SUBMITTED"
    IN_PROGRESS = "IN_PROGRESS"
    ON_HOLD = "ON_HOLD"
    ERROR = "ERROR"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


ARCHIVED_TICKET_STATUSES = frozenset({TicketStatus.COMPLETED, TicketStatus.CANCELLED})
ACTIVE_TICKET_STATUSES = frozenset(TicketStatus) - ARCHIVED_TICKET_STATUSES

# Every engine event carries its workflow's status after the change it reports (a workflow
# event the status it caused, a task event the status at that moment, so a task failing while
# retries remain leaves the workflow RUNNING): a ticket's status follows from it alone.
TICKET_STATUS_OF_WORKFLOW: dict[WorkflowStatus, TicketStatus] = {
    WorkflowStatus.RUNNING: TicketStatus.IN_PROGRESS,
    WorkflowStatus.ON_HOLD: TicketStatus.ON_HOLD,
    WorkflowStatus.INCIDENT: TicketStatus.ERROR,
    WorkflowStatus.COMPLETED: TicketStatus.COMPLETED,
    WorkflowStatus.CANCELLED: TicketStatus.CANCELLED,
}


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


INBOUND_KEY_ID_HEADER = "x-tf-key-id"
INBOUND_SIGNATURE_HEADER = "x-tf-signature"


class InboundTicket(BaseModel):
    """The body external systems publish to `tickets.inbound`, signed as the module says."""

    event_id: str = Field(min_length=1, max_length=200, description="the sender's id, for dedup")
    company_id: UUID
    ticket_definition_key: str
    title: str = Field(min_length=1, max_length=300)
    ticket_data: dict[str, Any]
    submitted_by_email: str | None = None
