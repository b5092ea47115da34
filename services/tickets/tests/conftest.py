import contextlib
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from common.db import Database
from common.embedded import free_port, wait_for_port
from common.testing.infra import migrated_settings, rolled_back_database
from contracts.definitions import TicketDefinitionPublished
from contracts.ids import uuid7
from tickets.config import MIGRATIONS_DIR, TicketsSettings
from tickets.main import create_app
from tickets.storage.local import LocalFileStorage

from .tickets_test_support import Caller, PublishType, S3Store, publish_ticket_type, start_s3_store


@pytest.fixture(scope="session")
def settings(pg_admin_url: str, kafka_bootstrap: str) -> TicketsSettings:
    return migrated_settings(TicketsSettings, pg_admin_url, kafka_bootstrap, MIGRATIONS_DIR)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """Moto's S3 (with IAM and STS) as a real HTTP server in its own process: object storage
    itself cannot run here."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
async def s3_store(s3_endpoint: str) -> S3Store:
    return await start_s3_store(s3_endpoint, "eu-west-1", "attachments")


@pytest.fixture
async def db(settings: TicketsSettings) -> AsyncIterator[Database]:
    async with rolled_back_database(settings) as database:
        yield database


@pytest.fixture
def publish_type(db: Database) -> PublishType:
    async def publish(company_id: UUID, **kwargs: Any) -> TicketDefinitionPublished:
        return await publish_ticket_type(db, company_id, **kwargs)

    return publish


@contextlib.asynccontextmanager
async def service_client(
    settings: TicketsSettings, db: Database, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the service built with `settings`, on the test's database."""
    app = create_app(settings)
    app.state.db = db
    app.state.storage = LocalFileStorage(tmp_path / "attachments")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        yield http


@pytest.fixture
async def client(settings: TicketsSettings, db: Database, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client(settings, db, tmp_path) as http:
        yield http


@pytest.fixture
def company() -> UUID:
    return uuid7()


@pytest.fixture
def make_caller(company: UUID) -> Callable[..., Caller]:
    def make(
        roles: list[str] | None = None, company_roles: list[str] | None = None, company_id: UUID | None = None
    ) -> Caller:
        return Caller(company_id or company, roles or ["user"], company_roles or ["user"])

    return make
