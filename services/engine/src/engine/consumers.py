"""The `engine` consumer group: the events this service applies."""

from collections.abc import Sequence

from common.consumer import EventConsumer
from common.db import Database, UnitOfWork
from common.settings import ServiceSettings
from contracts.actions import ActionAwaitingCallback, ActionFailed, ActionStarted, ActionSucceeded
from contracts.definitions import (
    TicketDefinitionPublished,
    WorkflowDefinitionArchived,
    WorkflowDefinitionPublished,
)
from contracts.envelope import Envelope
from contracts.identity import UserCreated, UserDeactivated, UserRolesChanged, UserState, UserUpdated
from contracts.tickets import TicketSubmitted
from contracts.topics import ACTIONS_RESULTS, DEFINITIONS_EVENTS, IDENTITY_EVENTS, TICKETS_EVENTS
from engine.config import EngineSettings
from engine.definitions import service as definitions
from engine.definitions.repository import DefinitionRepository
from engine.workers.service import apply_user_state
from engine.workflows.runtime import WorkflowRuntime

TOPICS = (
    IDENTITY_EVENTS,
    DEFINITIONS_EVENTS,
    TICKETS_EVENTS,
    ACTIONS_RESULTS,
)


def build_engine_consumer(db: Database, settings: EngineSettings) -> EventConsumer:
    consumer = EventConsumer.for_service(db, settings)

    async def on_user(payload: UserState, envelope: Envelope, uow: UnitOfWork) -> None:
        await apply_user_state(uow, settings, payload)

    for user_event in (UserCreated, UserUpdated, UserDeactivated, UserRolesChanged):
        consumer.on(user_event)(on_user)

    @consumer.on(WorkflowDefinitionPublished)
    async def on_workflow_published(
        payload: WorkflowDefinitionPublished, envelope: Envelope, uow: UnitOfWork
    ) -> None:
        await definitions.store_workflow_definition(DefinitionRepository.of(uow), payload)

    @consumer.on(WorkflowDefinitionArchived)
    async def on_workflow_archived(
        payload: WorkflowDefinitionArchived, envelope: Envelope, uow: UnitOfWork
    ) -> None:
        await definitions.archive_workflow_definition(DefinitionRepository.of(uow), payload)

    @consumer.on(TicketDefinitionPublished)
    async def on_ticket_definition(
        payload: TicketDefinitionPublished, envelope: Envelope, uow: UnitOfWork
    ) -> None:
        await definitions.store_ticket_definition(DefinitionRepository.of(uow), payload)

    @consumer.on(TicketSubmitted)
    async def on_ticket_submitted(payload: TicketSubmitted, envelope: Envelope, uow: UnitOfWork) -> None:
        runtime = WorkflowRuntime.for_event(uow, settings)
        await runtime.progress.start(payload)
        await runtime.write()

    @consumer.on(ActionStarted)
    async def on_action_started(payload: ActionStarted, envelope: Envelope, uow: UnitOfWork) -> None:
        runtime = WorkflowRuntime.for_event(uow, settings)
        await runtime.progress.action_started(payload)
        await runtime.write()

    @consumer.on(ActionSucceeded)
    async def on_action_succeeded(payload: ActionSucceeded, envelope: Envelope, uow: UnitOfWork) -> None:
        runtime = WorkflowRuntime.for_event(uow, settings)
        await runtime.progress.action_succeeded(payload)
        await runtime.write()

    @consumer.on(ActionAwaitingCallback)
    async def on_action_awaiting(
        payload: ActionAwaitingCallback, envelope: Envelope, uow: UnitOfWork
    ) -> None:
        runtime = WorkflowRuntime.for_event(uow, settings)
        await runtime.progress.action_awaiting_callback(payload)
        await runtime.write()

    @consumer.on(ActionFailed)
    async def on_action_failed(payload: ActionFailed, envelope: Envelope, uow: UnitOfWork) -> None:
        runtime = WorkflowRuntime.for_event(uow, settings)
        await runtime.progress.action_failed(payload)
        await runtime.write()

    return consumer


def build_consumers(db: Database, settings: ServiceSettings) -> Sequence[tuple[EventConsumer, Sequence[str]]]:
    assert isinstance(settings, EngineSettings)
    return [(build_engine_consumer(db, settings), TOPICS)]
