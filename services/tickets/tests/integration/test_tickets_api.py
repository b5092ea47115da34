"""Submitting tickets, My tickets, ticket detail and the ticket team's list, through the API."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import func, select

from common.db import Database
from contracts.engine import TaskAssigned, WorkflowCompleted, WorkflowStarted
from contracts.envelope import Actor, envelope_for
from contracts.ids import uuid7
from tickets.consumers import event_consumer
from tickets.models import Ticket, TicketNumberCounter

from ..tickets_test_support import VALID_LEAVE, Caller, PublishType


async def submit(client: httpx.AsyncClient, caller: Caller, **body: Any) -> httpx.Response:
    payload = {"ticket_type_key": "leave", "title": "Leave in March", "ticket_data": VALID_LEAVE, **body}
    return await client.post("/api/tickets/tickets", json=payload, headers=caller.headers)


async def count_rows(db: Database, company_id: UUID, model: Any) -> int:
    async with db.unit_of_work(company_id) as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


class TestSubmitTicket:
    async def test_a_permitted_type_becomes_a_numbered_ticket(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id, prefix="HR")
        first = await submit(client, caller)
        second = await submit(client, caller, title="Another leave")
        assert first.status_code == 201, first.text
        assert first.json()["number"] == "HR-1"
        assert second.json()["number"] == "HR-2"
        assert first.json()["status"] == "SUBMITTED"
        assert first.json()["submitted_by"] == str(caller.user_id)

    async def test_the_submitted_event_is_in_the_outbox(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        ticket = (await submit(client, caller)).json()
        outbox = db.tables.outbox
        async with db.new_session() as session:
            rows = (
                await session.execute(
                    select(outbox.c.topic, outbox.c.key, outbox.c.payload).where(outbox.c.key == ticket["id"])
                )
            ).all()
        submitted = [r for r in rows if r.payload["type"] == "ticket.submitted"]
        assert len(submitted) == 1
        assert submitted[0].topic == "tickets.events"
        assert submitted[0].key == ticket["id"]
        data = submitted[0].payload["data"]
        assert data["number"] == ticket["number"]
        assert data["workflow_key"] == "leave-flow"
        assert data["ticket_data"] == VALID_LEAVE

    async def test_numbers_are_counted_per_company(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        a = make_caller()
        b = make_caller(company_id=uuid7())
        await publish_type(a.company_id)
        await publish_type(b.company_id)
        await submit(client, a)
        assert (await submit(client, b)).json()["number"] == "HR-1"

    async def test_a_type_without_a_shared_company_role_is_forbidden(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller(company_roles=["user"])
        await publish_type(caller.company_id, roles=["hr_staff"])
        response = await submit(client, caller)
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
        assert await count_rows(db, caller.company_id, Ticket) == 0

    async def test_a_company_role_opens_the_type(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        caller = make_caller(company_roles=["user", "hr_staff"])
        await publish_type(caller.company_id, roles=["hr_staff"])
        assert (await submit(client, caller)).status_code == 201

    async def test_bad_data_lists_every_problem_and_writes_nothing(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        response = await submit(
            client,
            caller,
            title=" ",
            ticket_data={"start_date": "not a date", "days": 99, "contacts": ["x"], "extra": 1},
        )
        assert response.status_code == 422
        body = response.json()
        locs = {tuple(e["loc"]) for e in body["errors"]}
        assert locs == {
            ("body", "title"),
            ("body", "ticket_data", "start_date"),
            ("body", "ticket_data", "days"),
            ("body", "ticket_data", "reason"),
            ("body", "ticket_data", "contacts", "0"),
            ("body", "ticket_data"),
        }
        assert await count_rows(db, caller.company_id, Ticket) == 0
        assert await count_rows(db, caller.company_id, TicketNumberCounter) == 0
        async with db.new_session() as session:
            outbox = db.tables.outbox
            about_company = outbox.c.payload["company_id"].astext == str(caller.company_id)
            assert await session.scalar(select(func.count()).select_from(outbox).where(about_company)) == 0

    async def test_an_unknown_type_is_a_validation_problem(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        response = await submit(client, make_caller(), ticket_type_key="nope")
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "ticket_type_key"]

    async def test_an_archived_type_cannot_be_submitted(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        consumer = event_consumer(db)
        from contracts.definitions import TicketDefinitionArchived

        await consumer.handle(
            _delivery(
                envelope_for(
                    TicketDefinitionArchived(key="leave"),
                    company_id=caller.company_id,
                    actor=Actor.system("definitions"),
                )
            )
        )
        assert (await submit(client, caller)).status_code == 422

    async def test_the_latest_version_is_used(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        await publish_type(caller.company_id, version=2, prefix="LV")
        ticket = (await submit(client, caller)).json()
        assert ticket["ticket_type_version"] == 2
        assert ticket["number"] == "LV-1"

    async def test_without_gateway_claims_it_is_unauthorized(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/tickets/tickets", json={})
        assert response.status_code == 401


class TestListTicketTypes:
    async def test_lists_only_the_types_the_caller_may_submit(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        caller = make_caller(company_roles=["user"])
        await publish_type(caller.company_id, key="leave")
        await publish_type(caller.company_id, key="payroll", roles=["finance"])
        await publish_type(uuid7(), key="elsewhere")
        response = await client.get("/api/tickets/ticket-types", headers=caller.headers)
        assert response.status_code == 200
        types = response.json()
        assert [t["key"] for t in types] == ["leave"]
        assert types[0]["fields"]["required"] == ["start_date", "days", "reason"]


class TestMyTickets:
    async def test_lists_the_callers_own_tickets_newest_first(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me, colleague = make_caller(), make_caller()
        await publish_type(me.company_id)
        await submit(client, me, title="first")
        await submit(client, me, title="second")
        await submit(client, colleague, title="theirs")
        page = (await client.get("/api/tickets/tickets/mine", headers=me.headers)).json()
        assert [t["title"] for t in page["items"]] == ["second", "first"]
        assert page["total"] == 2
        assert page["items"][0]["ticket_type_name"] == "Leave request"

    async def test_paginates(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me = make_caller()
        await publish_type(me.company_id)
        for n in range(3):
            await submit(client, me, title=f"t{n}")
        page = (await client.get("/api/tickets/tickets/mine?page=2&page_size=2", headers=me.headers)).json()
        assert page["total"] == 3
        assert [t["title"] for t in page["items"]] == ["t0"]

    async def test_filters_by_status(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        me = make_caller()
        await publish_type(me.company_id)
        started = (await submit(client, me, title="started")).json()
        await submit(client, me, title="waiting")
        await apply_engine_event(db, me.company_id, WorkflowStarted, UUID(started["id"]))
        page = (await client.get("/api/tickets/tickets/mine?status=IN_PROGRESS", headers=me.headers)).json()
        assert [t["title"] for t in page["items"]] == ["started"]

    async def test_refuses_an_oversized_page(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        response = await client.get("/api/tickets/tickets/mine?page_size=1000", headers=make_caller().headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "page_size"]


class TestTicketDetail:
    async def test_the_submitter_sees_data_status_and_timeline(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        me = make_caller()
        await publish_type(me.company_id)
        ticket = (await submit(client, me)).json()
        ticket_id = UUID(ticket["id"])
        now = datetime.now(UTC)
        await apply_engine_event(db, me.company_id, WorkflowStarted, ticket_id, at=now)
        await apply_engine_event(
            db,
            me.company_id,
            TaskAssigned,
            ticket_id,
            at=now + timedelta(seconds=1),
            task_name="Manager approval",
        )
        detail = (await client.get(f"/api/tickets/tickets/{ticket_id}", headers=me.headers)).json()
        assert detail["ticket_data"] == VALID_LEAVE
        assert detail["status"] == "IN_PROGRESS"
        assert detail["current_task_name"] == "Manager approval"
        assert [e["event_type"] for e in detail["timeline"]] == ["workflow.started", "task.assigned"]
        assert detail["attachments"] == []

    async def test_a_ticket_admin_sees_it(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me, admin = make_caller(), make_caller(roles=["ticket_admin"])
        await publish_type(me.company_id)
        ticket = (await submit(client, me)).json()
        assert (
            await client.get(f"/api/tickets/tickets/{ticket['id']}", headers=admin.headers)
        ).status_code == 200

    async def test_another_user_of_the_company_gets_404(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me, colleague = make_caller(), make_caller(roles=["user", "task_worker"])
        await publish_type(me.company_id)
        ticket = (await submit(client, me)).json()
        response = await client.get(f"/api/tickets/tickets/{ticket['id']}", headers=colleague.headers)
        assert response.status_code == 404

    async def test_another_company_gets_404_even_as_admin(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me = make_caller()
        outsider = make_caller(roles=["admin"], company_id=uuid7())
        await publish_type(me.company_id)
        ticket = (await submit(client, me)).json()
        response = await client.get(f"/api/tickets/tickets/{ticket['id']}", headers=outsider.headers)
        missing = await client.get(f"/api/tickets/tickets/{uuid7()}", headers=outsider.headers)
        assert response.status_code == missing.status_code == 404
        assert response.json()["detail"] == missing.json()["detail"]

    async def test_a_malformed_id_is_not_found_and_reads_nothing(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        me = make_caller(roles=["ticket_admin"])
        cases = [
            ("/api/tickets/tickets/not-a-ticket", "ticket_id"),
            (f"/api/tickets/tickets/{uuid7()}/attachments/123", "attachment_id"),
        ]
        for path, parameter in cases:
            response = await client.get(path, headers=me.headers)
            assert response.status_code == 404, (path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["title"] == "Not found"
            assert [e["loc"] for e in response.json()["errors"]] == [["path", parameter]]


class TestTicketTeamList:
    async def test_only_the_ticket_team_may_list(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        assert (await client.get("/api/tickets/tickets", headers=make_caller().headers)).status_code == 403

    async def test_finds_tickets_by_words_of_title_and_data(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me, admin = make_caller(), make_caller(roles=["ticket_admin"])
        await publish_type(me.company_id)
        await submit(client, me, title="Leave for wedding")
        await submit(client, me, title="Dentist", ticket_data={**VALID_LEAVE, "reason": "root canal"})
        by_title = (await client.get("/api/tickets/tickets?q=wedd", headers=admin.headers)).json()
        by_data = (await client.get("/api/tickets/tickets?q=canal", headers=admin.headers)).json()
        by_number = (await client.get("/api/tickets/tickets?q=HR-2", headers=admin.headers)).json()
        assert [t["title"] for t in by_title["items"]] == ["Leave for wedding"]
        assert [t["title"] for t in by_data["items"]] == ["Dentist"]
        assert [t["number"] for t in by_number["items"]] == ["HR-2"]

    async def test_never_shows_another_company(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me = make_caller()
        other_admin = make_caller(roles=["admin"], company_id=uuid7())
        await publish_type(me.company_id)
        await submit(client, me, title="secret merger")
        page = (await client.get("/api/tickets/tickets?q=merger", headers=other_admin.headers)).json()
        assert page["total"] == 0

    async def test_active_and_archive_views(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        me, admin = make_caller(), make_caller(roles=["admin"])
        await publish_type(me.company_id)
        done = (await submit(client, me, title="done")).json()
        await submit(client, me, title="open")
        await apply_engine_event(
            db, me.company_id, WorkflowCompleted, UUID(done["id"]), workflow_status="COMPLETED"
        )
        active = (await client.get("/api/tickets/tickets?view=active", headers=admin.headers)).json()
        archive = (await client.get("/api/tickets/tickets?view=archive", headers=admin.headers)).json()
        assert [t["title"] for t in active["items"]] == ["open"]
        assert [t["title"] for t in archive["items"]] == ["done"]
        assert archive["items"][0]["closed_at"] is not None

    async def test_filters_by_type_submitter_and_date_and_sorts(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me, other, admin = make_caller(), make_caller(), make_caller(roles=["ticket_admin"])
        await publish_type(me.company_id)
        await publish_type(me.company_id, key="it", prefix="IT", fields={"type": "object"})
        await submit(client, me, title="b leave")
        await submit(client, me, title="a laptop", ticket_type_key="it", ticket_data={})
        await submit(client, other, title="c leave")
        by_type = (await client.get("/api/tickets/tickets?type=it", headers=admin.headers)).json()
        by_submitter = (
            await client.get(
                f"/api/tickets/tickets?submitted_by={me.user_id}&sort=title", headers=admin.headers
            )
        ).json()
        today = datetime.now(UTC).date()
        future = (
            await client.get(f"/api/tickets/tickets?from={today + timedelta(days=1)}", headers=admin.headers)
        ).json()
        in_range = (
            await client.get(f"/api/tickets/tickets?from={today}&to={today}", headers=admin.headers)
        ).json()
        assert [t["title"] for t in by_type["items"]] == ["a laptop"]
        assert [t["title"] for t in by_submitter["items"]] == ["a laptop", "b leave"]
        assert future["total"] == 0
        assert in_range["total"] == 3

    async def test_bad_filters_are_listed(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        admin = make_caller(roles=["admin"])
        response = await client.get(
            "/api/tickets/tickets?view=everything&sort=price&from=yesterday", headers=admin.headers
        )
        assert response.status_code == 422
        assert {tuple(e["loc"]) for e in response.json()["errors"]} == {
            ("query", "view"),
            ("query", "sort"),
            ("query", "from"),
        }


async def apply_engine_event(
    db: Database,
    company_id: UUID,
    model: Any,
    ticket_id: UUID,
    *,
    at: datetime | None = None,
    workflow_status: str = "RUNNING",
    task_name: str | None = None,
) -> None:
    payload = model(
        workflow_instance_id=uuid7(),
        ticket_id=ticket_id,
        workflow_status=workflow_status,
        task_key="approve" if task_name else None,
        task_name=task_name,
    )
    envelope = envelope_for(payload, company_id=company_id, actor=Actor.system("engine"))
    if at is not None:
        envelope = envelope.model_copy(update={"occurred_at": at})
    await event_consumer(db).handle(_delivery(envelope))


def _delivery(envelope: Any) -> Any:
    from common.consumer import Delivery

    return Delivery(
        topic="engine.events",
        partition=0,
        offset=0,
        key=None,
        body=envelope.model_dump_json().encode(),
        headers={},
    )
