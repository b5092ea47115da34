"""A ticket type's resolution target gives each ticket a resolution due time, which the lists
show, filter and sort by."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import text

from common.consumer import Delivery
from common.db import Database
from contracts.engine import WorkflowCompleted
from contracts.envelope import Actor, envelope_for
from contracts.ids import uuid7
from tickets.consumers import event_consumer

from ..tickets_test_support import VALID_LEAVE, Caller, PublishType


async def submit(client: httpx.AsyncClient, caller: Caller, title: str, key: str = "leave") -> dict[str, Any]:
    answer = await client.post(
        "/api/tickets/tickets",
        json={"ticket_type_key": key, "title": title, "ticket_data": VALID_LEAVE},
        headers=caller.headers,
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def backdate(db: Database, ticket_id: str, days: int) -> None:
    """The ticket was submitted `days` ago: its due time moves back with it."""
    async with db.new_session() as session, session.begin():
        await session.execute(
            text(
                "UPDATE tickets.tickets SET resolution_due_at = resolution_due_at - make_interval(days => :days) "
                "WHERE id = :id"
            ),
            {"days": days, "id": UUID(ticket_id)},
        )


async def complete(db: Database, company_id: UUID, ticket_id: str) -> None:
    envelope = envelope_for(
        WorkflowCompleted(
            workflow_instance_id=uuid7(), ticket_id=UUID(ticket_id), workflow_status="COMPLETED"
        ),
        company_id=company_id,
        actor=Actor.system("engine"),
    )
    delivery = Delivery(
        topic="engine.events",
        partition=0,
        offset=0,
        key=None,
        body=envelope.model_dump_json().encode(),
        headers={},
    )
    await event_consumer(db).handle(delivery)


class TestResolutionDue:
    async def test_a_target_gives_the_ticket_its_due_time(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me = make_caller()
        await publish_type(me.company_id, resolution_target="P3D")
        before = datetime.now(UTC)
        ticket = await submit(client, me, "with a target")
        due = datetime.fromisoformat(ticket["resolution_due_at"])
        assert before + timedelta(days=3) <= due <= datetime.now(UTC) + timedelta(days=3)
        assert ticket["overdue"] is False
        mine = (await client.get("/api/tickets/tickets/mine", headers=me.headers)).json()
        assert mine["items"][0]["resolution_due_at"] == ticket["resolution_due_at"]

    async def test_a_type_without_target_gives_no_due_time(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me = make_caller()
        await publish_type(me.company_id)
        ticket = await submit(client, me, "no target")
        assert ticket["resolution_due_at"] is None
        assert ticket["overdue"] is False

    async def test_the_team_list_filters_overdue_and_sorts_by_due_time(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        me, admin = make_caller(), make_caller(roles=["ticket_admin"])
        await publish_type(me.company_id, resolution_target="P3D")
        await publish_type(me.company_id, key="plain", prefix="PL")
        fresh = await submit(client, me, "fresh")
        late = await submit(client, me, "late")
        done_late = await submit(client, me, "late but done")
        await submit(client, me, "undated", key="plain")
        await backdate(db, late["id"], 5)
        await backdate(db, done_late["id"], 6)
        await complete(db, me.company_id, done_late["id"])

        overdue = (await client.get("/api/tickets/tickets?overdue=true", headers=admin.headers)).json()
        assert [t["title"] for t in overdue["items"]] == ["late"]
        assert overdue["items"][0]["overdue"] is True
        by_due = (
            await client.get("/api/tickets/tickets?sort=resolution_due_at", headers=admin.headers)
        ).json()
        assert [t["title"] for t in by_due["items"]] == ["late but done", "late", "fresh", "undated"]
        newest_due = (
            await client.get("/api/tickets/tickets?sort=-resolution_due_at", headers=admin.headers)
        ).json()
        assert newest_due["items"][0]["title"] == fresh["title"]
        assert newest_due["items"][-1]["title"] == "undated"
        bad = await client.get("/api/tickets/tickets?overdue=perhaps", headers=admin.headers)
        assert bad.status_code == 422
