"""The relay publishes what this process's units of work committed from memory (no read back),
never before an earlier unsent row of another writer, and only while it holds the lock; a relay
SIGKILLed in the new window loses nothing."""

import asyncio
import json
import zlib
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from common.db import Database, UnitOfWork, outbox_insert
from common.kafka import ensure_topics
from common.outbox import OutboxRelay
from common.testing.infra import create_database, run_in_thread
from contracts.envelope import Actor, Envelope, envelope_for
from contracts.ids import uuid7

from ..demo_services import NoteCreated, ProducerSettings, create_schemas


@pytest.fixture
async def db(pg_admin_url: str) -> AsyncIterator[Database]:
    url = create_database(pg_admin_url, "handoff")
    run_in_thread(asyncio.run, create_schemas(url))
    settings = ProducerSettings(database_admin_url=url)
    database = Database.connect(settings.runtime_database_url(), settings.db_schema)
    yield database
    await database.dispose()


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    name = f"demo.handoff.{uuid7().hex[:12]}"
    # One partition: the order on it is the order the relay sent in.
    await ensure_topics(kafka_bootstrap, [name], partitions=1)
    return name


@pytest.fixture
async def relay(db: Database, kafka_bootstrap: str) -> AsyncIterator[OutboxRelay]:
    # The slow poll never fires in a test: only this process's commits wake the relay.
    started = OutboxRelay(db, kafka_bootstrap, poll_seconds=60)
    await started.start()
    yield started
    await started.stop()


async def publish(uow: UnitOfWork, topic: str, key: str) -> Envelope:
    envelope = envelope_for(
        NoteCreated(note_id=uuid7(), body="a note"), company_id=uow.company_id, actor=uow.actor
    )
    await uow.publish_envelope(topic, key, envelope)
    return envelope


async def write(db: Database, topic: str, key: str) -> Envelope:
    async with db.unit_of_work(uuid7()) as uow:
        return await publish(uow, topic, key)


async def unsent(db: Database) -> int:
    outbox = db.tables.outbox
    async with db.new_session() as session:
        query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        return int(await session.scalar(query) or 0)


async def drained(db: Database) -> None:
    for _ in range(600):
        if not await unsent(db):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the relay did not send the outbox")


async def read(bootstrap: str, topic: str, count: int) -> list[ConsumerRecord[bytes, bytes]]:
    reader = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await reader.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        for _ in range(60):
            for batch in (await reader.getmany(timeout_ms=500)).values():
                records += batch
            if len(records) >= count:
                return records
    finally:
        await reader.stop()
    raise AssertionError(f"{len(records)} of {count} records reached {topic}")


def event_id(record: ConsumerRecord[bytes, bytes]) -> UUID:
    return UUID(json.loads(record.value or b"{}")["event_id"])


async def test_a_committed_row_goes_out_from_memory_without_being_read_back(
    db: Database, relay: OutboxRelay, topic: str, kafka_bootstrap: str
) -> None:
    envelope = await write(db, topic, "k")
    await drained(db)
    [record] = await read(kafka_bootstrap, topic, 1)
    # The writer's own JSON text: a row read back from the table would carry the database's
    # rendering of it (`{"a": 1, ...}`), never this.
    assert record.value == envelope.model_dump_json().encode()
    assert record.key == b"k"
    assert dict(record.headers)["event-type"] == b"note.created"


async def test_another_writers_earlier_unsent_row_is_sent_first(
    db: Database, relay: OutboxRelay, topic: str, kafka_bootstrap: str
) -> None:
    warm_up = await write(db, topic, "warm-up")
    await drained(db)
    # A row another process committed and its relay has not sent yet: this process is not told.
    foreign = envelope_for(
        NoteCreated(note_id=uuid7(), body="theirs"), company_id=uuid7(), actor=Actor.system("demo_producer")
    )
    async with db.new_session() as session, session.begin():
        await session.execute(
            text(
                "INSERT INTO demo_producer.outbox (event_id, topic, key, payload, headers) "
                "VALUES (:id, :topic, 'k', CAST(:payload AS jsonb), '{\"event-type\": \"note.created\"}')"
            ),
            {"id": foreign.event_id, "topic": topic, "payload": foreign.model_dump_json()},
        )
    ours = await write(db, topic, "k")
    await drained(db)
    records = await read(kafka_bootstrap, topic, 3)
    assert [event_id(r) for r in records] == [warm_up.event_id, foreign.event_id, ours.event_id]
    # Ours still came from memory, the other writer's row from the table.
    assert records[2].value == ours.model_dump_json().encode()
    assert records[1].value != foreign.model_dump_json().encode()


async def test_nothing_is_sent_while_another_relay_holds_the_lock(
    db: Database, relay: OutboxRelay, topic: str, kafka_bootstrap: str
) -> None:
    assert db.engine is not None
    holder = await asyncpg.connect(
        make_url(db.engine.url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    try:
        await holder.execute("SELECT pg_advisory_lock($1)", zlib.crc32(b"outbox:demo_producer"))
        envelope = await write(db, topic, "k")
        for _ in range(10):
            await asyncio.sleep(0.05)
            assert await unsent(db) == 1, "a row was sent while another relay held the lock"
        await holder.execute("SELECT pg_advisory_unlock($1)", zlib.crc32(b"outbox:demo_producer"))
        await drained(db)
    finally:
        await holder.close()
    [record] = await read(kafka_bootstrap, topic, 1)
    assert event_id(record) == envelope.event_id


async def test_a_handoff_of_rows_that_never_committed_sends_nothing(
    db: Database, relay: OutboxRelay, topic: str, kafka_bootstrap: str
) -> None:
    # A savepoint's rows are handed over when it is released; the transaction around it then
    # rolls back. The relay finds none of them in the table and sends nothing.
    assert db.engine is not None
    async with db.engine.connect() as connection:
        outer = await connection.begin()
        inner = Database.bound_to(connection, db.schema)
        inner.outbox_handoff = db.outbox_handoff
        inner.outbox_written = db.outbox_written
        async with inner.unit_of_work(uuid7()) as uow:
            await publish(uow, topic, "k")
        await outer.rollback()
    sent = await write(db, topic, "k")
    await drained(db)
    after = await write(db, topic, "k")
    await drained(db)
    # Sent, the rolled-back row would have gone out first.
    records = await read(kafka_bootstrap, topic, 2)
    assert [event_id(r) for r in records] == [sent.event_id, after.event_id]


async def test_a_row_a_statement_wrote_itself_is_handed_over_when_named(
    db: Database, relay: OutboxRelay, topic: str, kafka_bootstrap: str
) -> None:
    async with db.unit_of_work(uuid7()) as uow:
        envelope = envelope_for(
            NoteCreated(note_id=uuid7(), body="a note"), company_id=uow.company_id, actor=uow.actor
        )
        row = (envelope.event_id, topic, "k", envelope.model_dump_json(), '{"event-type": "note.created"}')
        await uow.session.execute(
            text(outbox_insert(db.schema)),
            {
                "event_ids": [row[0]],
                "topics": [row[1]],
                "keys": [row[2]],
                "payloads": [row[3]],
                "headers": [row[4]],
            },
        )
        uow.wrote_outbox_rows([row])
    await drained(db)
    [record] = await read(kafka_bootstrap, topic, 1)
    assert record.value == envelope.model_dump_json().encode()
