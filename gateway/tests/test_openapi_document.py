"""The SPA's API types are made from a document built without a running system
(`python -m devstack openapi`): it must be what the gateway serves, and the drift check must
catch a stale copy."""

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from devstack import openapi
from gateway.config import GatewaySettings
from gateway.main import create_app


class ServiceApps(httpx.AsyncBaseTransport):
    """Answers each upstream address with that service's own app, as a running system would."""

    def __init__(self, upstreams: dict[str, str]) -> None:
        by_port = {httpx.URL(url).port: name for name, url in upstreams.items()}
        self._transports = {
            port: httpx.ASGITransport(app=openapi.service_app(name)) for port, name in by_port.items()
        }

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._transports[request.url.port].handle_async_request(request)


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = GatewaySettings(env="test", spa_dir=tmp_path)
    app = create_app(settings, transport=ServiceApps(settings.upstreams()))
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client


async def test_the_generated_document_is_what_the_gateway_serves(gateway: httpx.AsyncClient) -> None:
    served: dict[str, Any] = (await gateway.get("/api/openapi.json")).json()
    built = openapi.merged_document()
    assert served == built
    # Every service is in it, with its answers described (the types are made from them).
    prefixes = {path.split("/")[2] for path in built["paths"]}
    assert {"identity", "definitions", "tickets", "engine", "actions"} <= prefixes
    ticket = built["paths"]["/api/tickets/tickets/{ticket_id}"]["get"]["responses"]["200"]
    assert ticket["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/TicketDetail"}


def test_the_drift_check_names_the_stale_file_and_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "openapi.json"
    types = tmp_path / "api.gen.ts"
    shutil.copy(openapi.DOCUMENT, document)
    shutil.copy(openapi.TYPES, types)
    # The check reports paths relative to the repository: keep the copies inside it.
    monkeypatch.setattr(openapi, "ROOT", tmp_path)
    monkeypatch.setattr(openapi, "DOCUMENT", document)
    monkeypatch.setattr(openapi, "TYPES", types)

    assert openapi.check() == 0, capsys.readouterr().err

    types.write_text(
        types.read_text(encoding="utf-8").replace("ticket_data", "ticket_payload"), encoding="utf-8"
    )
    assert openapi.check() == 1
    err = capsys.readouterr().err
    assert "api.gen.ts differs from a fresh generation" in err
    assert "openapi.json differs" not in err
    assert "python -m devstack openapi" in err
