"""A ticket type published a moment ago is usable at once: a submission that arrives before the
definitions event has been applied waits for it instead of answering 422 "no ticket type"."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from common.db import Database
from contracts.ids import uuid7
from tickets.config import TicketsSettings
from tickets.main import create_app
from tickets.storage.local import LocalFileStorage

from ..tickets_test_support import VALID_LEAVE, Caller, publish_ticket_type


@pytest.fixture
async def committed_db(settings: TicketsSettings) -> AsyncIterator[Database]:
    """A database whose units of work really commit: the type has to arrive from another
    transaction while the submission is waiting for it."""
    database = Database.connect(settings.runtime_database_url(), settings.db_schema, pool_size=2)
    try:
        yield database
    finally:
        await database.dispose()


async def _client(settings: TicketsSettings, db: Database, tmp_path: Path) -> httpx.AsyncClient:
    app = create_app(settings)
    app.state.db = db
    app.state.storage = LocalFileStorage(tmp_path / "attachments")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _body() -> dict[str, object]:
    return {"ticket_type_key": "leave", "title": "Leave in March", "ticket_data": VALID_LEAVE}


class TestSubmitRightAfterPublishing:
    async def test_a_type_that_arrives_during_the_wait_is_accepted(
        self, settings: TicketsSettings, committed_db: Database, tmp_path: Path
    ) -> None:
        caller = Caller(uuid7(), ["user"], ["user"])
        waiting = settings.model_copy(update={"new_type_wait_seconds": 10.0})

        async def publish_later() -> None:
            await asyncio.sleep(0.5)
            await publish_ticket_type(committed_db, caller.company_id, prefix="NEW")

        async with await _client(waiting, committed_db, tmp_path) as client:
            publisher = asyncio.create_task(publish_later())
            response = await client.post("/api/tickets/tickets", json=_body(), headers=caller.headers)
            await publisher
        assert response.status_code == 201, response.text
        assert response.json()["number"] == "NEW-1"

    async def test_without_a_wait_the_same_race_is_refused(
        self, settings: TicketsSettings, committed_db: Database, tmp_path: Path
    ) -> None:
        """What a submission met before it waited: the type was not there yet."""
        caller = Caller(uuid7(), ["user"], ["user"])
        eager = settings.model_copy(update={"new_type_wait_seconds": 0.0})

        async def publish_later() -> None:
            await asyncio.sleep(0.5)
            await publish_ticket_type(committed_db, caller.company_id)

        async with await _client(eager, committed_db, tmp_path) as client:
            publisher = asyncio.create_task(publish_later())
            response = await client.post("/api/tickets/tickets", json=_body(), headers=caller.headers)
            await publisher
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["type"] == "unknown_ticket_type"

    async def test_a_type_that_never_comes_is_still_422_and_writes_nothing(
        self, settings: TicketsSettings, committed_db: Database, tmp_path: Path
    ) -> None:
        caller = Caller(uuid7(), ["user"], ["user"])
        short = settings.model_copy(update={"new_type_wait_seconds": 0.3})
        async with await _client(short, committed_db, tmp_path) as client:
            response = await client.post("/api/tickets/tickets", json=_body(), headers=caller.headers)
            mine = await client.get("/api/tickets/tickets/mine", headers=caller.headers)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert mine.json()["total"] == 0
