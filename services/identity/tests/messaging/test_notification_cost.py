"""What the notifications consumer costs per event: an event nobody could hear of opens no
transaction and claims nothing; one that notifies sends a bounded number of statements, however
many people it reaches."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.compiler import SQLCompiler

from common.consumer import Delivery
from common.db import Database, envelope_headers
from common.testing.statements import statements
from contracts.engine import (
    TaskAssigned,
    TaskCompleted,
    TaskDueSoon,
    TaskOverdue,
    TaskStarted,
    WorkflowCompleted,
    WorkflowStarted,
)
from contracts.envelope import Actor, EventPayload, envelope_for
from contracts.ids import uuid7
from contracts.tickets import TicketSubmitted
from identity.config import IdentitySettings
from identity.consumers import build_event_consumer
from identity.models import Notification
from identity.notifications.fanout import Notifier
from identity.runtime import IdentityRuntime

from ..identity_testkit import Account, create_member, sign_up
from .test_notifications import Feeder, submitted, task_event

# A notifying engine event, as sent to Postgres: the inbox claim (which also scopes the
# transaction to the company); the ticket; the recipients with their preference for the kind;
# the notifications, in one insert.
STATEMENTS_PER_NOTIFYING_EVENT = 4
# An overdue task that escalates also reads the ticket team.
STATEMENTS_PER_ESCALATION = 5


@pytest.fixture
def sessions(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[AsyncSession]:
    """Every session (hence every transaction) the consumer opens."""
    opened: list[AsyncSession] = []
    real = db.new_session

    def counting() -> AsyncSession:
        session = real()
        opened.append(session)
        return session

    monkeypatch.setattr(db, "new_session", counting)
    return opened


@pytest.fixture
def feeder(app: FastAPI, db: Database, settings: IdentitySettings) -> Feeder:
    runtime: IdentityRuntime = app.state.identity
    return Feeder(build_event_consumer(db, settings, Notifier(runtime.postman, settings.public_url)))


@pytest.fixture
def team_of(client: httpx.AsyncClient) -> Callable[[], Any]:
    async def make() -> tuple[Account, Account, Account]:
        admin = await sign_up(client, company=f"Acme {uuid7().hex[:6]}")
        worker = await create_member(client, admin, ["user", "task_worker"], first_name="Wendy")
        requester = await create_member(client, admin, ["user"], first_name="Rita")
        return admin, worker, requester

    return make


async def inbox_rows(db: Database, group: str) -> int:
    async with db.new_session() as session:
        count = await session.scalar(
            text(f'SELECT count(*) FROM "{db.schema}".inbox WHERE consumer_group = :group'),  # noqa: S608
            {"group": group},
        )
    return int(count or 0)


async def notification_count(db: Database, company_id: UUID) -> int:
    async with db.unit_of_work(company_id) as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Notification)) or 0)


class TestAnEventNobodyHearsOf:
    async def test_opens_no_transaction_and_claims_nothing(
        self,
        feeder: Feeder,
        team_of: Callable[[], Any],
        db: Database,
        sessions: list[AsyncSession],
    ) -> None:
        _, worker, requester = await team_of()
        ticket_id = await submitted(feeder, worker.company_id, requester.user_id)
        claimed = await inbox_rows(db, feeder.consumer.group)
        notified = await notification_count(db, worker.company_id)
        instance = uuid7()
        silent: list[EventPayload] = [
            WorkflowStarted(workflow_instance_id=instance, ticket_id=ticket_id, workflow_status="RUNNING"),
            task_event(TaskStarted, ticket_id, None),
            task_event(TaskCompleted, ticket_id, None),
            # Assigned to a queue, not to a person; due soon with nobody on it.
            task_event(TaskAssigned, ticket_id, None),
            task_event(TaskDueSoon, ticket_id, None),
            # An escalation that notifies nobody, though the task has an assignee.
            task_event(TaskOverdue, ticket_id, worker.user_id, escalation_notify=False),
        ]
        sessions.clear()
        with statements() as sent:
            for payload in silent:
                await feeder.feed(payload, worker.company_id)
        assert sent == []
        assert sessions == []
        assert await inbox_rows(db, feeder.consumer.group) == claimed
        assert await notification_count(db, worker.company_id) == notified


class TestAnEventThatNotifies:
    async def test_sends_a_bounded_number_of_statements(
        self, feeder: Feeder, team_of: Callable[[], Any], db: Database
    ) -> None:
        _, worker, requester = await team_of()
        ticket_id = await submitted(feeder, worker.company_id, requester.user_id)
        with statements() as sent:
            await feeder.feed(task_event(TaskAssigned, ticket_id, worker.user_id), worker.company_id)
        assert len(sent) <= STATEMENTS_PER_NOTIFYING_EVENT, sent
        with statements() as sent:
            await feeder.feed(
                WorkflowCompleted(
                    workflow_instance_id=uuid7(), ticket_id=ticket_id, workflow_status="COMPLETED"
                ),
                worker.company_id,
            )
        assert len(sent) <= STATEMENTS_PER_NOTIFYING_EVENT, sent
        assert await notification_count(db, worker.company_id) == 2

    async def test_an_escalation_reaching_many_costs_no_statement_per_person(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any], db: Database
    ) -> None:
        admin, worker, requester = await team_of()
        leads: list[UUID] = [
            (await create_member(client, admin, ["user", "ticket_admin"], first_name=f"Lead {n}")).user_id
            for n in range(4)
        ]
        ticket_id = await submitted(feeder, worker.company_id, requester.user_id)
        new_worker = await create_member(client, admin, ["user", "task_worker"], first_name="Nina")
        with statements() as sent:
            await feeder.feed(
                task_event(TaskOverdue, ticket_id, new_worker.user_id, previous_assignee_id=worker.user_id),
                worker.company_id,
            )
        assert len(sent) <= STATEMENTS_PER_ESCALATION, sent
        # The admin, four leads, the new assignee and the previous one: one each.
        assert await notification_count(db, worker.company_id) == 1 + len(leads) + 2


class TestAnEventNamedInItsHeader:
    """The relay copies each event's type into the `event-type` header: identity reads the
    header and leaves the body of an event it never handles undecoded."""

    async def test_one_identity_never_handles_is_passed_over_undecoded(
        self, feeder: Feeder, team_of: Callable[[], Any], db: Database, sessions: list[AsyncSession]
    ) -> None:
        _, worker, _ = await team_of()
        claimed = await inbox_rows(db, feeder.consumer.group)
        sessions.clear()
        with statements() as sent:
            for offset, event_type in enumerate((TaskStarted.event_type, WorkflowStarted.event_type)):
                # Not an envelope at all: decoded, it would be dead-lettered.
                await feeder.consumer.handle(
                    Delivery(
                        "engine.events",
                        0,
                        10_000 + offset,
                        None,
                        b"\x00 not json",
                        {"event-type": event_type},
                    )
                )
        assert sent == []
        assert sessions == []
        assert await inbox_rows(db, feeder.consumer.group) == claimed
        assert await notification_count(db, worker.company_id) == 0

    async def test_the_events_it_uses_are_still_handled(
        self, feeder: Feeder, team_of: Callable[[], Any], db: Database
    ) -> None:
        _, worker, requester = await team_of()
        ticket = TicketSubmitted(
            ticket_id=uuid7(),
            number="IT-9",
            title="Printer",
            ticket_definition_key="it",
            ticket_definition_version=1,
            workflow_key="it",
            workflow_version=1,
            ticket_data={},
            submitted_by=requester.user_id,
        )
        done = WorkflowCompleted(
            workflow_instance_id=uuid7(), ticket_id=ticket.ticket_id, workflow_status="COMPLETED"
        )
        assigned = task_event(TaskAssigned, ticket.ticket_id, worker.user_id)
        for offset, payload in enumerate((ticket, assigned, done)):
            envelope = envelope_for(payload, company_id=worker.company_id, actor=Actor.system("test"))
            await feeder.consumer.handle(
                Delivery(
                    payload.topic,
                    0,
                    20_000 + offset,
                    None,
                    envelope.model_dump_json().encode(),
                    envelope_headers(envelope),
                )
            )
        async with db.unit_of_work(worker.company_id) as uow:
            kinds = (
                await uow.session.execute(
                    select(Notification.user_id, Notification.kind).order_by(Notification.id)
                )
            ).all()
        assert [tuple(row) for row in kinds] == [
            (worker.user_id, "task_assigned"),
            (requester.user_id, "ticket_finished"),
        ]


class TestTheStatementsOfANotification:
    async def test_are_compiled_once_whatever_the_number_of_people(
        self,
        client: httpx.AsyncClient,
        feeder: Feeder,
        team_of: Callable[[], Any],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        admin, worker, requester = await team_of()
        ticket_id = await submitted(feeder, worker.company_id, requester.user_id)
        # Warm: every statement of an escalation to the team and to two assignees.
        new_worker = await create_member(client, admin, ["user", "task_worker"], first_name="Nina")
        await feeder.feed(
            task_event(TaskOverdue, ticket_id, new_worker.user_id, previous_assignee_id=worker.user_id),
            worker.company_id,
        )
        for n in range(3):
            await create_member(client, admin, ["user", "ticket_admin"], first_name=f"Lead {n}")
        compiled: list[str] = []
        real_init = SQLCompiler.__init__

        def counting(self: SQLCompiler, *args: Any, **kwargs: Any) -> None:
            real_init(self, *args, **kwargs)
            compiled.append(self.string)

        monkeypatch.setattr(SQLCompiler, "__init__", counting)
        # The same kind of event, to three more people: the same statements, from the cache.
        await feeder.feed(
            task_event(TaskOverdue, ticket_id, worker.user_id, previous_assignee_id=new_worker.user_id),
            worker.company_id,
        )
        assert [sql for sql in compiled if "notification" in sql] == []
