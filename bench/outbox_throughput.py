"""Outbox → relay → Kafka → batch consumer, on the embedded stack or Apache Kafka.

`python -m bench.outbox_throughput [--broker kafka|embedded] [--events N]`

It prints, for one consumer member and one relay in one process (as a service runs them):
- throughput: N events already committed to the outbox, drained through the relay and the
  broker into the consumer's database (one transaction per partition batch);
- latency: commit → applied, p50/p99, for events committed one at a time;
- idle CPU: what this process and the broker burn per second with nothing to do.
On the embedded broker, latency and idle CPU are printed for several fetch waits (Tansu answers
a fetch only when its wait ends); on Apache Kafka for its one long wait (it answers at once).

`--broker kafka` uses `KAFKA_BOOTSTRAP_SERVERS` when set, else the Apache Kafka the devstack
starts. Bounded: every phase stops after its events or a time limit.
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar
from uuid import UUID

from sqlalchemy import text

from bench.machine import describe, percentile
from common.consumer import EventConsumer
from common.db import Database, UnitOfWork
from common.embedded import ApacheKafka, BrokerKind, broker_kind, free_port
from common.kafka import ensure_topics
from common.outbox import OutboxRelay
from common.settings import EMBEDDED_FETCH_WAIT_MS, KAFKA_FETCH_WAIT_MS
from common.testing.infra import create_database, run_in_thread
from contracts.envelope import Envelope, EventPayload, envelope_for
from contracts.ids import uuid7
from devstack.stack import Infra, start_infra

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "libs" / "common" / "tests"))
from demo_services import ConsumerSettings, ProducerSettings, create_schemas  # type: ignore[import-not-found]

EMBEDDED_WAITS = (10, EMBEDDED_FETCH_WAIT_MS, 50, 100)


class Ping(EventPayload):
    event_type: ClassVar[str] = "bench.ping"
    topic: ClassVar[str] = "bench.outbox"

    n: int
    committed_at: float

    def aggregate_key(self) -> str:
        return str(self.n % 64)


def cpu_seconds(pid: int | None) -> float:
    """CPU time used so far by `pid` (user + system), or 0 when it is not a local process."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Bench:
    def __init__(self, admin_url: str, kafka: str, broker: BrokerKind, broker_pid: int | None) -> None:
        self.admin_url = admin_url
        self.kafka = kafka
        self.broker = broker
        self.broker_pid = broker_pid

    async def run(self, events: int) -> None:
        await create_schemas(self.admin_url)
        producer_settings = ProducerSettings(database_admin_url=self.admin_url)
        consumer_settings = ConsumerSettings(database_admin_url=self.admin_url)
        self.producer_db = Database.connect(
            producer_settings.runtime_database_url(), producer_settings.db_schema
        )
        self.consumer_db = Database.connect(
            consumer_settings.runtime_database_url(), consumer_settings.db_schema
        )
        try:
            print(f"machine: {describe()}")
            print(f"broker: {self.broker} ({self.kafka})")
            if self.broker == "kafka":
                await self.phase(KAFKA_FETCH_WAIT_MS, events)
            else:
                for wait in EMBEDDED_WAITS:
                    await self.phase(wait, events if wait == EMBEDDED_FETCH_WAIT_MS else 0)
        finally:
            await self.producer_db.dispose()
            await self.consumer_db.dispose()

    async def phase(self, fetch_wait_ms: int, events: int) -> None:
        topic = f"bench.outbox.{uuid7().hex[:10]}"
        await ensure_topics(self.kafka, [topic, "demo_consumer.dlt"])
        applied: list[float] = []
        target = [0]
        done = asyncio.Event()
        consumer = EventConsumer(
            self.consumer_db, f"bench-{uuid7().hex[:8]}", broker=self.broker, fetch_max_wait_ms=fetch_wait_ms
        )

        @consumer.on(Ping)
        async def apply(payload: Ping, envelope: Envelope, uow: UnitOfWork) -> None:
            await uow.session.execute(
                text(
                    "INSERT INTO demo_consumer.note_copies (company_id, note_id, body) VALUES (:c, :i, 'p')"
                ),
                {"c": uow.company_id, "i": envelope.event_id},
            )
            uow.after_commit(_applied(payload.committed_at))

        def _applied(committed_at: float) -> Callable[[], None]:
            def record() -> None:
                applied.append(time.time() - committed_at)
                if len(applied) >= target[0]:
                    done.set()

            return record

        relay = OutboxRelay(self.producer_db, self.kafka, poll_seconds=0.5, broker=self.broker)
        await relay.start()
        await consumer.start(self.kafka, [topic])
        company: UUID = uuid7()
        try:
            # The group's first join settles before any clock starts.
            target[0] = 1
            await self.write(company, topic, 1)
            await asyncio.wait_for(done.wait(), 60)
            print(f"-- fetch wait {fetch_wait_ms} ms")

            if events:
                # Throughput: a backlog committed with the relay held back, then drained.
                await relay.stop()
                for start in range(0, events, 200):
                    await self.write(company, topic, min(200, events - start))
                applied.clear()
                done.clear()
                target[0] = events
                started = time.perf_counter()
                await relay.start()
                await asyncio.wait_for(done.wait(), 300)
                elapsed = time.perf_counter() - started
                print(
                    f"   throughput: {events} events in {elapsed:.2f} s = {events / elapsed:.0f} events/s outbox -> consumer"
                )

            # Latency: one event at a time, committed 20 ms apart.
            applied.clear()
            done.clear()
            target[0] = 100
            for _ in range(100):
                await self.write(company, topic, 1)
                await asyncio.sleep(0.02)
            await asyncio.wait_for(done.wait(), 60)
            print(
                f"   latency commit -> applied: p50 {percentile(applied, 0.5) * 1000:.1f} ms, "
                f"p99 {percentile(applied, 0.99) * 1000:.1f} ms"
            )

            # Idle: nothing to do for a few seconds.
            own, broker = time.process_time(), cpu_seconds(self.broker_pid)
            await asyncio.sleep(4)
            own, broker = (time.process_time() - own) / 4, (cpu_seconds(self.broker_pid) - broker) / 4
            broker_text = f", broker {broker * 100:.1f}%" if self.broker_pid else ""
            print(f"   idle CPU: consumer + relay process {own * 100:.1f}% of a core{broker_text}")
        finally:
            await consumer.stop()
            await relay.stop()

    async def write(self, company: UUID, topic: str, count: int) -> None:
        async with self.producer_db.unit_of_work(company) as uow:
            for n in range(count):
                event = Ping(n=n, committed_at=time.time())
                await uow.publish_envelope(
                    topic, event.aggregate_key(), envelope_for(event, company_id=company, actor=uow.actor)
                )


def broker_pid(infra: Infra) -> int | None:
    """The local broker process, whose CPU the idle figure includes (one node)."""
    kafka = infra.kafka
    if isinstance(kafka, ApacheKafka):
        kafka = kafka.nodes[0]  # type: ignore[assignment]
    process = getattr(kafka, "process", None)
    return process.pid if process is not None else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--broker", choices=("embedded", "kafka"), default=broker_kind())
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    broker: BrokerKind = args.broker
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        # start_infra takes a named broker for Apache Kafka unless TF_BROKER says otherwise.
        os.environ["TF_BROKER"] = broker
    data_dir = Path(tempfile.mkdtemp(prefix="tf-bench-"))
    infra = start_infra(
        data_dir, lambda m: print(f"==> {m}"), pg_port=free_port(), kafka_port=free_port(), broker=broker
    )
    try:
        admin_url = create_database(infra.database_url, "bench")
        bench = Bench(admin_url, infra.kafka_bootstrap_servers, infra.broker, broker_pid(infra))
        run_in_thread(asyncio.run, bench.run(args.events))
    finally:
        infra.stop()


if __name__ == "__main__":
    os.environ.setdefault("TF_ENV", "test")
    main()
