"""An event written inside a traced request carries that trace into Kafka: the outbox row keeps
the W3C `traceparent` of the span that caused it, and the relay sends it as a Kafka header."""

import asyncio

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import select

from common.db import Database
from common.testing.infra import create_database, run_in_thread
from contracts.ids import uuid7

from ..demo_services import ProducerSettings, create_note, create_schemas


@pytest.fixture(scope="module")
def settings(pg_admin_url: str) -> ProducerSettings:
    url = create_database(pg_admin_url, "trace")
    run_in_thread(asyncio.run, create_schemas(url))
    return ProducerSettings(database_admin_url=url)


async def test_outbox_rows_carry_the_traceparent_of_the_span_that_wrote_them(
    settings: ProducerSettings,
) -> None:
    tracer = TracerProvider().get_tracer("test")
    db = Database.connect(settings.runtime_database_url(), settings.db_schema)
    try:
        with tracer.start_as_current_span("submit") as span:
            async with db.unit_of_work(uuid7()) as uow:
                await create_note(uow, uuid7(), "traced", "demo.notes")
        async with db.unit_of_work(uuid7()) as uow:
            await create_note(uow, uuid7(), "untraced", "demo.notes")
        async with db.new_session() as session:
            rows = (
                await session.execute(
                    select(db.tables.outbox.c.payload, db.tables.outbox.c.headers).order_by(
                        db.tables.outbox.c.position
                    )
                )
            ).all()
    finally:
        await db.dispose()
    headers = {row.payload["data"]["body"]: row.headers for row in rows}
    context = span.get_span_context()
    assert headers["traced"]["traceparent"] == (
        f"00-{context.trace_id:032x}-{context.span_id:016x}-{int(context.trace_flags):02x}"
    )
    assert "traceparent" not in headers["untraced"]
    assert trace.get_current_span().get_span_context().is_valid is False
