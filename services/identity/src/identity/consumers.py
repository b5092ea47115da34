"""The `identity` consumer group: ticket submissions and engine events, turned into the
notifications of the people they concern."""

from collections.abc import Sequence

from common.consumer import EventConsumer
from common.db import Database, UnitOfWork
from common.settings import ServiceSettings
from contracts.engine import (
    TaskAssigned,
    TaskDueSoon,
    TaskOverdue,
    WorkflowCancelled,
    WorkflowCompleted,
    WorkflowEvent,
    WorkflowHeld,
    WorkflowIncident,
    WorkflowResumed,
)
from contracts.envelope import Envelope
from contracts.tickets import TicketSubmitted
from contracts.topics import ENGINE_EVENTS, TICKETS_EVENTS
from identity.notifications.fanout import Notifier, may_notify

TOPICS = (TICKETS_EVENTS, ENGINE_EVENTS)

NOTIFYING_EVENTS: tuple[type[WorkflowEvent], ...] = (
    TaskAssigned,
    TaskDueSoon,
    TaskOverdue,
    WorkflowCompleted,
    WorkflowCancelled,
    WorkflowHeld,
    WorkflowResumed,
    WorkflowIncident,
)


def build_event_consumer(db: Database, settings: ServiceSettings, notifier: Notifier) -> EventConsumer:
    consumer = EventConsumer.for_service(db, settings)

    @consumer.on(TicketSubmitted)
    async def on_ticket_submitted(payload: TicketSubmitted, envelope: Envelope, uow: UnitOfWork) -> None:
        await notifier.ticket_submitted(uow, payload)

    async def on_workflow_event(payload: WorkflowEvent, envelope: Envelope, uow: UnitOfWork) -> None:
        await notifier.workflow_event(uow, payload, envelope)

    for model in NOTIFYING_EVENTS:
        consumer.on(model, when=may_notify)(on_workflow_event)
    return consumer


def build_consumers(
    db: Database, settings: ServiceSettings, notifier: Notifier
) -> Sequence[tuple[EventConsumer, Sequence[str]]]:
    return [(build_event_consumer(db, settings, notifier), TOPICS)]
