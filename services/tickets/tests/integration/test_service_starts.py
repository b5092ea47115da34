"""The service migrates its schema, starts against real Postgres and Kafka, and reports ready."""

import httpx
from asgi_lifespan import LifespanManager

from tickets.config import TicketsSettings
from tickets.main import create_app


async def test_migrated_service_is_ready(settings: TicketsSettings) -> None:
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            health = await client.get("/healthz")
            ready = await client.get("/readyz")
    assert health.status_code == 200
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}
