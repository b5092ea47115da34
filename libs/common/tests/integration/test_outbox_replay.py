"""What the relay sends again at start: on the embedded broker only what that broker lacks
(nothing after a service restart, the rows written since the last broker's life began after a
broker restart, never the whole retention window); on Apache Kafka nothing."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from common.db import Database
from common.embedded import broker_kind
from common.kafka import ensure_topics
from common.outbox import OutboxRelay
from common.testing.infra import create_database, private_kafka, run_in_thread
from contracts.ids import uuid7

from ..demo_services import ProducerSettings, create_note, create_schemas

TOPIC = "demo.notes"


@pytest.fixture
async def db(pg_admin_url: str) -> AsyncIterator[Database]:
    url = create_database(pg_admin_url, "replay")
    run_in_thread(asyncio.run, create_schemas(url))
    settings = ProducerSettings(database_admin_url=url)
    database = Database.connect(settings.runtime_database_url(), settings.db_schema)
    yield database
    await database.dispose()


async def write_notes(db: Database, count: int) -> None:
    for n in range(count):
        async with db.unit_of_work(uuid7()) as uow:
            await create_note(uow, uuid7(), f"note {n}", TOPIC)


async def restart(db: Database, bootstrap: str, **options: Any) -> int:
    """A relay started as a service starts it; returns how many rows it queued again. The
    broker kind is the embedded one unless given (whatever broker the lane runs)."""
    await ensure_topics(bootstrap, [TOPIC])
    relay = OutboxRelay(db, bootstrap, poll_seconds=0.05, **{"broker": "embedded", **options})
    replayed = await relay.start(replay=True)
    await drained(db)
    await relay.stop()
    return replayed


async def unsent(db: Database) -> int:
    async with db.new_session() as session:
        outbox = db.tables.outbox
        return int(
            await session.scalar(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            )
            or 0
        )


async def drained(db: Database) -> None:
    for _ in range(600):
        if not await unsent(db):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the relay did not send the outbox")


async def test_the_embedded_broker_gets_back_only_what_it_lacks(db: Database) -> None:
    # Rows sent to a broker whose life is over, before brokers had epochs.
    await write_notes(db, 3)
    with private_kafka() as first_broker:
        assert await restart(db, first_broker) == 0
        await write_notes(db, 4)
        # The service restarted beside the same broker: it lacks nothing.
        assert await restart(db, first_broker) == 0
        assert await restart(db, first_broker) == 0

    with private_kafka() as second_broker:
        await write_notes(db, 2)
        # A new broker lacks what was written during the first one's life; not the 3 older
        # rows, and the 2 unsent ones go out anyway.
        assert await restart(db, second_broker) == 4
        assert await restart(db, second_broker) == 0


async def test_apache_kafka_gets_nothing_again_at_start(db: Database) -> None:
    await write_notes(db, 2)
    with private_kafka() as bootstrap:
        await ensure_topics(bootstrap, [TOPIC])
        relay = OutboxRelay(db, bootstrap, poll_seconds=0.05, broker="embedded")
        await relay.start()
        await drained(db)
        await relay.stop()
        # The broker kind comes from `TF_BROKER`; this broker stands in for Apache Kafka (with
        # the plain producer it accepts). Taken for the embedded one, it would be given the
        # whole window, never having had an epoch.
        assert await restart(db, bootstrap, broker="kafka", idempotent=False) == 0
        assert await restart(db, bootstrap) == 2


async def test_a_broker_refusing_the_idempotent_producer_still_gets_the_outbox(db: Database) -> None:
    await write_notes(db, 2)
    with private_kafka() as bootstrap:
        await ensure_topics(bootstrap, [TOPIC])
        # Named Apache Kafka; on the embedded lane it is Tansu, which refuses the idempotent producer.
        relay = OutboxRelay(db, bootstrap, poll_seconds=0.05, broker="kafka")
        await relay.start()
        try:
            await drained(db)
        finally:
            await relay.stop()
    assert relay.idempotent is (broker_kind() == "kafka")
