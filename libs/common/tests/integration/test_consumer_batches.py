"""The batch consumer runtime with real Postgres and the real broker: a partition's share of a
fetch is one transaction, a failing event is isolated from the rest of its batch, and a
consumer SIGKILLed inside a batch (after the claim, between handlers, after the commit and
before the offset commit) still applies every event exactly once."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy.engine import make_url

from common.consumer import Delivery, EventConsumer
from common.db import Database
from common.kafka import ensure_topics
from common.testing.infra import create_database, run_in_thread
from contracts.envelope import Actor, envelope_for
from contracts.ids import uuid7

from ..demo_services import (
    ConsumerSettings,
    NoteCreated,
    ProducerSettings,
    build_consumer,
    create_note,
    create_schemas,
)

DEMO = Path(__file__).resolve().parents[1] / "demo_services.py"
GROUP = "demo_consumer"
NOTES = 40


def plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def admin_url(pg_admin_url: str) -> str:
    url = create_database(pg_admin_url, "batch")
    run_in_thread(asyncio.run, create_schemas(url))
    return url


async def fetchval(admin_url: str, query: str, *args: object) -> int:
    conn = await asyncpg.connect(plain(admin_url))
    try:
        return int(await conn.fetchval(query, *args))
    finally:
        await conn.close()


class TestOnePartitionBatch:
    """`handle_partition` straight on a real database: what one transaction does."""

    @pytest.fixture
    async def consumer(self, admin_url: str) -> AsyncIterator[EventConsumer]:
        settings = ConsumerSettings(database_admin_url=admin_url)
        db = Database.connect(settings.runtime_database_url(), settings.db_schema)
        yield build_consumer(db, max_attempts=2)
        await db.dispose()

    @staticmethod
    def delivery(offset: int, body: str, key: str, company: UUID) -> Delivery:
        note = NoteCreated(note_id=uuid7(), body=body)
        envelope = envelope_for(note, company_id=company, actor=Actor.system("test"))
        return Delivery("demo.notes", 0, offset, key, envelope.model_dump_json().encode(), {})

    async def copies(self, admin_url: str) -> dict[str, int]:
        conn = await asyncpg.connect(plain(admin_url))
        try:
            rows = await conn.fetch("SELECT body, applied_count FROM demo_consumer.note_copies")
        finally:
            await conn.close()
        return {row["body"]: row["applied_count"] for row in rows}

    async def test_a_failing_event_holds_only_its_key_and_is_dead_lettered_past_the_limit(
        self, consumer: EventConsumer, admin_url: str
    ) -> None:
        company = uuid7()
        batch = [
            self.delivery(10, "first", "a", company),
            self.delivery(11, "poison one", "b", company),
            self.delivery(12, "after poison, same key", "b", company),
            self.delivery(13, "other key", "c", company),
        ]

        rewind = await consumer.handle_partition(batch)

        assert await self.copies(admin_url) == {"first": 1, "other key": 1}
        assert rewind is not None
        assert rewind.offset == 11
        assert "cannot copy poison one" in str(rewind.error)

        # Read again from the failed event, as the rewound partition is: the last attempt
        # dead-letters it and its key moves on; what was applied is not applied again.
        assert await consumer.handle_partition(batch[1:]) is None

        assert await self.copies(admin_url) == {"first": 1, "other key": 1, "after poison, same key": 1}
        assert (
            await fetchval(
                admin_url,
                "SELECT count(*) FROM demo_consumer.outbox WHERE topic = $1 AND payload->>'attempts' = '2'",
                f"{GROUP}.dlt",
            )
            == 1
        )
        assert (
            await fetchval(
                admin_url, "SELECT count(*) FROM demo_consumer.inbox WHERE outcome = 'dead_lettered'"
            )
            == 1
        )

    async def test_the_same_event_twice_in_a_batch_takes_effect_once(
        self, consumer: EventConsumer, admin_url: str
    ) -> None:
        company = uuid7()
        original = self.delivery(1, "twice", "k", company)
        replayed = Delivery("demo.notes", 0, 2, "k", original.body, {})

        assert (
            await consumer.handle_partition([original, replayed, self.delivery(3, "once", "j", company)])
            is None
        )

        assert await self.copies(admin_url) == {"twice": 1, "once": 1}

    async def test_events_of_several_companies_each_run_in_their_own_company(
        self, consumer: EventConsumer, admin_url: str
    ) -> None:
        companies = [uuid7(), uuid7(), uuid7()]
        batch = [self.delivery(n, f"note {n}", str(n), companies[n % 3]) for n in range(9)]

        assert await consumer.handle_partition(batch) is None

        conn = await asyncpg.connect(plain(admin_url))
        try:
            rows = await conn.fetch("SELECT company_id, body FROM demo_consumer.note_copies")
        finally:
            await conn.close()
        assert {(row["company_id"], row["body"]) for row in rows} == {
            (companies[n % 3], f"note {n}") for n in range(9)
        }


class Processes:
    def __init__(self, admin_url: str, kafka: str, topic: str, logs: Path) -> None:
        self.env = dict(os.environ, DEMO_ADMIN_URL=admin_url, KAFKA_BOOTSTRAP_SERVERS=kafka, DEMO_TOPIC=topic)
        self.logs = logs
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, role: str, **env: str) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{role}-{len(self.running)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, str(DEMO), role], env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        self.running.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def processes(admin_url: str, kafka_bootstrap: str, tmp_path: Path) -> Iterator[Processes]:
    topic = f"demo.notes.{uuid7().hex[:12]}"
    run_in_thread(asyncio.run, ensure_topics(kafka_bootstrap, [topic, f"{GROUP}.dlt"]))
    procs = Processes(admin_url, kafka_bootstrap, topic, tmp_path)
    yield procs
    procs.stop_all()


async def wait_for(admin_url: str, query: str, expected: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    value = -1
    while time.monotonic() < deadline:
        value = await fetchval(admin_url, query)
        if value == expected:
            return value
        await asyncio.sleep(0.25)
    return value


COPIES = "SELECT count(*) FROM demo_consumer.note_copies"
UNSENT = "SELECT count(*) FROM demo_producer.outbox WHERE published_at IS NULL"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("point", "passes"),
    [("after_claim", "0"), ("mid_batch", "2"), ("before_offset_commit", "0")],
)
async def test_a_consumer_killed_inside_a_batch_applies_every_event_exactly_once(
    admin_url: str, processes: Processes, point: str, passes: str
) -> None:
    settings = ProducerSettings(database_admin_url=admin_url)
    db = Database.connect(settings.runtime_database_url(), settings.db_schema)
    try:
        for n in range(NOTES):
            async with db.unit_of_work(uuid7()) as uow:
                await create_note(uow, uuid7(), f"note {n}", processes.env["DEMO_TOPIC"])
    finally:
        await db.dispose()
    # Everything is on the broker before the consumer starts, so its first fetch is a batch.
    processes.start("relay")
    assert await wait_for(admin_url, UNSENT, 0, 60) == 0, "the relay did not publish the notes"

    crashing = processes.start("consume", TF_CRASH_AT=f"consumer.{GROUP}.{point}", TF_CRASH_AFTER=passes)
    crashing.wait(90)
    assert crashing.returncode == -signal.SIGKILL, f"expected a SIGKILL at {point}, got {crashing.returncode}"
    at_kill = await fetchval(admin_url, COPIES)
    if point == "before_offset_commit":
        assert at_kill >= 1, "the batch's transactions commit before its offsets"
    else:
        assert at_kill < NOTES, "the kill came after the whole backlog was applied"

    processes.start("consume")
    assert await wait_for(admin_url, COPIES, NOTES, 120) == NOTES
    assert await fetchval(admin_url, "SELECT max(applied_count) FROM demo_consumer.note_copies") == 1
    assert (
        await fetchval(admin_url, "SELECT count(*) FROM demo_consumer.inbox WHERE consumer_group = $1", GROUP)
        == NOTES
    )


async def test_a_failing_event_holds_only_its_key_while_other_keys_and_partitions_flow(
    admin_url: str, kafka_bootstrap: str
) -> None:
    topic = f"demo.notes.{uuid7().hex[:12]}"
    await ensure_topics(kafka_bootstrap, [topic])
    settings = ConsumerSettings(database_admin_url=admin_url)
    db = Database.connect(settings.runtime_database_url(), settings.db_schema)
    consumer = build_consumer(db, max_attempts=3)
    consumer.group = f"demo-{uuid7().hex[:12]}"
    # Two backoffs of 2 s and 4 s before the poison event is dead-lettered.
    consumer.retry_delay = 2.0
    company = uuid7()
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap.split(","))
    await producer.start()
    try:

        async def send(body: str, key: str, partition: int) -> None:
            note = NoteCreated(note_id=uuid7(), body=body)
            envelope = envelope_for(note, company_id=company, actor=Actor.system("test"))
            await producer.send_and_wait(
                topic, envelope.model_dump_json().encode(), key=key.encode(), partition=partition
            )

        await send("poison pill", "held", 0)
        await send("behind the poison", "held", 0)
        for n in range(4):
            await send(f"beside the poison {n}", f"k{n}", 0)
        for n in range(14):
            await send(f"elsewhere {n}", f"e{n}", 1 + n % 7)
    finally:
        await producer.stop()

    async def applied() -> set[str]:
        conn = await asyncpg.connect(plain(admin_url))
        try:
            return {r["body"] for r in await conn.fetch("SELECT body FROM demo_consumer.note_copies")}
        finally:
            await conn.close()

    others = {f"beside the poison {n}" for n in range(4)} | {f"elsewhere {n}" for n in range(14)}
    await consumer.start(kafka_bootstrap, [topic])
    try:
        deadline = time.monotonic() + 60
        while not others <= (seen := await applied()):
            assert time.monotonic() < deadline, f"still missing {others - seen}"
            await asyncio.sleep(0.1)
        dead_lettered = await fetchval(
            admin_url,
            "SELECT count(*) FROM demo_consumer.inbox WHERE consumer_group = $1 AND outcome = 'dead_lettered'",
            consumer.group,
        )
        # Everything else was applied while the poison event was still being retried, and the
        # event of its key still waits behind it.
        assert dead_lettered == 0
        assert "behind the poison" not in seen

        while "behind the poison" not in await applied():
            assert time.monotonic() < deadline, "the held key never moved on"
            await asyncio.sleep(0.1)
        assert (
            await fetchval(
                admin_url,
                "SELECT attempts FROM demo_consumer.consumer_failures WHERE consumer_group = $1",
                consumer.group,
            )
            == 3
        )
    finally:
        await consumer.stop()
        await db.dispose()
