"""Submitting a ticket again with the same `Idempotency-Key`: the retry of a client that lost
the first answer gets that answer, and creates nothing."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import func, select, text

from common.db import Database
from contracts.ids import uuid7
from tickets.models import Ticket

from ..tickets_test_support import VALID_LEAVE, Caller, PublishType


async def submit(client: httpx.AsyncClient, caller: Caller, key: str | None, **body: Any) -> httpx.Response:
    payload = {"ticket_type_key": "leave", "title": "Leave in March", "ticket_data": VALID_LEAVE, **body}
    headers = {**caller.headers, **({"Idempotency-Key": key} if key is not None else {})}
    return await client.post("/api/tickets/tickets", json=payload, headers=headers)


async def tickets_of(db: Database, company_id: UUID) -> int:
    async with db.unit_of_work(company_id) as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Ticket)) or 0)


class TestIdempotentSubmit:
    async def test_the_same_key_and_body_answer_the_first_response_and_create_one_ticket(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id, prefix="HR")
        first = await submit(client, caller, "submit-1")
        again = await submit(client, caller, "submit-1")
        assert first.status_code == 201, first.text
        assert again.status_code == 201
        assert again.json() == first.json()
        assert await tickets_of(db, caller.company_id) == 1
        other = await submit(client, caller, "submit-2")
        assert other.json()["number"] == "HR-2"

    async def test_the_same_key_with_another_body_is_422_and_writes_nothing(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        assert (await submit(client, caller, "k")).status_code == 201
        response = await submit(client, caller, "k", title="Something else")
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
        assert await tickets_of(db, caller.company_id) == 1

    async def test_another_companys_or_users_same_key_does_not_collide(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        mine, colleague, stranger = make_caller(), make_caller(), make_caller(company_id=uuid7())
        await publish_type(mine.company_id)
        await publish_type(stranger.company_id)
        answers = [await submit(client, c, "same-key") for c in (mine, colleague, stranger)]
        assert [a.status_code for a in answers] == [201, 201, 201]
        assert len({a.json()["id"] for a in answers}) == 3
        assert await tickets_of(db, mine.company_id) == 2
        assert await tickets_of(db, stranger.company_id) == 1

    async def test_a_failed_create_keeps_no_key(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        refused = await submit(client, caller, "k", ticket_data={})
        assert refused.status_code == 422
        fixed = await submit(client, caller, "k", ticket_data={})
        assert fixed.status_code == 422  # validated again, not replayed from a stored answer
        assert await tickets_of(db, caller.company_id) == 0

    async def test_a_key_older_than_a_day_is_taken_anew(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        first = await submit(client, caller, "old")
        async with db.unit_of_work(caller.company_id) as uow:
            await uow.session.execute(
                text("UPDATE tickets.idempotency_keys SET created_at = now() - interval '25 hours'")
            )
        later = await submit(client, caller, "old")
        assert later.status_code == 201
        assert later.json()["id"] != first.json()["id"]
        assert await tickets_of(db, caller.company_id) == 2

    async def test_a_malformed_key_is_422(
        self, client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        response = await submit(client, caller, "x" * 201)
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]

    async def test_without_a_key_every_submit_creates(
        self,
        client: httpx.AsyncClient,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
        db: Database,
    ) -> None:
        caller = make_caller()
        await publish_type(caller.company_id)
        await submit(client, caller, None)
        await submit(client, caller, None)
        assert await tickets_of(db, caller.company_id) == 2
