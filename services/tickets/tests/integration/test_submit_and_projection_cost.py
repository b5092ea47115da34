"""What a submit and a projected engine event cost: the statements sent to Postgres, the
number's lock held by the last statement only, the cached ticket type checked by that
statement, and a partition batch's events of one ticket projected in one call."""

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import select, text

from common.consumer import Delivery
from common.db import Database
from common.errors import Conflict
from common.testing.statements import statements
from contracts.engine import (
    TaskAssigned,
    TaskCompleted,
    WorkflowCompleted,
    WorkflowEvent,
    WorkflowOutcome,
    WorkflowStarted,
)
from contracts.envelope import Actor, Envelope, envelope_for
from contracts.ids import uuid7
from tickets.config import TicketsSettings
from tickets.consumers import TicketsConsumer, event_consumer
from tickets.ingest.service import KeyPolicy
from tickets.models import Attachment, Ticket, TimelineEntry
from tickets.people.repository import PeopleRepository
from tickets.ticket import service as ticket_service
from tickets.ticket.schemas import TicketAttachment, TicketRead, TimelineEntryRead
from tickets.ticket_type import service as ticket_type_service
from tickets.ticket_type.repository import TicketTypeRepository

from ..tickets_test_support import VALID_LEAVE, Caller, PublishType, ticket_definition

# A submit with an Idempotency-Key, its ticket type cached: the key's claim (which scopes the
# transaction to the company), and the one statement that numbers the ticket and writes its
# event and the stored answer.
STATEMENTS_PER_SUBMIT = 2
# One engine event: the inbox claim (which scopes the transaction) and the projection.
STATEMENTS_PER_EVENT = 2
# The ticket detail: the company scope, and one statement for the ticket and all it shows.
STATEMENTS_PER_DETAIL = 2

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


async def submit(client: httpx.AsyncClient, caller: Caller, key: str | None = None) -> httpx.Response:
    body = {"ticket_type_key": "leave", "title": "Leave in May", "ticket_data": VALID_LEAVE}
    headers = {**caller.headers, **({"Idempotency-Key": key} if key else {})}
    return await client.post("/api/tickets/tickets", json=body, headers=headers)


class TestASubmit:
    async def test_sends_a_bounded_number_of_statements_and_numbers_last(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id, prefix="HR")
        async with db.unit_of_work(caller.company_id) as uow:
            await PeopleRepository(uow.session, caller.company_id).put(
                caller.user_id, display_name="Ada Lovelace", email="ada@example.com", changed_at=T0
            )
        assert (await submit(client, caller, "warm-up")).status_code == 201  # caches the type
        with statements() as sent:
            first = await submit(client, caller, "counted")
        assert first.status_code == 201, first.text
        assert first.json()["number"] == "HR-2"
        assert first.json()["submitted_by_name"] == "Ada Lovelace"
        assert len(sent) <= STATEMENTS_PER_SUBMIT, "\n".join(sent)
        assert "idempotency_keys" in sent[0], "the key is not claimed first"
        assert "set_config" in sent[0], "the claim does not scope the transaction"
        assert "ticket_number_counters" in sent[-1], "the number is not taken by the last statement"
        assert not [s for s in sent if "ticket_types" in s and "ticket_number_counters" not in s]
        assert not [s for s in sent if s.lstrip().upper().startswith("SELECT") and "people" in s]

        again = await submit(client, caller, "counted")
        assert again.json() == first.json()
        async with db.unit_of_work(caller.company_id) as uow:
            payload = await uow.session.scalar(
                text("SELECT payload FROM tickets.outbox WHERE payload->'data'->>'ticket_id' = :id"),
                {"id": first.json()["id"]},
            )
        assert payload["data"]["number"] == "HR-2"
        assert payload["type"] == "ticket.submitted"

    async def test_hands_its_event_to_the_relay_as_stored(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id, prefix="HR")
        db.outbox_handoff.attached, db.outbox_handoff.rows = True, []
        try:
            response = await submit(client, caller)
            handed = list(db.outbox_handoff.rows)
        finally:
            db.outbox_handoff.attached, db.outbox_handoff.rows = False, []
        assert response.status_code == 201, response.text
        async with db.unit_of_work(caller.company_id) as uow:
            stored = (
                await uow.session.execute(
                    text(
                        "SELECT event_id, topic, key, payload FROM tickets.outbox "
                        "WHERE payload->'data'->>'ticket_id' = :id"
                    ),
                    {"id": response.json()["id"]},
                )
            ).one()
        assert [(row[0], row[1], row[2]) for row in handed] == [(stored.event_id, stored.topic, stored.key)]
        # The payload handed over is the one the statement completed with the number, not the
        # one the service built before the number was known.
        assert json.loads(handed[0][3]) == stored.payload
        assert stored.payload["data"]["number"] == response.json()["number"] == "HR-1"

    async def test_a_cached_type_that_is_no_longer_current_is_read_again(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id, prefix="HR")
        assert (await submit(client, caller)).json()["ticket_type_version"] == 1
        # A new version reaches the database without this process's definition events.
        async with db.unit_of_work(caller.company_id) as uow:
            await TicketTypeRepository(uow.session, caller.company_id).add_version(
                ticket_definition(version=2, prefix="LV")
            )
        second = await submit(client, caller)
        assert second.status_code == 201
        assert (second.json()["ticket_type_version"], second.json()["number"]) == (2, "LV-1")

        async with db.unit_of_work(caller.company_id) as uow:
            await TicketTypeRepository(uow.session, caller.company_id).archive("leave", T0)
        refused = await submit(client, caller)
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["type"] == "unknown_ticket_type"
        async with db.unit_of_work(caller.company_id) as uow:
            counted = await uow.session.scalar(text("SELECT count(*) FROM tickets.tickets"))
            rows = await uow.session.execute(
                text("SELECT prefix, last_number FROM tickets.ticket_number_counters")
            )
            counters: dict[str, int] = {str(prefix): int(last) for prefix, last in rows}
        assert (counted, counters) == (2, {"HR": 1, "LV": 1})

    async def test_a_definition_event_drops_the_cached_type(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        await submit(client, caller)
        assert ticket_type_service.CURRENT_TYPES.get(caller.company_id, "leave") is not None
        await publish_type(caller.company_id, version=2)
        assert ticket_type_service.CURRENT_TYPES.get(caller.company_id, "leave") is None
        assert (await submit(client, caller)).json()["ticket_type_version"] == 2


class TestTheDetail:
    async def test_is_read_in_one_statement_and_shows_what_each_part_says(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        company_id = caller.company_id
        await publish_type(company_id, prefix="HR", display_layout={"sections": [{"fields": ["days"]}]})
        worker = uuid7()
        async with db.unit_of_work(company_id) as uow:
            people = PeopleRepository(uow.session, company_id)
            await people.put(
                caller.user_id, display_name="Ada Lovelace", email="ada@example.com", changed_at=T0
            )
            await people.put(worker, display_name="Walt Worker", email="walt@example.com", changed_at=T0)
        submitted = (await submit(client, caller)).json()
        ticket_id = UUID(submitted["id"])
        instance = uuid7()
        events: list[WorkflowEvent] = [
            WorkflowStarted(workflow_instance_id=instance, ticket_id=ticket_id, workflow_status="RUNNING"),
            TaskAssigned(
                workflow_instance_id=instance,
                ticket_id=ticket_id,
                workflow_status="RUNNING",
                task_key="review",
                task_name="Review",
                task_status="ASSIGNED",
                assignee_id=worker,
            ),
        ]
        for n, event in enumerate(events):
            # Microseconds, so the detail's times are seen to keep them.
            at = T0 + timedelta(minutes=n, microseconds=123_456 * (n + 1))
            await event_consumer(db).handle(as_delivery(engine_envelope(event, company_id, at), n))
        async with db.unit_of_work(company_id) as uow:
            for filename, version, uploader in (
                ("b.pdf", 1, None),
                ("a.txt", 2, caller.user_id),
                ("a.txt", 1, worker),
            ):
                uow.session.add(
                    Attachment(
                        company_id=company_id,
                        ticket_id=ticket_id,
                        filename=filename,
                        version=version,
                        content_type="text/plain",
                        size_bytes=3,
                        sha256="0" * 64,
                        ext_key=f"{ticket_id}/{filename}/{version}",
                        uploaded_by=uploader,
                    )
                )

        with statements() as sent:
            answer = await client.get(f"/api/tickets/tickets/{ticket_id}", headers=caller.headers)
        assert answer.status_code == 200, answer.text
        assert len(sent) <= STATEMENTS_PER_DETAIL, "\n".join(sent)

        # What the detail showed when each part was read on its own.
        names = {caller.user_id: "Ada Lovelace", worker: "Walt Worker"}
        async with db.unit_of_work(company_id) as uow:
            ticket = await uow.session.scalar(select(Ticket).where(Ticket.id == ticket_id))
            assert ticket is not None
            timeline = await uow.session.scalars(
                select(TimelineEntry)
                .where(TimelineEntry.ticket_id == ticket_id)
                .order_by(TimelineEntry.occurred_at, TimelineEntry.id)
            )
            expected_timeline = [
                TimelineEntryRead.model_validate(e)
                .model_copy(update={"assignee_name": names.get(e.assignee_id) if e.assignee_id else None})
                .model_dump(mode="json")
                for e in timeline
            ]
            attachments = await uow.session.scalars(
                select(Attachment)
                .where(Attachment.ticket_id == ticket_id)
                .order_by(Attachment.filename, Attachment.version)
            )
            expected_attachments = [
                TicketAttachment.model_validate(a)
                .model_copy(update={"uploaded_by_name": names.get(a.uploaded_by) if a.uploaded_by else None})
                .model_dump(mode="json")
                for a in attachments
            ]
            expected_ticket = TicketRead.model_validate(ticket).model_dump(mode="json")
        detail = answer.json()
        assert detail["timeline"] == expected_timeline
        assert [e["assignee_name"] for e in detail["timeline"]] == [None, "Walt Worker"]
        assert detail["attachments"] == expected_attachments
        assert [(a["filename"], a["version"], a["uploaded_by_name"]) for a in detail["attachments"]] == [
            ("a.txt", 1, "Walt Worker"),
            ("a.txt", 2, "Ada Lovelace"),
            ("b.pdf", 1, None),
        ]
        shown = {k: v for k, v in detail.items() if k in expected_ticket}
        assert shown == {
            **expected_ticket,
            "ticket_type_name": "Leave request",
            "submitted_by_name": "Ada Lovelace",
        }
        assert (detail["status"], detail["current_task_name"]) == ("IN_PROGRESS", "Review")
        assert detail["ticket_data"] == VALID_LEAVE
        assert detail["display_layout"] == {"sections": [{"fields": ["days"]}]}

        # Anybody else of the company, and any other company, is told there is no such ticket.
        for other in (make_caller(), make_caller(company_id=uuid7())):
            with statements() as sent:
                refused = await client.get(f"/api/tickets/tickets/{ticket_id}", headers=other.headers)
            assert refused.status_code == 404
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert len(sent) <= STATEMENTS_PER_DETAIL
        team = make_caller(roles=["ticket_admin"])
        assert (await client.get(f"/api/tickets/tickets/{ticket_id}", headers=team.headers)).json() == detail


class TestConcurrentSubmits:
    async def test_numbers_stay_gapless_and_unique_when_some_submits_roll_back(
        self, settings: TicketsSettings
    ) -> None:
        db = Database.connect(settings.runtime_database_url(), settings.db_schema, pool_size=12)
        company_id = uuid7()
        try:
            async with db.unit_of_work(company_id) as uow:
                await ticket_type_service.record_published(uow, ticket_definition(prefix="CC"))

            async def one(n: int) -> str | None:
                # Every third one is an inbound event id already taken: refused, rolled back.
                submitter = ticket_service.Submitter(
                    user_id=None, company_roles=None, source="inbound", inbound_event_id=f"e{n % 3 and n}"
                )
                try:
                    async with db.unit_of_work(company_id) as uow:
                        ticket = await ticket_service.submit(
                            uow,
                            company_id,
                            submitter,
                            ticket_type_key="leave",
                            title=f"Leave {n}",
                            ticket_data=VALID_LEAVE,
                        )
                        return ticket.number
                except Conflict:
                    return None

            answers = await asyncio.gather(*(one(n) for n in range(30)))
            async with db.unit_of_work(company_id) as uow:
                numbers = list(await uow.session.scalars(select(Ticket.sequence).order_by(Ticket.sequence)))
            accepted = [a for a in answers if a is not None]
            assert numbers == list(range(1, len(numbers) + 1))
            assert sorted(accepted) == sorted(f"CC-{n}" for n in numbers)
            assert len(accepted) == 21  # 20 distinct ids, and one of the ten "e0" submits
        finally:
            # Committed for real: leave nothing of this company behind.
            async with db.unit_of_work(company_id) as uow:
                await uow.session.execute(
                    text("DELETE FROM tickets.outbox WHERE payload->>'company_id' = :c"),
                    {"c": str(company_id)},
                )
                for table in ("tickets", "ticket_number_counters", "ticket_types"):
                    await uow.session.execute(text(f"DELETE FROM tickets.{table}"))  # noqa: S608
            await db.dispose()


def as_delivery(envelope: Envelope, offset: int) -> Delivery:
    key = str(envelope.data["workflow_instance_id"])
    return Delivery("engine.events", 0, offset, key, envelope.model_dump_json().encode(), {})


def engine_envelope(payload: WorkflowEvent, company_id: UUID, at: datetime) -> Envelope:
    built = envelope_for(payload, company_id=company_id, actor=Actor.system("engine"))
    return built.model_copy(update={"occurred_at": at})


async def new_ticket(db: Database, company_id: UUID) -> Ticket:
    async with db.unit_of_work(company_id) as uow:
        await ticket_type_service.record_published(uow, ticket_definition())
    async with db.unit_of_work(company_id) as uow:
        return await ticket_service.submit(
            uow,
            company_id,
            ticket_service.Submitter(user_id=uuid7(), company_roles=["user"]),
            ticket_type_key="leave",
            title="Leave",
            ticket_data=VALID_LEAVE,
        )


async def state_of(db: Database, ticket: Ticket) -> tuple[Ticket, list[TimelineEntry]]:
    async with db.unit_of_work(ticket.company_id) as uow:
        fresh = await uow.session.scalar(select(Ticket).where(Ticket.id == ticket.id))
        assert fresh is not None
        timeline = list(
            await uow.session.scalars(
                select(TimelineEntry)
                .where(TimelineEntry.ticket_id == ticket.id)
                .order_by(TimelineEntry.occurred_at)
            )
        )
    return fresh, timeline


def a_whole_workflow(ticket: Ticket) -> list[WorkflowEvent]:
    instance = uuid7()
    common: dict[str, Any] = {"workflow_instance_id": instance, "ticket_id": ticket.id}
    return [
        WorkflowStarted(**common, workflow_status="RUNNING"),
        TaskAssigned(**common, workflow_status="RUNNING", task_key="approve", task_name="Approve"),
        TaskCompleted(**common, workflow_status="RUNNING", task_key="approve", task_name="Approve"),
        WorkflowCompleted(
            **common, workflow_status="COMPLETED", outcome=WorkflowOutcome(key="approved", label="Approved")
        ),
    ]


def tickets_consumer(db: Database) -> TicketsConsumer:
    return TicketsConsumer(
        event_consumer(db), policy=KeyPolicy(server_secret="s" * 32, rotation_grace=timedelta(hours=1))
    )


class TestProjectingEngineEvents:
    async def test_one_event_sends_a_bounded_number_of_statements(self, db: Database) -> None:
        ticket = await new_ticket(db, uuid7())
        started = WorkflowStarted(
            workflow_instance_id=uuid7(), ticket_id=ticket.id, workflow_status="RUNNING"
        )
        with statements() as sent:
            await event_consumer(db).handle(as_delivery(engine_envelope(started, ticket.company_id, T0), 0))
        assert len(sent) <= STATEMENTS_PER_EVENT, "\n".join(sent)
        assert not [s for s in sent if "FOR UPDATE" in s.upper()], "the ticket was read and locked"
        fresh, timeline = await state_of(db, ticket)
        assert (fresh.status, len(timeline)) == ("IN_PROGRESS", 1)

    async def test_a_batch_of_one_tickets_events_is_one_call_and_ends_where_they_lead(
        self, db: Database
    ) -> None:
        company_id = uuid7()
        ticket, other = await new_ticket(db, company_id), await new_ticket(db, company_id)
        mine, theirs = a_whole_workflow(ticket), a_whole_workflow(other)[:2]
        # The two tickets' events interleaved, as a partition holds them.
        order = [mine[0], theirs[0], mine[1], mine[2], theirs[1], mine[3]]
        batch = [
            as_delivery(engine_envelope(e, company_id, T0 + timedelta(minutes=n)), n)
            for n, e in enumerate(order)
        ]
        consumer = tickets_consumer(db)
        with statements() as sent:
            assert await consumer.handle_partition(batch) is None
        assert len([s for s in sent if "INSERT INTO tickets.timeline_entries" in s]) == 2, "\n".join(sent)

        fresh, timeline = await state_of(db, ticket)
        assert fresh.status == "COMPLETED"
        assert fresh.closed_at == T0 + timedelta(minutes=5)
        assert fresh.current_task_name is None
        assert (fresh.outcome_key, fresh.outcome_label) == ("approved", "Approved")
        assert [e.event_type for e in timeline] == [
            "workflow.started",
            "task.assigned",
            "task.completed",
            "workflow.completed",
        ]
        theirs_now, their_timeline = await state_of(db, other)
        assert (theirs_now.status, theirs_now.current_task_name, len(their_timeline)) == (
            "IN_PROGRESS",
            "Approve",
            2,
        )

        # The batch delivered again changes nothing.
        assert await tickets_consumer(db).handle_partition(batch) is None
        again, timeline_again = await state_of(db, ticket)
        assert (again.status, again.updated_at, len(timeline_again)) == ("COMPLETED", fresh.updated_at, 4)

    async def test_a_batch_matches_the_same_events_applied_one_by_one(self, db: Database) -> None:
        company_id = uuid7()
        batched, single = await new_ticket(db, company_id), await new_ticket(db, company_id)
        for ticket, together in ((batched, True), (single, False)):
            events = a_whole_workflow(ticket)[:3]
            # An older event arriving late is on the timeline but does not move the ticket back.
            events.append(TaskAssigned(**{**events[1].model_dump(), "task_name": "Late"}))
            at = [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2), T0]
            deliveries = [
                as_delivery(engine_envelope(e, company_id, a), n)
                for n, (e, a) in enumerate(zip(events, at, strict=True))
            ]
            if together:
                await tickets_consumer(db).handle_partition(deliveries)
            else:
                for delivery in deliveries:
                    await event_consumer(db).handle(delivery)
        (a, a_timeline), (b, b_timeline) = await state_of(db, batched), await state_of(db, single)
        fields = ("status", "status_changed_at", "closed_at", "current_task_name", "outcome_key")
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
        assert (a.status, a.current_task_name, a.status_changed_at) == (
            "IN_PROGRESS",
            None,
            T0 + timedelta(minutes=2),
        )
        assert len(a_timeline) == len(b_timeline) == 4

    async def test_an_event_of_an_unknown_ticket_writes_nothing(self, db: Database) -> None:
        company_id = uuid7()
        started = WorkflowStarted(workflow_instance_id=uuid7(), ticket_id=uuid7(), workflow_status="RUNNING")
        await tickets_consumer(db).handle_partition(
            [as_delivery(engine_envelope(started, company_id, T0), 0)]
        )
        async with db.unit_of_work(company_id) as uow:
            assert await uow.session.scalar(select(TimelineEntry.id)) is None

    async def test_a_group_that_fails_is_applied_event_by_event_next_time(self, db: Database) -> None:
        company_id = uuid7()
        ticket = await new_ticket(db, company_id)
        started, assigned, completed, _ = a_whole_workflow(ticket)
        # Too long for the timeline: this event can never be projected.
        broken = TaskAssigned(**{**assigned.model_dump(), "task_name": "x" * 201})
        batch = [
            as_delivery(engine_envelope(e, company_id, T0 + timedelta(minutes=n)), n)
            for n, e in enumerate([started, broken, completed])
        ]
        consumer = tickets_consumer(db)
        first = await consumer.handle_partition(batch)
        assert first is not None
        assert first.offset == 0
        assert (await state_of(db, ticket))[1] == []

        # Read again from the rewound offset: the first event now goes alone and is applied;
        # the broken one holds back the event after it.
        second = await consumer.handle_partition(batch)
        assert second is not None
        assert second.offset == 1
        fresh, timeline = await state_of(db, ticket)
        assert (fresh.status, [e.event_type for e in timeline]) == ("IN_PROGRESS", ["workflow.started"])
