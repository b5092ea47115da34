"""The partition batch hook on a real database: a handler takes the later events of its key in
the partition's share along with its own, their own handlers find them taken, and an event whose
handler failed is applied alone from then on, so the good events before a bad one still land."""

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from common.consumer import Delivery, EventConsumer, partition_batch
from common.db import Database, UnitOfWork
from common.testing.infra import create_database, run_in_thread
from contracts.envelope import Actor, Envelope, envelope_for
from contracts.ids import uuid7

from ..demo_services import CONSUMER_GROUP, ConsumerSettings, NoteCreated, create_schemas

# What each handler call did: the bodies it applied together ([] when it found its event taken).
Calls = list[list[str]]


@pytest.fixture
def admin_url(pg_admin_url: str) -> str:
    url = create_database(pg_admin_url, "batchhook")
    run_in_thread(asyncio.run, create_schemas(url))
    return url


@pytest.fixture
async def db(admin_url: str) -> AsyncIterator[Database]:
    settings = ConsumerSettings(database_admin_url=admin_url)
    database = Database.connect(settings.runtime_database_url(), settings.db_schema)
    yield database
    await database.dispose()


def grouping_consumer(db: Database, calls: Calls) -> EventConsumer:
    """Copies a note with the batch's later notes of its key, in one statement; a group holding
    a poison note fails as a whole."""
    consumer = EventConsumer(db, CONSUMER_GROUP, max_attempts=5, retry_delay=0.05)

    @consumer.on(NoteCreated)
    async def copy_notes(payload: NoteCreated, envelope: Envelope, uow: UnitOfWork) -> None:
        batch = partition_batch()
        assert batch is not None
        if batch.taken(uow, envelope.event_id):
            calls.append([])
            return
        group = [(payload, envelope)]
        group += [(p, e) for p, e in batch.later(envelope) if isinstance(p, NoteCreated)]
        batch.take(uow, [e.event_id for _, e in group])
        calls.append([p.body for p, _ in group])
        if any(p.body.startswith("poison") for p, _ in group):
            raise RuntimeError("cannot copy a poison note")
        await uow.session.execute(
            text(
                "INSERT INTO demo_consumer.note_copies (company_id, note_id, body) "
                "SELECT :c, unnest(CAST(:ids AS uuid[])), unnest(CAST(:bodies AS text[]))"
            ),
            {"c": uow.company_id, "ids": [p.note_id for p, _ in group], "bodies": [p.body for p, _ in group]},
        )

    return consumer


def delivery(offset: int, body: str, key: str, company: UUID) -> Delivery:
    note = NoteCreated(note_id=uuid7(), body=body)
    envelope = envelope_for(note, company_id=company, actor=Actor.system("test"))
    return Delivery("demo.notes", 0, offset, key, envelope.model_dump_json().encode(), {})


async def copies(admin_url: str) -> dict[str, int]:
    plain = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(plain)
    try:
        rows = await conn.fetch("SELECT body, applied_count FROM demo_consumer.note_copies")
    finally:
        await conn.close()
    return {row["body"]: row["applied_count"] for row in rows}


class TestThePartitionBatchHook:
    async def test_a_handler_takes_the_later_events_of_its_key_and_theirs_find_them_taken(
        self, db: Database, admin_url: str
    ) -> None:
        company = uuid7()
        calls: Calls = []
        batch = [
            delivery(0, "a1", "a", company),
            delivery(1, "a2", "a", company),
            delivery(2, "b1", "b", company),
            delivery(3, "a3", "a", company),
        ]

        assert await grouping_consumer(db, calls).handle_partition(batch) is None

        assert calls == [["a1", "a2", "a3"], [], ["b1"], []]
        assert await copies(admin_url) == {"a1": 1, "a2": 1, "b1": 1, "a3": 1}

    async def test_an_event_that_failed_is_applied_alone_so_the_ones_before_it_land(
        self, db: Database, admin_url: str
    ) -> None:
        company = uuid7()
        calls: Calls = []
        consumer = grouping_consumer(db, calls)
        batch = [
            delivery(0, "good", "a", company),
            delivery(1, "poison", "a", company),
            delivery(2, "after", "a", company),
            delivery(3, "other", "b", company),
        ]

        first = await consumer.handle_partition(batch)
        # The group failed as a whole; run again without it, its key waits and the other lands.
        assert calls == [["good", "poison", "after"], ["other"]]
        assert first is not None
        assert first.offset == 0
        assert await copies(admin_url) == {"other": 1}

        # Read again from the rewound offset: the event that failed goes alone and lands; the
        # poison note's own group fails, and holds back the note after it.
        calls.clear()
        second = await consumer.handle_partition(batch[:3])
        assert calls == [["good"], ["poison", "after"], ["good"]]
        assert second is not None
        assert second.offset == 1
        assert await copies(admin_url) == {"other": 1, "good": 1}

        # From then on the poison note is alone too, and the note after it waits behind it.
        calls.clear()
        third = await consumer.handle_partition(batch[1:3])
        assert calls == [["poison"]]
        assert third is not None
        assert third.offset == 1
        assert await copies(admin_url) == {"other": 1, "good": 1}
