"""The `tickets` consumer group: identity, definitions and engine events, and external ticket
events."""

import contextvars
import weakref
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from common.consumer import Delivery, EventConsumer, Rewind
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


_WORKFLOW_MODELS = {model.event_type: model for model in WORKFLOW_EVENTS}

Projected = tuple[WorkflowEvent, Envelope]


class PartitionBatch:
    """The records of the partition batch being applied, so that the first event of a ticket
    that the batch holds is projected together with the batch's later events of that ticket,
    in one round trip; their own handlers then find them done.

    Every event of a ticket has the same key (its workflow instance), and the consumer runtime
    runs a key's events in order and holds back all the later ones of a key whose event fails:
    so the later events of a ticket run in the same transaction as its first, or not at all
    when the first fails. A group that failed once is projected event by event from then on,
    so one bad event never takes the good ones before it to the dead-letter topic."""

    # Groups (by their first event) whose projection failed; bounded, oldest forgotten first.
    failed_groups: dict[UUID, None] = {}
    MAX_FAILED_GROUPS = 10_000

    def __init__(self, deliveries: Sequence[Delivery]) -> None:
        self._by_key: dict[str, list[Delivery]] = {}
        for delivery in deliveries:
            if delivery.key is not None:
                self._by_key.setdefault(delivery.key, []).append(delivery)
        self._parsed: dict[int, Projected | None] = {}
        self._done: weakref.WeakKeyDictionary[UnitOfWork, set[UUID]] = weakref.WeakKeyDictionary()

    def group(self, event: WorkflowEvent, envelope: Envelope, uow: UnitOfWork) -> list[Projected]:
        """The events to project now for `event` in `uow`'s transaction: none when an earlier
        event of its ticket took it along already, else it and the batch's later events of
        its ticket."""
        done = self._done.setdefault(uow, set())
        if envelope.event_id in done:
            return []
        group: list[Projected] = [(event, envelope)]
        if envelope.event_id not in self.failed_groups:
            group += self._later(event, envelope, done)
        done.update(e.event_id for _, e in group)
        return group

    def _later(self, event: WorkflowEvent, envelope: Envelope, done: set[UUID]) -> list[Projected]:
        later: list[Projected] = []
        seen = {envelope.event_id}
        found = False
        for delivery in self._by_key.get(str(event.workflow_instance_id), []):
            parsed = self._parse(delivery)
            if parsed is None:
                continue
            other, other_envelope = parsed
            if not found:
                found = other_envelope.event_id == envelope.event_id
                continue
            if (
                other.ticket_id == event.ticket_id
                and other_envelope.company_id == envelope.company_id
                and other_envelope.event_id not in seen
                and other_envelope.event_id not in done
            ):
                seen.add(other_envelope.event_id)
                later.append(parsed)
        return later

    def _parse(self, delivery: Delivery) -> Projected | None:
        if delivery.offset not in self._parsed:
            self._parsed[delivery.offset] = _workflow_event_of(delivery)
        return self._parsed[delivery.offset]

    @classmethod
    def failed(cls, group: Sequence[Projected]) -> None:
        if len(group) < 2:
            return
        while len(cls.failed_groups) >= cls.MAX_FAILED_GROUPS:
            del cls.failed_groups[next(iter(cls.failed_groups))]
        cls.failed_groups[group[0][1].event_id] = None


def _workflow_event_of(delivery: Delivery) -> Projected | None:
    """The delivery's workflow event, or None for anything else (the runtime deals with it)."""
    try:
        envelope = Envelope.model_validate_json(delivery.body)
        model = _WORKFLOW_MODELS.get(envelope.type)
        if model is None:
            return None
        return model.model_validate(envelope.data), envelope
    except ValidationError:
        return None


_BATCH: contextvars.ContextVar[PartitionBatch | None] = contextvars.ContextVar(
    "tickets_partition_batch", default=None
)


def event_consumer(db: Database, settings: ServiceSettings | None = None) -> EventConsumer:
    consumer = EventConsumer.for_service(db, settings) if settings else EventConsumer(db, "tickets")

    @consumer.on(TicketDefinitionPublished)
    async def _published(payload: TicketDefinitionPublished, envelope: Envelope, uow: UnitOfWork) -> None:
        await ticket_type_service.record_published(uow, payload)

    @consumer.on(TicketDefinitionArchived)
    async def _archived(payload: TicketDefinitionArchived, envelope: Envelope, uow: UnitOfWork) -> None:
        await ticket_type_service.record_archived(uow, payload.key, envelope.occurred_at)

    async def _workflow_event(payload: WorkflowEvent, envelope: Envelope, uow: UnitOfWork) -> None:
        batch = _BATCH.get()
        if batch is None:
            await ticket_service.record_workflow_event(uow, payload, envelope)
            return
        group = batch.group(payload, envelope, uow)
        try:
            await ticket_service.record_workflow_events(uow, group)
        except Exception:
            PartitionBatch.failed(group)
            raise

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
        token = _BATCH.set(PartitionBatch(deliveries))
        try:
            return await self.events.handle_partition(deliveries)
        finally:
            _BATCH.reset(token)


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
