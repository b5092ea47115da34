"""Outbox → relay → Kafka → idempotent consumer, on the embedded stack (or DATABASE_URL /
KAFKA_BOOTSTRAP_SERVERS): events per second and commit-to-applied latency (p50/p99).

`python -m bench.outbox_throughput [events]` — bounded: it stops after the events are applied
or after a time limit.
"""

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import ClassVar
from uuid import UUID

from sqlalchemy import text

from bench.machine import describe, percentile
from common.consumer import EventConsumer
from common.db import Database, UnitOfWork
from common.embedded import free_port
from common.kafka import create_broker, ensure_topics
from common.outbox import OutboxRelay
from common.testing.infra import create_database, run_in_thread
from contracts.envelope import Envelope, EventPayload, envelope_for
from contracts.ids import uuid7
from devstack.stack import start_infra

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "libs" / "common" / "tests"))
from demo_services import ConsumerSettings, ProducerSettings, create_schemas  # type: ignore[import-not-found]

TOPIC = f"bench.outbox.{uuid7().hex[:10]}"


class Ping(EventPayload):
    event_type: ClassVar[str] = "bench.ping"
    topic: ClassVar[str] = TOPIC

    n: int
    committed_at: float

    def aggregate_key(self) -> str:
        return str(self.n % 64)


async def run(admin_url: str, kafka: str, events: int) -> None:
    await create_schemas(admin_url)
    await ensure_topics(kafka, [TOPIC, "demo_consumer.dlt"])
    producer_settings = ProducerSettings(database_admin_url=admin_url)
    consumer_settings = ConsumerSettings(database_admin_url=admin_url)
    producer_db = Database.connect(producer_settings.runtime_database_url(), producer_settings.db_schema)
    consumer_db = Database.connect(consumer_settings.runtime_database_url(), consumer_settings.db_schema)
    latencies: list[float] = []
    done = asyncio.Event()
    consumer = EventConsumer(consumer_db, "demo_consumer")

    @consumer.on(Ping)
    async def apply(payload: Ping, envelope: Envelope, uow: UnitOfWork) -> None:
        await uow.session.execute(
            text("INSERT INTO demo_consumer.note_copies (company_id, note_id, body) VALUES (:c, :i, 'p')"),
            {"c": uow.company_id, "i": envelope.event_id},
        )
        uow.after_commit(lambda: _applied(payload.committed_at))

    def _applied(committed_at: float) -> None:
        latencies.append(time.time() - committed_at)
        if len(latencies) >= events:
            done.set()

    broker = create_broker(kafka, "bench")
    consumer.subscribe(broker, TOPIC)
    await broker.start()
    relay = OutboxRelay(producer_db, kafka, poll_seconds=0.05)
    await relay.start()
    company: UUID = uuid7()
    await asyncio.sleep(6)  # let the consumer group settle before the clock starts
    started = time.perf_counter()
    for n in range(events):
        async with producer_db.unit_of_work(company) as uow:
            event = Ping(n=n, committed_at=time.time())
            await uow.publish_envelope(
                TOPIC, event.aggregate_key(), envelope_for(event, company_id=company, actor=uow.actor)
            )
    try:
        await asyncio.wait_for(done.wait(), timeout=300)
    finally:
        elapsed = time.perf_counter() - started
        await broker.stop()
        await relay.stop()
        await producer_db.dispose()
        await consumer_db.dispose()
    print(f"machine: {describe()}")
    print(f"events: {len(latencies)} (one transaction each, producer and consumer in one process)")
    print(f"throughput: {len(latencies) / elapsed:.0f} events/s end to end")
    print(
        f"latency commit -> applied: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms"
    )


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    data_dir = Path(tempfile.mkdtemp(prefix="tf-bench-"))
    infra = start_infra(data_dir, lambda m: print(f"==> {m}"), pg_port=free_port(), kafka_port=free_port())
    try:
        admin_url = create_database(infra.database_url, "bench")
        run_in_thread(asyncio.run, run(admin_url, infra.kafka_bootstrap_servers, events))
    finally:
        infra.stop()


if __name__ == "__main__":
    os.environ.setdefault("TF_ENV", "test")
    main()
