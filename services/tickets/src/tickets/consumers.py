"""The `tickets` consumer group: identity, definitions and engine events, and external ticket
events."""

from collections.abc import Sequence
from typing import Any

from common.consumer import Delivery, EventConsumer, Rewind, partition_batch
from common.db import Database, UnitOfWork
from common.settings import ServiceSettings
from contracts.definitions import TicketDefinitionArchived, TicketDefinitionPublished
from contracts.engine import (
    TaskAssigned,
    TaskCompleted,
    TaskCreated,
    TaskFailed,
    TaskStarted,
    WorkflowCancelled,
    WorkflowCompleted,
    WorkflowEvent,
    WorkflowHeld,
    WorkflowIncident,
    WorkflowResumed,
    WorkflowStarted,
)
from contracts.envelope import Envelope
from contracts.identity import (
    CompanyReactivated,
    CompanyStatusChanged,
    CompanySuspended,
    UserCreated,
    UserDeactivated,
    UserRolesChanged,
    UserState,
    UserUpdated,
)
from contracts.topics import DEFINITIONS_EVENTS, ENGINE_EVENTS, IDENTITY_EVENTS, TICKETS_INBOUND
from tickets.companies import service as companies_service
from tickets.config import TicketsSettings
from tickets.ingest.inbound import InboundTicketConsumer
from tickets.ingest.service import KeyPolicy
from tickets.people import service as people_service
from tickets.ticket import service as ticket_service
from tickets.ticket_type import service as ticket_type_service

TOPICS = (
    IDENTITY_EVENTS,
    DEFINITIONS_EVENTS,
    ENGINE_EVENTS,
)

WORKFLOW_EVENTS: tuple[type[WorkflowEvent], ...] = (
    WorkflowStarted,
    WorkflowCompleted,
    WorkflowCancelled,
    WorkflowHeld,
    WorkflowResumed,
    WorkflowIncident,
    TaskCreated,
    TaskAssigned,
    TaskStarted,
    TaskCompleted,
    TaskFailed,
)


Projected = tuple[WorkflowEvent, Envelope]


def _ticket_group(event: WorkflowEvent, envelope: Envelope, uow: UnitOfWork) -> list[Projected]:
    """The events to project now for `event` in `uow`'s transaction: none when an earlier event
    of its ticket took it along already, else it and the partition batch's later events of its
    ticket (every event of a ticket has its workflow instance's key), in one round trip."""
    batch = partition_batch()
    if batch is None:
        return [(event, envelope)]
    if batch.taken(uow, envelope.event_id):
        return []
    group: list[Projected] = [(event, envelope)]
    for other, other_envelope in batch.later(envelope):
        if (
            isinstance(other, WorkflowEvent)
            and other.ticket_id == event.ticket_id
            and other_envelope.company_id == envelope.company_id
        ):
            group.append((other, other_envelope))
    batch.take(uow, [e.event_id for _, e in group])
    return group


def event_consumer(db: Database, settings: ServiceSettings | None = None) -> EventConsumer:
    consumer = EventConsumer.for_service(db, settings) if settings else EventConsumer(db, "tickets")

    @consumer.on(TicketDefinitionPublished)
    async def _published(payload: TicketDefinitionPublished, envelope: Envelope, uow: UnitOfWork) -> None:
        await ticket_type_service.record_published(uow, payload)

    @consumer.on(TicketDefinitionArchived)
    async def _archived(payload: TicketDefinitionArchived, envelope: Envelope, uow: UnitOfWork) -> None:
        await ticket_type_service.record_archived(uow, payload.key, envelope.occurred_at)

    async def _workflow_event(payload: WorkflowEvent, envelope: Envelope, uow: UnitOfWork) -> None:
        await ticket_service.record_workflow_events(uow, _ticket_group(payload, envelope, uow))

    for model in WORKFLOW_EVENTS:
        consumer.on(model)(_workflow_event)

    async def _user(payload: UserState, envelope: Envelope, uow: UnitOfWork) -> None:
        await people_service.record_user(uow, payload, envelope)

    for user_event in (UserCreated, UserUpdated, UserDeactivated, UserRolesChanged):
        consumer.on(user_event)(_user)

    async def _company_status(payload: CompanyStatusChanged, envelope: Envelope, uow: UnitOfWork) -> None:
        await companies_service.record_status(uow, payload, envelope)

    for status_event in (CompanySuspended, CompanyReactivated):
        consumer.on(status_event)(_company_status)
    return consumer


class TicketsConsumer(InboundTicketConsumer):
    """The one member of the `tickets` group in a process: external submissions on
    `tickets.inbound`, and every other topic's envelopes through the event handlers."""

    def __init__(self, events: EventConsumer, **options: Any) -> None:
        super().__init__(events.db, events.group, **options)
        self.events = events

    async def handle(self, delivery: Delivery) -> None:
        if delivery.topic == TICKETS_INBOUND:
            await super().handle(delivery)
        else:
            await self.events.handle(delivery)

    async def handle_partition(self, deliveries: Sequence[Delivery]) -> Rewind | None:
        # A partition belongs to one topic.
        if deliveries and deliveries[0].topic == TICKETS_INBOUND:
            return await super().handle_partition(deliveries)
        return await self.events.handle_partition(deliveries)


def build_consumers(db: Database, settings: ServiceSettings) -> Sequence[tuple[EventConsumer, Sequence[str]]]:
    assert isinstance(settings, TicketsSettings)
    events = event_consumer(db, settings)
    consumer = TicketsConsumer(
        events,
        policy=KeyPolicy.from_settings(settings),
        max_attempts=settings.consumer_max_attempts,
        fetch_max_wait_ms=settings.fetch_wait_ms,
        max_batch=settings.consumer_max_batch,
        broker=settings.broker,
    )
    return [(consumer, (*TOPICS, TICKETS_INBOUND))]
