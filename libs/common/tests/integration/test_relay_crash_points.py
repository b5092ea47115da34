"""A process whose relay is handed the rows its units of work committed, SIGKILLed in that
relay's windows: before it sends what it was handed, and after sending before marking. Nothing
is lost: another relay finds every row unsent in the table and sends it."""

import json
import time
from collections.abc import Awaitable
from uuid import UUID

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy.engine import make_url

from .test_exactly_once import Processes, admin_fetchval, demo_admin_url, processes, wait_killed, wait_until

__all__ = ["demo_admin_url", "processes"]


async def event_ids(admin_url: str, topic: str) -> set[UUID]:
    conn = await asyncpg.connect(make_url(admin_url).set(drivername="postgresql").render_as_string(False))
    try:
        rows = await conn.fetch("SELECT event_id FROM demo_producer.outbox WHERE topic = $1", topic)
    finally:
        await conn.close()
    return {row["event_id"] for row in rows}


async def published_ids(kafka: str, topic: str, expected: set[UUID]) -> set[UUID]:
    reader = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await reader.start()
    seen: set[UUID] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not expected <= seen:
            for records in (await reader.getmany(timeout_ms=500)).values():
                seen |= {UUID(json.loads(r.value or b"{}")["event_id"]) for r in records}
    finally:
        await reader.stop()
    return seen


@pytest.mark.parametrize("point", ["relay.before_publish_handed", "relay.after_publish"])
async def test_a_relay_killed_with_rows_handed_over_loses_none(
    demo_admin_url: str, kafka_bootstrap: str, processes: Processes, point: str
) -> None:
    topic = processes.topic

    async def unsent() -> int:
        return await admin_fetchval(
            demo_admin_url,
            "SELECT count(*) FROM demo_producer.outbox WHERE topic = $1 AND published_at IS NULL",
            topic,
        )

    wait_killed(processes.start("write", TF_CRASH_AT=point, DEMO_NOTES="5"), 60)
    written = await event_ids(demo_admin_url, topic)
    assert written, "the writer must have committed a note before its relay died"
    assert await unsent() == len(written), "nothing may be marked sent by a relay that died before marking"

    processes.start("relay")
    await wait_until(lambda: _is_zero(unsent()), 60, "another relay to send every row")
    assert written <= await published_ids(kafka_bootstrap, topic, written)


async def _is_zero(value: Awaitable[int]) -> bool:
    return await value == 0
