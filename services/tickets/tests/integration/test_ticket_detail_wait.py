"""A ticket's detail read with its entity tag: 304 while unchanged, and with `Prefer: wait` the
answer as soon as the ticket changes."""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from common.db import Database
from contracts.engine import TaskAssigned, WorkflowStarted
from contracts.ids import uuid7
from tickets.config import TicketsSettings
from tickets.ticket.watch import TicketWatch

from ..conftest import service_client
from ..tickets_test_support import Caller, PublishType
from .test_tickets_api import apply_engine_event, submit


async def submitted(client: httpx.AsyncClient, caller: Caller, publish_type: PublishType) -> tuple[UUID, str]:
    """A new ticket of the caller's, and the entity tag of its detail."""
    await publish_type(caller.company_id)
    ticket_id = UUID((await submit(client, caller)).json()["id"])
    read = await client.get(f"/api/tickets/tickets/{ticket_id}", headers=caller.headers)
    assert read.status_code == 200
    return ticket_id, read.headers["etag"]


def waiting(caller: Caller, etag: str, seconds: float) -> dict[str, str]:
    return {**caller.headers, "if-none-match": etag, "prefer": f"wait={seconds:g}"}


class TestEntityTag:
    async def test_the_current_tag_answers_304_without_a_body(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me = make_caller()
        ticket_id, etag = await submitted(client, me, publish_type)
        again = await client.get(
            f"/api/tickets/tickets/{ticket_id}", headers={**me.headers, "if-none-match": f'"other", {etag}'}
        )
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert "preference-applied" not in again.headers

    async def test_a_changed_ticket_answers_with_its_new_detail_and_tag(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        me = make_caller()
        ticket_id, etag = await submitted(client, me, publish_type)
        await apply_engine_event(db, me.company_id, WorkflowStarted, ticket_id)
        read = await client.get(
            f"/api/tickets/tickets/{ticket_id}", headers={**me.headers, "if-none-match": etag}
        )
        assert read.status_code == 200
        assert read.json()["status"] == "IN_PROGRESS"
        assert read.headers["etag"] != etag


class TestWaitForChange:
    async def test_answers_as_soon_as_the_ticket_changes(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        me = make_caller()
        ticket_id, etag = await submitted(client, me, publish_type)
        started = time.monotonic()
        read = asyncio.create_task(
            client.get(f"/api/tickets/tickets/{ticket_id}", headers=waiting(me, etag, 15))
        )
        await asyncio.sleep(0.3)
        assert not read.done()
        await apply_engine_event(db, me.company_id, TaskAssigned, ticket_id, task_name="Manager approval")
        answer = await asyncio.wait_for(read, 10)
        assert time.monotonic() - started < 10, "the read waited for its whole time"
        assert answer.status_code == 200
        assert answer.json()["current_task_name"] == "Manager approval"
        assert answer.headers["preference-applied"] == "wait=15"
        assert answer.headers["etag"] != etag

    async def test_answers_304_when_nothing_changed_in_the_time(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me = make_caller()
        ticket_id, etag = await submitted(client, me, publish_type)
        started = time.monotonic()
        answer = await client.get(f"/api/tickets/tickets/{ticket_id}", headers=waiting(me, etag, 0.5))
        assert time.monotonic() - started >= 0.5
        assert answer.status_code == 304
        assert answer.headers["etag"] == etag
        assert answer.headers["preference-applied"] == "wait=0.5"

    async def test_an_unreadable_or_negative_wait_answers_at_once(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me = make_caller()
        ticket_id, etag = await submitted(client, me, publish_type)
        for prefer in ("wait=soon", "wait=-5", "wait=nan", "return=minimal"):
            answer = await asyncio.wait_for(
                client.get(
                    f"/api/tickets/tickets/{ticket_id}",
                    headers={**me.headers, "if-none-match": etag, "prefer": prefer},
                ),
                5,
            )
            assert answer.status_code == 304, prefer
            assert "preference-applied" not in answer.headers, prefer

    async def test_another_companys_ticket_is_404_at_once(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        me = make_caller()
        outsider = make_caller(roles=["admin", "ticket_admin"], company_id=uuid7())
        ticket_id, etag = await submitted(client, me, publish_type)
        answer = await asyncio.wait_for(
            client.get(f"/api/tickets/tickets/{ticket_id}", headers=waiting(outsider, etag, 15)), 5
        )
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"


@pytest.fixture
async def few_places(
    settings: TicketsSettings, db: Database, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """The service with one waiting place per company."""
    async with service_client(
        settings.model_copy(update={"detail_waits_per_company": 1}), db, tmp_path
    ) as http:
        yield http


class TestWaitingPlaces:
    async def test_a_company_past_its_places_is_answered_at_once_and_others_still_wait(
        self,
        few_places: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        me = make_caller()
        other = make_caller(company_id=uuid7())
        mine, my_etag = await submitted(few_places, me, publish_type)
        theirs, their_etag = await submitted(few_places, other, publish_type)
        holding = asyncio.create_task(
            few_places.get(f"/api/tickets/tickets/{mine}", headers=waiting(me, my_etag, 2))
        )
        await asyncio.sleep(0.3)
        assert not holding.done()
        started = time.monotonic()
        refused = await few_places.get(f"/api/tickets/tickets/{mine}", headers=waiting(me, my_etag, 2))
        assert time.monotonic() - started < 1.5
        assert refused.status_code == 304
        assert "preference-applied" not in refused.headers
        granted = await few_places.get(
            f"/api/tickets/tickets/{theirs}", headers=waiting(other, their_etag, 0.3)
        )
        assert granted.status_code == 304
        assert granted.headers["preference-applied"] == "wait=0.3"
        assert (await holding).headers["preference-applied"] == "wait=2"


@pytest.fixture
async def two_processes(settings: TicketsSettings) -> AsyncIterator[tuple[TicketWatch, TicketWatch]]:
    """Two watches over the service's database, each with its own engine, as two processes of
    the service have."""
    databases = [
        Database.connect(settings.runtime_database_url(), settings.db_schema, pool_size=1) for _ in "ab"
    ]
    watches = (TicketWatch(databases[0]), TicketWatch(databases[1]))
    try:
        yield watches
    finally:
        for watch in watches:
            await watch.close()
        for database in databases:
            await database.dispose()


class TestWordBetweenProcesses:
    async def test_a_change_told_by_one_process_wakes_a_wait_in_another(
        self, two_processes: tuple[TicketWatch, TicketWatch]
    ) -> None:
        teller, listener = two_processes
        company_id, ticket_id, unrelated = uuid7(), uuid7(), uuid7()
        async with listener.place(company_id, per_company=1, in_all=1) as placed:
            assert placed
            with listener.subscribed(ticket_id) as woken, listener.subscribed(unrelated) as not_woken:
                teller.changed([ticket_id])
                await asyncio.wait_for(woken.wait(), 10)
                await asyncio.sleep(0.2)
                assert not not_woken.is_set()

    async def test_the_telling_process_wakes_at_once_and_not_again_on_its_own_word(
        self, two_processes: tuple[TicketWatch, TicketWatch]
    ) -> None:
        teller, listener = two_processes
        company_id, ticket_id = uuid7(), uuid7()
        async with (
            teller.place(company_id, per_company=1, in_all=1),
            listener.place(company_id, per_company=1, in_all=1),
        ):
            with teller.subscribed(ticket_id) as own, listener.subscribed(ticket_id) as other:
                teller.changed([ticket_id])
                assert own.is_set()
                own.clear()
                # The word went out (the other process heard it) and came back to the teller.
                await asyncio.wait_for(other.wait(), 10)
                await asyncio.sleep(0.3)
                assert not own.is_set()
