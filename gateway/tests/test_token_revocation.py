"""Role removal and deactivation reach the gateway through `identity.events` (a real
Kafka-protocol broker): access tokens issued before the change are refused within seconds,
others keep working, and a gateway started after the change knows it before it is ready."""

import asyncio
import math
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from asgi_lifespan import LifespanManager

from common.kafka import ensure_topics
from contracts.envelope import Actor, envelope_for
from contracts.identity import UserRolesChanged
from contracts.ids import uuid7
from contracts.topics import IDENTITY_EVENTS
from gateway.config import GatewaySettings
from gateway.main import create_app

from .gateway_testkit import FakeServices, SigningKey

PROTECTED = "/api/tickets/tickets"


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def publish_roles_removed(
    bootstrap: str, user_id: UUID, company_id: UUID, valid_after: datetime
) -> None:
    payload = UserRolesChanged(
        user_id=user_id,
        email="someone@example.com",
        first_name="Some",
        last_name="One",
        is_active=True,
        system_roles=["user"],
        company_roles=["user"],
        tokens_valid_after=valid_after,
    )
    envelope = envelope_for(payload, company_id=company_id, actor=Actor.system("identity"))
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap.split(","))
    await producer.start()
    try:
        await producer.send_and_wait(
            IDENTITY_EVENTS, envelope.model_dump_json().encode(), key=str(user_id).encode()
        )
    finally:
        await producer.stop()


async def until_ready(client: httpx.AsyncClient) -> None:
    for _ in range(300):
        ready = await client.get("/readyz")
        if ready.json()["checks"].get("token_revocations") == "ok":
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the revocation feed never caught up: {ready.json()}")


@pytest.fixture
async def gateway_on_kafka(
    gateway_settings: GatewaySettings, services: FakeServices, kafka_bootstrap: str
) -> AsyncIterator[httpx.AsyncClient]:
    await ensure_topics(kafka_bootstrap, [IDENTITY_EVENTS])
    settings = gateway_settings.model_copy(update={"kafka_bootstrap_servers": kafka_bootstrap})
    app = create_app(settings, transport=httpx.ASGITransport(app=services.app))
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            await until_ready(client)
            yield client


async def test_a_token_issued_before_a_role_removal_is_refused_within_seconds(
    gateway_on_kafka: httpx.AsyncClient, key: SigningKey, kafka_bootstrap: str
) -> None:
    user, company = uuid7(), uuid7()
    earlier = int(time.time()) - 30
    old = key.token(sub=str(user), company_id=str(company), iat=earlier, nbf=earlier)
    bystander = key.token(iat=earlier, nbf=earlier)
    assert (await gateway_on_kafka.get(PROTECTED, headers=bearer(old))).status_code == 200

    changed_at = datetime.now(UTC)
    await publish_roles_removed(kafka_bootstrap, user, company, changed_at)
    status = 200
    for _ in range(200):
        answer = await gateway_on_kafka.get(PROTECTED, headers=bearer(old))
        status = answer.status_code
        if status != 200:
            break
        await asyncio.sleep(0.1)
    assert status == 401
    assert "refresh" in answer.json()["detail"]
    assert (await gateway_on_kafka.get(PROTECTED, headers=bearer(bystander))).status_code == 200
    reissued = math.ceil(changed_at.timestamp())
    fresh = key.token(sub=str(user), company_id=str(company), iat=reissued, nbf=reissued)
    assert (await gateway_on_kafka.get(PROTECTED, headers=bearer(fresh))).status_code == 200


async def test_a_gateway_started_after_the_change_refuses_the_old_token_once_ready(
    gateway_settings: GatewaySettings, services: FakeServices, key: SigningKey, kafka_bootstrap: str
) -> None:
    await ensure_topics(kafka_bootstrap, [IDENTITY_EVENTS])
    user, company = uuid7(), uuid7()
    earlier = int(time.time()) - 30
    old = key.token(sub=str(user), company_id=str(company), iat=earlier, nbf=earlier)
    await publish_roles_removed(kafka_bootstrap, user, company, datetime.now(UTC))

    settings = gateway_settings.model_copy(update={"kafka_bootstrap_servers": kafka_bootstrap})
    app = create_app(settings, transport=httpx.ASGITransport(app=services.app))
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            await until_ready(client)
            answer = await client.get(PROTECTED, headers=bearer(old))
    assert answer.status_code == 401
