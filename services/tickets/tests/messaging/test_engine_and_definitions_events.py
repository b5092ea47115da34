"""Definitions and engine events, through the `tickets` event consumer."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from common.consumer import Delivery
from common.db import Database
from contracts.definitions import TicketDefinitionArchived
from contracts.engine import (
    TaskAssigned,
    TaskCompleted,
    WorkflowCancelled,
    WorkflowCompleted,
    WorkflowHeld,
    WorkflowIncident,
    WorkflowStarted,
)
from contracts.envelope import Actor, Envelope, EventPayload, envelope_for
from contracts.ids import uuid7
from tickets.consumers import event_consumer
from tickets.models import Ticket, TicketType, TimelineEntry
from tickets.ticket import service as ticket_service

from ..tickets_test_support import VALID_LEAVE, publish_ticket_type, ticket_definition

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def as_delivery(envelope: Envelope) -> Delivery:
    return Delivery("engine.events", 0, 0, None, envelope.model_dump_json().encode(), {})


def envelope(payload: EventPayload, company_id: UUID, at: datetime | None = None) -> Envelope:
    built = envelope_for(payload, company_id=company_id, actor=Actor.system("engine"))
    return built.model_copy(update={"occurred_at": at}) if at else built


@pytest.fixture
async def ticket(db: Database) -> Ticket:
    company_id = uuid7()
    await publish_ticket_type(db, company_id)
    async with db.unit_of_work(company_id) as uow:
        return await ticket_service.submit(
            uow,
            company_id,
            ticket_service.Submitter(user_id=uuid7(), company_roles=["user"]),
            ticket_type_key="leave",
            title="Leave",
            ticket_data=VALID_LEAVE,
        )


def event(model: Any, ticket: Ticket, workflow_status: str = "RUNNING", **fields: Any) -> Any:
    return model(workflow_instance_id=uuid7(), ticket_id=ticket.id, workflow_status=workflow_status, **fields)


async def reload(db: Database, ticket: Ticket) -> tuple[Ticket, list[TimelineEntry]]:
    async with db.unit_of_work(ticket.company_id) as uow:
        fresh = await uow.session.scalar(select(Ticket).where(Ticket.id == ticket.id))
        assert fresh is not None
        entries = list(await uow.session.scalars(select(TimelineEntry).order_by(TimelineEntry.occurred_at)))
    return fresh, entries


class TestWorkflowEvents:
    async def test_walk_a_ticket_through_its_workflow(self, db: Database, ticket: Ticket) -> None:
        consumer = event_consumer(db)
        steps = [
            event(WorkflowStarted, ticket),
            event(TaskAssigned, ticket, task_key="approve", task_name="Approve", task_status="ASSIGNED"),
            event(WorkflowHeld, ticket, "ON_HOLD"),
            event(WorkflowIncident, ticket, "INCIDENT", detail="HR system down"),
            event(TaskCompleted, ticket, task_key="approve", task_name="Approve", task_status="COMPLETED"),
            event(WorkflowCompleted, ticket, "COMPLETED"),
        ]
        seen = []
        for n, payload in enumerate(steps):
            await consumer.handle(
                as_delivery(envelope(payload, ticket.company_id, T0 + timedelta(minutes=n)))
            )
            seen.append((await reload(db, ticket))[0].status)
        assert seen == ["IN_PROGRESS", "IN_PROGRESS", "ON_HOLD", "ERROR", "IN_PROGRESS", "COMPLETED"]
        fresh, timeline = await reload(db, ticket)
        assert fresh.closed_at == T0 + timedelta(minutes=5)
        assert fresh.current_task_name is None
        assert [e.event_type for e in timeline][-1] == "workflow.completed"
        assert timeline[3].detail == "HR system down"

    async def test_a_cancelled_workflow_archives_the_ticket(self, db: Database, ticket: Ticket) -> None:
        await event_consumer(db).handle(
            as_delivery(envelope(event(WorkflowCancelled, ticket, "CANCELLED"), ticket.company_id))
        )
        assert (await reload(db, ticket))[0].status == "CANCELLED"

    async def test_a_redelivered_event_is_on_the_timeline_once(self, db: Database, ticket: Ticket) -> None:
        consumer = event_consumer(db)
        started = as_delivery(envelope(event(WorkflowStarted, ticket), ticket.company_id, T0))
        await consumer.handle(started)
        await consumer.handle(started)
        assert len((await reload(db, ticket))[1]) == 1

    async def test_an_older_event_arriving_late_does_not_reopen_the_ticket(
        self, db: Database, ticket: Ticket
    ) -> None:
        consumer = event_consumer(db)
        completed = envelope(
            event(WorkflowCompleted, ticket, "COMPLETED"), ticket.company_id, T0 + timedelta(hours=1)
        )
        await consumer.handle(as_delivery(completed))
        await consumer.handle(as_delivery(envelope(event(TaskAssigned, ticket), ticket.company_id, T0)))
        fresh, timeline = await reload(db, ticket)
        assert fresh.status == "COMPLETED"
        assert [e.event_type for e in timeline] == ["task.assigned", "workflow.completed"]

    async def test_an_event_of_another_companys_ticket_changes_nothing(
        self, db: Database, ticket: Ticket
    ) -> None:
        await event_consumer(db).handle(as_delivery(envelope(event(WorkflowStarted, ticket), uuid7())))
        fresh, timeline = await reload(db, ticket)
        assert fresh.status == "SUBMITTED"
        assert timeline == []


class TestDefinitionEvents:
    async def test_published_versions_are_kept_and_archive_hides_the_type(self, db: Database) -> None:
        company_id = uuid7()
        consumer = event_consumer(db)
        for version in (1, 2):
            published = ticket_definition(version=version)
            await consumer.handle(
                as_delivery(envelope_for(published, company_id=company_id, actor=Actor.system("definitions")))
            )
        await consumer.handle(
            as_delivery(
                envelope_for(
                    TicketDefinitionArchived(key="leave"), company_id=company_id, actor=Actor.system("d")
                )
            )
        )
        async with db.unit_of_work(company_id) as uow:
            rows = list(await uow.session.scalars(select(TicketType).order_by(TicketType.version)))
        assert [(t.version, t.archived_at is not None) for t in rows] == [(1, True), (2, True)]

    async def test_an_invalid_field_schema_is_dead_lettered(self, db: Database) -> None:
        company_id = uuid7()
        broken = ticket_definition(fields={"type": "no-such-type"})
        await event_consumer(db).handle(
            as_delivery(envelope_for(broken, company_id=company_id, actor=Actor.system("definitions")))
        )
        async with db.unit_of_work(company_id) as uow:
            assert list(await uow.session.scalars(select(TicketType))) == []
        outbox = db.tables.outbox
        async with db.new_session() as session:
            topics = list(
                await session.scalars(
                    select(outbox.c.topic).where(outbox.c.payload["company_id"].astext == str(company_id))
                )
            )
        assert topics == ["tickets.dlt"]
