"""Dashboard figures and reports of the tickets service: each aggregate over tickets placed at
known times, and none of another company's tickets in any of them."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import update

from common.consumer import Delivery
from common.db import Database
from common.reporting import week_start
from contracts.engine import TaskAssigned, TaskCreated, WorkflowEvent
from contracts.envelope import Actor, envelope_for
from contracts.ids import uuid7
from tickets.consumers import event_consumer
from tickets.models import Ticket

from ..tickets_test_support import VALID_LEAVE, Caller, PublishType

DAY_1 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def submit(client: httpx.AsyncClient, caller: Caller, key: str = "leave", title: str = "Leave") -> UUID:
    response = await client.post(
        "/api/tickets/tickets",
        json={"ticket_type_key": key, "title": title, "ticket_data": VALID_LEAVE},
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text
    return UUID(response.json()["id"])


async def place(
    db: Database,
    company_id: UUID,
    ticket_id: UUID,
    *,
    created: datetime,
    closed: datetime | None = None,
    status: str = "IN_PROGRESS",
) -> None:
    """Put a ticket at a known point in time (what months of engine events would have done)."""
    async with db.unit_of_work(company_id) as uow:
        await uow.session.execute(
            update(Ticket)
            .where(Ticket.company_id == company_id, Ticket.id == ticket_id)
            .values(created_at=created, closed_at=closed, status=status, status_changed_at=closed or created)
        )


async def ticket_at(
    client: httpx.AsyncClient,
    db: Database,
    caller: Caller,
    key: str,
    created: datetime,
    resolved_after: timedelta | None = None,
    status: str = "COMPLETED",
) -> UUID:
    ticket_id = await submit(client, caller, key)
    if resolved_after is None:
        await place(db, caller.company_id, ticket_id, created=created)
    else:
        await place(
            db, caller.company_id, ticket_id, created=created, closed=created + resolved_after, status=status
        )
    return ticket_id


async def feed(db: Database, company_id: UUID, payload: WorkflowEvent) -> None:
    envelope = envelope_for(payload, company_id=company_id, actor=Actor.system("engine"))
    await event_consumer(db).handle(
        Delivery(
            topic="engine.events",
            partition=0,
            offset=0,
            key=None,
            body=envelope.model_dump_json().encode(),
            headers={},
        )
    )


async def two_types(publish_type: PublishType, company_id: UUID) -> None:
    await publish_type(company_id)
    await publish_type(company_id, key="laptop", prefix="IT", name="Laptop request")


class TestTicketReport:
    async def test_counts_created_and_closed_per_day_and_type(
        self,
        client: httpx.AsyncClient,
        db: Database,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        admin = make_caller(roles=["user", "ticket_admin"])
        await two_types(publish_type, admin.company_id)
        await ticket_at(client, db, admin, "leave", DAY_1, timedelta(days=1))
        await ticket_at(client, db, admin, "leave", DAY_1 + timedelta(hours=2))
        await ticket_at(client, db, admin, "laptop", DAY_1 + timedelta(days=1), timedelta(hours=3))
        await ticket_at(client, db, admin, "laptop", DAY_1 + timedelta(days=9))  # after the range
        response = await client.get(
            "/api/tickets/reports?from=2026-03-02&to=2026-03-08", headers=admin.headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["from"], body["to"]) == ("2026-03-02", "2026-03-08")
        assert body["per_day"] == [
            {"day": "2026-03-02", "ticket_type_key": "leave", "created": 2, "closed": 0},
            {"day": "2026-03-03", "ticket_type_key": "laptop", "created": 1, "closed": 1},
            {"day": "2026-03-03", "ticket_type_key": "leave", "created": 0, "closed": 1},
        ]

    async def test_resolution_time_median_and_p90_per_type(
        self,
        client: httpx.AsyncClient,
        db: Database,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        admin = make_caller(roles=["admin"])
        await two_types(publish_type, admin.company_id)
        for hours in (1, 2, 3, 4, 10):
            await ticket_at(client, db, admin, "leave", DAY_1, timedelta(hours=hours))
        await ticket_at(client, db, admin, "laptop", DAY_1, timedelta(minutes=30))
        # Cancelled is closed but not resolved: it counts in neither percentile.
        await ticket_at(client, db, admin, "laptop", DAY_1, timedelta(days=5), status="CANCELLED")
        body = (
            await client.get("/api/tickets/reports?from=2026-03-01&to=2026-03-31", headers=admin.headers)
        ).json()
        assert body["resolution"] == [
            {
                "ticket_type_key": "laptop",
                "ticket_type_name": "Laptop request",
                "resolved": 1,
                "p50_seconds": 1800.0,
                "p90_seconds": 1800.0,
            },
            {
                "ticket_type_key": "leave",
                "ticket_type_name": "Leave request",
                "resolved": 5,
                "p50_seconds": 3 * 3600.0,
                # Linear interpolation between the 4th (4 h) and 5th (10 h) value: 4 h + 0.6 * 6 h.
                "p90_seconds": 7.6 * 3600.0,
            },
        ]

    async def test_another_company_sees_none_of_the_numbers(
        self,
        client: httpx.AsyncClient,
        db: Database,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        admin_a = make_caller(roles=["admin"])
        admin_b = make_caller(roles=["admin"], company_id=uuid7())
        await publish_type(admin_a.company_id)
        await publish_type(admin_b.company_id)
        await ticket_at(client, db, admin_a, "leave", DAY_1, timedelta(hours=1))
        report = (
            await client.get("/api/tickets/reports?from=2026-03-01&to=2026-03-31", headers=admin_b.headers)
        ).json()
        overview = (await client.get("/api/tickets/reports/overview", headers=admin_b.headers)).json()
        assert report["per_day"] == []
        assert report["resolution"] == []
        assert overview["total"] == 0
        assert overview["by_status"] == {}
        own = (
            await client.get("/api/tickets/reports?from=2026-03-01&to=2026-03-31", headers=admin_a.headers)
        ).json()
        assert own["resolution"][0]["resolved"] == 1

    async def test_defaults_to_the_last_30_days(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        admin = make_caller(roles=["admin"])
        body = (await client.get("/api/tickets/reports", headers=admin.headers)).json()
        today = datetime.now(UTC).date()
        assert (body["from"], body["to"]) == ((today - timedelta(days=29)).isoformat(), today.isoformat())

    async def test_bad_ranges_are_problems_naming_the_parameter(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        admin = make_caller(roles=["admin"])
        cases: list[tuple[str, tuple[str, str]]] = [
            ("from=2026-03-10&to=2026-03-01", ("query", "from")),
            ("from=2024-01-01&to=2026-01-01", ("query", "to")),
            ("from=yesterday", ("query", "from")),
            ("to=2026-02-30", ("query", "to")),
        ]
        for query, loc in cases:
            response = await client.get(f"/api/tickets/reports?{query}", headers=admin.headers)
            assert response.status_code == 422, query
            assert response.headers["content-type"] == "application/problem+json"
            assert [tuple(e["loc"]) for e in response.json()["errors"]] == [loc], query

    async def test_only_the_ticket_team_may_read_it(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        worker = make_caller(roles=["user", "task_worker"])
        for path in ("/api/tickets/reports", "/api/tickets/reports/overview"):
            assert (await client.get(path, headers=worker.headers)).status_code == 403


class TestOverview:
    async def test_counts_by_status_and_this_weeks_created_and_closed(
        self,
        client: httpx.AsyncClient,
        db: Database,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        admin = make_caller(roles=["ticket_admin"])
        await publish_type(admin.company_id)
        monday = week_start(datetime.now(UTC))
        await ticket_at(client, db, admin, "leave", monday - timedelta(days=3), timedelta(days=3, hours=1))
        await ticket_at(client, db, admin, "leave", monday - timedelta(days=3))
        await ticket_at(client, db, admin, "leave", monday + timedelta(minutes=1))
        await submit(client, admin)  # now: SUBMITTED, created this week
        body = (await client.get("/api/tickets/reports/overview", headers=admin.headers)).json()
        assert body["total"] == 4
        assert body["by_status"] == {"COMPLETED": 1, "IN_PROGRESS": 2, "SUBMITTED": 1}
        assert (body["created_this_week"], body["closed_this_week"]) == (2, 1)
        assert body["week_start"].startswith(monday.date().isoformat())


class TestMyOpenTickets:
    async def test_lists_my_open_tickets_oldest_first_with_what_each_waits_on(
        self,
        client: httpx.AsyncClient,
        db: Database,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        me, colleague = make_caller(), make_caller()
        await publish_type(me.company_id)
        queued = await submit(client, me, title="queued")
        held = await submit(client, me, title="with a worker")
        done = await submit(client, me, title="done")
        await submit(client, colleague, title="theirs")
        await place(
            db, me.company_id, done, created=DAY_1, closed=DAY_1 + timedelta(hours=1), status="COMPLETED"
        )
        common: dict[str, Any] = {"workflow_instance_id": uuid7(), "workflow_status": "RUNNING"}
        await feed(
            db,
            me.company_id,
            TaskCreated(
                ticket_id=queued, task_key="review", task_name="Review", task_status="PENDING", **common
            ),
        )
        await feed(
            db,
            me.company_id,
            TaskAssigned(
                ticket_id=held,
                task_key="approve",
                task_name="Approval",
                task_status="ASSIGNED",
                assignee_id=uuid7(),
                **common,
            ),
        )
        response = await client.get("/api/tickets/reports/mine", headers=me.headers)
        assert response.status_code == 200
        body = response.json()
        assert body["total"] == 2
        assert [(t["title"], t["waiting_on"], t["task_status"], t["assigned"]) for t in body["items"]] == [
            ("queued", "Review", "PENDING", False),
            ("with a worker", "Approval", "ASSIGNED", True),
        ]

    async def test_another_company_with_the_same_user_id_sees_nothing(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        me = make_caller()
        await publish_type(me.company_id)
        await submit(client, me)
        impostor = make_caller(company_id=uuid7())
        impostor.user_id = me.user_id
        body = (await client.get("/api/tickets/reports/mine", headers=impostor.headers)).json()
        assert body == {"total": 0, "items": []}


class TestSearchMine:
    async def test_q_finds_my_tickets_by_number_title_or_data(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        me, colleague = make_caller(), make_caller()
        await publish_type(me.company_id)
        await submit(client, me, title="Keyboard broken")
        await submit(client, me, title="Leave in March")
        await submit(client, colleague, title="Keyboard missing")

        async def titles(q: str) -> list[str]:
            page = (await client.get("/api/tickets/tickets/mine", params={"q": q}, headers=me.headers)).json()
            return [t["title"] for t in page["items"]]

        assert await titles("keyb") == ["Keyboard broken"]
        assert sorted(await titles("lisbon")) == ["Keyboard broken", "Leave in March"]
        assert await titles("HR-2") == ["Leave in March"]
