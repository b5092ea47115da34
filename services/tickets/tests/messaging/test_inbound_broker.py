"""External ticket events on the real broker: a plain aiokafka producer (not the project's
publisher) writes to `tickets.inbound` while the service runs; the dead letters are read back
from `tickets.dlt` with a plain consumer."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import func, select

from common.db import Database
from contracts.ids import uuid7
from contracts.topics import PARTITIONS, dead_letter_topic
from tickets.config import TicketsSettings
from tickets.ingest.signing import derive_secret, signature_header
from tickets.main import create_app
from tickets.models import InboundRejection, Ticket

from ..tickets_test_support import create_ingest_key, inbound_body, publish_ticket_type

DEADLINE_SECONDS = 60


@pytest.fixture
async def running_app(settings: TicketsSettings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
        yield app


async def count(db: Database, company_id: UUID, model: Any) -> int:
    async with db.unit_of_work(company_id) as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def dead_letters_for(bootstrap: str, topic: str, marker: str, expected: int) -> list[dict[str, Any]]:
    """The dead letters of the group's dead-letter topic that mention `marker`, from the start."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap.split(","), enable_auto_commit=False)
    await consumer.start()
    found: list[dict[str, Any]] = []
    try:
        partitions = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DEADLINE_SECONDS
        while len(found) < expected and loop.time() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    if record.value and marker in record.value.decode(errors="replace"):
                        found.append(json.loads(record.value))
    finally:
        await consumer.stop()
    return found


class TestInboundThroughTheBroker:
    async def test_valid_once_and_every_invalid_one_dead_lettered(
        self, running_app: FastAPI, settings: TicketsSettings, kafka_bootstrap: str
    ) -> None:
        db: Database = running_app.state.db
        company, other_company = uuid7(), uuid7()
        await publish_ticket_type(db, company)
        await publish_ticket_type(db, other_company)
        key_id, secret = await create_ingest_key(db, company, settings.ingest_secret.get_secret_value())
        marker = f"run-{uuid7()}"

        valid = inbound_body(company, f"{marker}-valid")
        forged = inbound_body(company, f"{marker}-forged")
        wrong_company = inbound_body(other_company, f"{marker}-wrong-company")
        malformed = json.dumps(
            {"event_id": f"{marker}-malformed", "company_id": str(company), "title": 5}
        ).encode()
        not_json = f"{marker} this is not json".encode()

        def headers(signature: str) -> list[tuple[str, bytes]]:
            return [("x-tf-key-id", str(key_id).encode()), ("x-tf-signature", signature.encode())]

        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap.split(","), acks="all")
        await producer.start()
        try:
            # One key keeps the records on one partition, so they are handled in this order.
            for value, signature in [
                (valid, signature_header(secret, valid)),
                (valid, signature_header(secret, valid)),
                (forged, signature_header(derive_secret("guessed", company, key_id, 1), forged)),
                (wrong_company, signature_header(secret, wrong_company)),
                (malformed, signature_header(secret, malformed)),
                (not_json, "v1=00"),
            ]:
                await producer.send_and_wait(
                    "tickets.inbound", value=value, key=marker.encode(), headers=headers(signature)
                )
        finally:
            await producer.stop()

        letters = await dead_letters_for(
            kafka_bootstrap, dead_letter_topic(settings.group), marker, expected=4
        )
        reasons = sorted(letter["reason"] for letter in letters)
        assert reasons == ["invalid_signature", "malformed_body", "malformed_body", "unknown_key"]

        assert await count(db, company, Ticket) == 1
        assert await count(db, other_company, Ticket) == 0
        assert await count(db, company, InboundRejection) == 2
        assert await count(db, other_company, InboundRejection) == 1
