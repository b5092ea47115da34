from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gateway.config import GatewaySettings
from gateway.main import create_app

from .gateway_testkit import FakeServices, SigningKey


@pytest.fixture
def key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture
def services(key: SigningKey) -> FakeServices:
    return FakeServices([key])


@pytest.fixture
def gateway_settings(tmp_path: Path) -> GatewaySettings:
    return GatewaySettings(
        env="test",
        spa_dir=tmp_path,
        max_body_bytes=1000,
        cors_origins=["https://app.example.com"],
        jwks_min_refresh_seconds=0.0,
    )


@pytest.fixture
async def gateway(
    gateway_settings: GatewaySettings, services: FakeServices
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(gateway_settings, transport=httpx.ASGITransport(app=services.app))
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client
