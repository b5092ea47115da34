"""SLA breaches per ticket type: tickets resolved after their resolution due time or still
open past it, over the tickets due in the range, and none of another company's."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
from sqlalchemy import update

from common.db import Database
from contracts.ids import uuid7
from tickets.models import Ticket

from ..tickets_test_support import Caller, PublishType
from .test_reports_api import submit

DUE = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
RANGE = "from=2026-03-01&to=2026-03-31"


async def due_ticket(
    client: httpx.AsyncClient,
    db: Database,
    caller: Caller,
    key: str,
    *,
    due: datetime,
    closed: datetime | None = None,
    status: str = "COMPLETED",
) -> UUID:
    """A ticket due at `due`, closed at `closed` with `status` (or still in progress)."""
    ticket_id = await submit(client, caller, key)
    async with db.unit_of_work(caller.company_id) as uow:
        await uow.session.execute(
            update(Ticket)
            .where(Ticket.company_id == caller.company_id, Ticket.id == ticket_id)
            .values(
                created_at=due - timedelta(days=2),
                resolution_due_at=due,
                closed_at=closed,
                status=status if closed is not None else "IN_PROGRESS",
            )
        )
    return ticket_id


async def sla(client: httpx.AsyncClient, caller: Caller, query: str = RANGE) -> httpx.Response:
    return await client.get(f"/api/tickets/reports/sla?{query}", headers=caller.headers)


class TestTicketSla:
    async def test_counts_breaches_per_type_with_the_due_time_itself_on_time(
        self,
        client: httpx.AsyncClient,
        db: Database,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        admin = make_caller(roles=["user", "ticket_admin"])
        await publish_type(admin.company_id)
        await publish_type(admin.company_id, key="laptop", prefix="IT", name="Laptop request")
        await due_ticket(client, db, admin, "leave", due=DUE, closed=DUE)  # at the due time: on time
        await due_ticket(client, db, admin, "leave", due=DUE, closed=DUE + timedelta(seconds=1))  # breached
        await due_ticket(client, db, admin, "leave", due=DUE, closed=DUE - timedelta(hours=3))  # on time
        await due_ticket(client, db, admin, "leave", due=DUE)  # open past its due time: breached
        # Cancelled owes nothing; due outside the range is not counted; no due time is not counted.
        await due_ticket(
            client, db, admin, "leave", due=DUE, closed=DUE + timedelta(days=1), status="CANCELLED"
        )
        await due_ticket(client, db, admin, "leave", due=DUE + timedelta(days=40))
        await submit(client, admin, "leave")
        await due_ticket(client, db, admin, "laptop", due=datetime.now(UTC) + timedelta(days=1))  # not yet
        today = datetime.now(UTC).date()
        span = f"from={(today - timedelta(days=1)).isoformat()}&to={(today + timedelta(days=2)).isoformat()}"

        march = await sla(client, admin)
        assert march.status_code == 200, march.text
        assert (march.json()["from"], march.json()["to"]) == ("2026-03-01", "2026-03-31")
        assert march.json()["per_type"] == [
            {
                "ticket_type_key": "leave",
                "ticket_type_name": "Leave request",
                "due": 4,
                "breached": 2,
                "open_breached": 1,
                "breach_rate": 0.5,
            }
        ]
        assert (await sla(client, admin, span)).json()["per_type"] == [
            {
                "ticket_type_key": "laptop",
                "ticket_type_name": "Laptop request",
                "due": 1,
                "breached": 0,
                "open_breached": 0,
                "breach_rate": 0.0,
            }
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
        await due_ticket(client, db, admin_a, "leave", due=DUE)
        assert (await sla(client, admin_b)).json()["per_type"] == []
        assert [r["due"] for r in (await sla(client, admin_a)).json()["per_type"]] == [1]

    async def test_bad_ranges_are_problems_and_only_the_ticket_team_may_read(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        admin = make_caller(roles=["admin"])
        for query, loc in (
            ("from=2026-03-10&to=2026-03-01", "from"),
            ("from=2024-01-01&to=2026-01-01", "to"),
        ):
            response = await sla(client, admin, query)
            assert response.status_code == 422, query
            assert response.headers["content-type"] == "application/problem+json"
            assert [tuple(e["loc"]) for e in response.json()["errors"]] == [("query", loc)]
        worker = make_caller(roles=["user", "task_worker"])
        assert (await sla(client, worker)).status_code == 403
