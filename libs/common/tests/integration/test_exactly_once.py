"""Outbox → Kafka → idempotent consumer, with real Postgres, the real broker and real processes
killed at the worst moments: every event's effect happens exactly once."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy.engine import make_url

from common.db import Database
from common.kafka import ensure_topics
from common.testing.infra import create_database, run_in_thread
from contracts.ids import uuid7

from ..demo_services import ProducerSettings, create_note, create_schemas

DEMO = Path(__file__).resolve().parents[1] / "demo_services.py"
GROUP = "demo_consumer"


@pytest.fixture(scope="module")
def demo_admin_url(pg_admin_url: str) -> str:
    url = create_database(pg_admin_url, "demo")
    run_in_thread(asyncio.run, create_schemas(url))
    return url


class Processes:
    def __init__(self, admin_url: str, kafka: str, topic: str, logs: Path) -> None:
        self.topic = topic
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
def processes(demo_admin_url: str, kafka_bootstrap: str, tmp_path: Path) -> Iterator[Processes]:
    topic = f"demo.notes.{uuid7().hex[:12]}"
    run_in_thread(asyncio.run, ensure_topics(kafka_bootstrap, [topic, f"{GROUP}.dlt"]))
    procs = Processes(demo_admin_url, kafka_bootstrap, topic, tmp_path)
    yield procs
    procs.stop_all()


async def admin_fetchval(admin_url: str, query: str, *args: object) -> int:
    """One whole number (a count, a maximum) read as the admin."""
    conn = await asyncpg.connect(make_url(admin_url).set(drivername="postgresql").render_as_string(False))
    try:
        return int(await conn.fetchval(query, *args))
    finally:
        await conn.close()


async def wait_until(predicate: Callable[[], Awaitable[bool]], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def wait_killed(process: subprocess.Popen[bytes], timeout: float) -> None:
    process.wait(timeout)
    assert process.returncode == -signal.SIGKILL, f"expected a SIGKILL, got {process.returncode}"


async def test_each_event_takes_effect_exactly_once_through_duplicates_crashes_and_poison(
    demo_admin_url: str, kafka_bootstrap: str, processes: Processes
) -> None:
    settings = ProducerSettings(database_admin_url=demo_admin_url)
    db = Database.connect(settings.runtime_database_url(), settings.db_schema)
    companies = [uuid7(), uuid7()]
    poison_id = uuid7()
    try:
        async with db.unit_of_work(companies[0]) as uow:
            await create_note(uow, poison_id, "poison pill", processes.topic)
        for i in range(40):
            async with db.unit_of_work(companies[i % 2]) as uow:
                await create_note(uow, uuid7(), f"note {i}", processes.topic)
    finally:
        await db.dispose()

    async def unpublished() -> int:
        return await admin_fetchval(
            demo_admin_url, "SELECT count(*) FROM demo_producer.outbox WHERE published_at IS NULL"
        )

    # (b) The relay dies after publishing a batch and before marking it sent.
    wait_killed(processes.start("relay", TF_CRASH_AT="relay.after_publish", DEMO_BATCH="20"), 60)
    assert await unpublished() == 41, "nothing may be marked sent by a relay that died before marking"
    processes.start("relay")
    await wait_until(lambda: _eq(unpublished(), 0), 60, "the relay to publish everything")

    # (a) The same events delivered again (what a replay or a retried produce does).
    conn = await asyncpg.connect(
        make_url(demo_admin_url).set(drivername="postgresql").render_as_string(False)
    )
    try:
        rows = await conn.fetch(
            "SELECT topic, key, payload FROM demo_producer.outbox ORDER BY position LIMIT 8 OFFSET 1"
        )
    finally:
        await conn.close()
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for row in rows:
            await producer.send_and_wait(row["topic"], row["payload"].encode(), key=row["key"].encode())
    finally:
        await producer.stop()

    async def copies() -> int:
        return await admin_fetchval(demo_admin_url, "SELECT count(*) FROM demo_consumer.note_copies")

    # (c) The consumer dies after its transaction commits and before its offset commit.
    crashing = processes.start("consume", TF_CRASH_AT=f"consumer.{GROUP}.after_commit", TF_CRASH_AFTER="5")
    wait_killed(crashing, 90)
    assert await copies() >= 1, "the consumer must have committed effects before it died"

    processes.start("consume")
    await wait_until(lambda: _eq(copies(), 40), 120, "every note to be copied")

    # (d) The poison event went to the dead-letter topic with its error; the rest kept flowing.
    dead = await read_dead_letter(kafka_bootstrap, str(poison_id))
    assert dead["attempts"] == 3
    assert "cannot copy poison pill" in dead["error"]
    assert dead["company_id"] == str(companies[0])

    assert (
        await admin_fetchval(demo_admin_url, "SELECT max(applied_count) FROM demo_consumer.note_copies") == 1
    )
    assert (
        await admin_fetchval(
            demo_admin_url, "SELECT count(*) FROM demo_consumer.inbox WHERE consumer_group = $1", GROUP
        )
        == 41
    )


async def _eq(value: Awaitable[int], expected: int) -> bool:
    return await value == expected


async def read_dead_letter(kafka: str, note_id: str) -> dict[str, Any]:
    consumer = AIOKafkaConsumer(
        f"{GROUP}.dlt", bootstrap_servers=kafka, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                for record in records:
                    body: dict[str, Any] = json.loads(record.value)
                    if body["message"]["data"]["note_id"] == note_id:
                        return body
    finally:
        await consumer.stop()
    raise AssertionError("the poison event never reached the dead-letter topic")
