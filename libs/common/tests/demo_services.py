"""Two small services built only on the shared runtime, for the foundation's tests: a producer
that commits notes with an outbox event, and a consumer (another schema, another process) that
keeps its own copy of every note.

Run as a process: `python demo_services.py relay|consume|write` with `DEMO_ADMIN_URL` and
`KAFKA_BOOTSTRAP_SERVERS` set (`write`: `DEMO_NOTES` notes committed one at a time beside a
relay of the same process, which gets them handed over).
"""

import asyncio
import os
import signal
import sys
from typing import ClassVar
from uuid import UUID

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from common.consumer import EventConsumer
from common.db import Database, UnitOfWork
from common.kafka import ensure_topics
from common.messaging_tables import MessagingTables
from common.migrations import prepare_schema, tenant_policy_sql
from common.outbox import OutboxRelay
from common.settings import ServiceSettings
from contracts.envelope import Envelope, EventPayload, envelope_for
from contracts.ids import uuid7

NOTES_TOPIC = os.environ.get("DEMO_TOPIC", "demo.notes")
CONSUMER_GROUP = "demo_consumer"


class ProducerSettings(ServiceSettings):
    service_name: ClassVar[str] = "demo_producer"


class ConsumerSettings(ServiceSettings):
    service_name: ClassVar[str] = "demo_consumer"


class NoteCreated(EventPayload):
    event_type: ClassVar[str] = "note.created"
    topic: ClassVar[str] = NOTES_TOPIC

    note_id: UUID
    body: str

    def aggregate_key(self) -> str:
        return str(self.note_id)


async def create_schemas(admin_url: str) -> None:
    """Roles, schemas and tables of both demo services (what their migrations would do)."""
    producer = ProducerSettings(database_admin_url=admin_url)
    consumer = ConsumerSettings(database_admin_url=admin_url)
    for settings in (producer, consumer):
        await prepare_schema(settings)
    plain = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(plain)
    try:
        await conn.execute("SET ROLE demo_producer_owner")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS demo_producer.notes ("
            " company_id uuid NOT NULL, id uuid NOT NULL, body text NOT NULL,"
            " PRIMARY KEY (company_id, id))"
        )
        for statement in tenant_policy_sql("demo_producer", "notes"):
            await conn.execute(statement)
        await conn.execute("SET ROLE demo_consumer_owner")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS demo_consumer.note_copies ("
            " company_id uuid NOT NULL, note_id uuid NOT NULL, body text NOT NULL,"
            " applied_count int NOT NULL DEFAULT 1, PRIMARY KEY (company_id, note_id))"
        )
        for statement in tenant_policy_sql("demo_consumer", "note_copies"):
            await conn.execute(statement)
        await conn.execute("RESET ROLE")
    finally:
        await conn.close()
    for settings in (producer, consumer):
        engine = create_async_engine(settings.admin_database_url(), poolclass=NullPool)
        async with engine.begin() as connection:
            await connection.execute(text(f"SET ROLE {settings.owner_role}"))
            await connection.run_sync(MessagingTables.for_schema(settings.db_schema).metadata.create_all)
        await engine.dispose()


async def create_note(uow: UnitOfWork, note_id: UUID, body: str, topic: str) -> None:
    """The producer's state change and its event, in one transaction."""
    await uow.session.execute(
        text("INSERT INTO demo_producer.notes (company_id, id, body) VALUES (:c, :i, :b)"),
        {"c": uow.company_id, "i": note_id, "b": body},
    )
    event = NoteCreated(note_id=note_id, body=body)
    await uow.publish_envelope(
        topic, event.aggregate_key(), envelope_for(event, company_id=uow.company_id, actor=uow.actor)
    )


def build_consumer(db: Database, max_attempts: int) -> EventConsumer:
    consumer = EventConsumer(db, CONSUMER_GROUP, max_attempts=max_attempts, retry_delay=0.05)

    @consumer.on(NoteCreated)
    async def copy_note(payload: NoteCreated, envelope: Envelope, uow: UnitOfWork) -> None:
        if payload.body.startswith("poison"):
            raise RuntimeError(f"cannot copy {payload.body}")
        # Counting applications (instead of ignoring conflicts) makes a double effect visible.
        await uow.session.execute(
            text(
                "INSERT INTO demo_consumer.note_copies (company_id, note_id, body) VALUES (:c, :i, :b) "
                "ON CONFLICT (company_id, note_id) DO UPDATE "
                "SET applied_count = demo_consumer.note_copies.applied_count + 1"
            ),
            {"c": uow.company_id, "i": payload.note_id, "b": payload.body},
        )

    return consumer


async def run_relay(admin_url: str, kafka: str) -> None:
    settings = ProducerSettings(database_admin_url=admin_url)
    db = Database.connect(settings.runtime_database_url(), settings.db_schema)
    relay = OutboxRelay(db, kafka, poll_seconds=0.1, batch_size=int(os.environ.get("DEMO_BATCH", "20")))
    await relay.start()
    await _wait_for_term()
    await relay.stop()
    await db.dispose()


async def run_writer(admin_url: str, kafka: str) -> None:
    settings = ProducerSettings(database_admin_url=admin_url)
    db = Database.connect(settings.runtime_database_url(), settings.db_schema)
    relay = OutboxRelay(db, kafka, poll_seconds=60)
    await relay.start()
    company = uuid7()
    for n in range(int(os.environ.get("DEMO_NOTES", "5"))):
        async with db.unit_of_work(company) as uow:
            await create_note(uow, uuid7(), f"note {n}", NOTES_TOPIC)
        await asyncio.sleep(0.05)
    await _wait_for_term()
    await relay.stop()
    await db.dispose()


async def run_consumer(admin_url: str, kafka: str) -> None:
    settings = ConsumerSettings(database_admin_url=admin_url)
    db = Database.connect(settings.runtime_database_url(), settings.db_schema)
    await ensure_topics(kafka, [NOTES_TOPIC, f"{CONSUMER_GROUP}.dlt"])
    consumer = build_consumer(db, int(os.environ.get("DEMO_MAX_ATTEMPTS", "3")))
    await consumer.start(kafka, [NOTES_TOPIC])
    # Dead letters leave through the consumer's own outbox.
    relay = OutboxRelay(db, kafka, poll_seconds=0.1)
    await relay.start()
    await _wait_for_term()
    await consumer.stop()
    await relay.stop()
    await db.dispose()


async def _wait_for_term() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()


if __name__ == "__main__":
    from common.telemetry import setup_logging

    setup_logging(f"demo-{sys.argv[1]}", "INFO")
    role, admin, bootstrap = sys.argv[1], os.environ["DEMO_ADMIN_URL"], os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    roles = {"relay": run_relay, "consume": run_consumer, "write": run_writer}
    asyncio.run(roles[role](admin, bootstrap))
