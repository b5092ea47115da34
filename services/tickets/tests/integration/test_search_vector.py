"""The full-text vector follows the searchable columns only: the status projection's updates
leave it alone, a change of title or data recomputes it."""

from collections.abc import Callable

import httpx
from sqlalchemy import text

from common.db import Database
from contracts.engine import WorkflowStarted
from contracts.envelope import Actor, envelope_for
from contracts.ids import uuid7
from tickets.ticket import service as ticket_service

from ..tickets_test_support import VALID_LEAVE, Caller, PublishType

SENTINEL = "'sentinel':1"


async def vector_of(db: Database, caller: Caller, ticket_id: str) -> str:
    async with db.unit_of_work(caller.company_id) as uow:
        return str(
            await uow.session.scalar(
                text("SELECT search_vector::text FROM tickets.tickets WHERE id = :id"), {"id": ticket_id}
            )
        )


class TestSearchVector:
    async def test_a_status_update_does_not_recompute_it_and_a_title_change_does(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        body = {"ticket_type_key": "leave", "title": "Canal trip", "ticket_data": VALID_LEAVE}
        ticket = (await client.post("/api/tickets/tickets", json=body, headers=caller.headers)).json()
        assert "'canal':1A" in await vector_of(db, caller, ticket["id"])

        # Mark the vector: only a recomputation would replace the mark.
        async with db.unit_of_work(caller.company_id) as uow:
            await uow.session.execute(
                text("UPDATE tickets.tickets SET search_vector = CAST(:v AS tsvector) WHERE id = :id"),
                {"v": SENTINEL, "id": ticket["id"]},
            )
        started = WorkflowStarted(
            workflow_instance_id=uuid7(), ticket_id=ticket["id"], workflow_status="RUNNING"
        )
        async with db.unit_of_work(caller.company_id) as uow:
            await ticket_service.record_workflow_event(
                uow,
                started,
                envelope_for(started, company_id=caller.company_id, actor=Actor.system("engine")),
            )
        async with db.unit_of_work(caller.company_id) as uow:
            status = await uow.session.scalar(
                text("SELECT status FROM tickets.tickets WHERE id = :id"), {"id": ticket["id"]}
            )
        assert status == "IN_PROGRESS"
        assert await vector_of(db, caller, ticket["id"]) == SENTINEL

        async with db.unit_of_work(caller.company_id) as uow:
            await uow.session.execute(
                text("UPDATE tickets.tickets SET title = 'Harbour trip' WHERE id = :id"), {"id": ticket["id"]}
            )
        recomputed = await vector_of(db, caller, ticket["id"])
        assert "'harbour':1A" in recomputed
        assert SENTINEL not in recomputed
