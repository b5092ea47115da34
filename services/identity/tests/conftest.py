from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from common.db import Database
from common.testing.infra import migrated_settings, rolled_back_database
from identity.config import MIGRATIONS_DIR, IdentitySettings
from identity.mail.adapters import FileMailbox
from identity.main import create_app


@pytest.fixture(scope="session")
def settings(pg_admin_url: str, kafka_bootstrap: str) -> IdentitySettings:
    settings = migrated_settings(IdentitySettings, pg_admin_url, kafka_bootstrap, MIGRATIONS_DIR)
    # Cheap hashing keeps the suite fast; the cost parameters are not what these tests are about.
    return settings.model_copy(update={"argon2_time_cost": 1, "argon2_memory_cost_kib": 1024})


@pytest.fixture
async def db(settings: IdentitySettings) -> AsyncIterator[Database]:
    async with rolled_back_database(settings) as database:
        yield database


@pytest.fixture
def mailbox_dir(tmp_path: Path) -> Path:
    return tmp_path / "mailbox"


@pytest.fixture
def app(settings: IdentitySettings, db: Database, mailbox_dir: Path) -> FastAPI:
    app = create_app(settings, mailer=FileMailbox(mailbox_dir, settings.mail_from))
    app.state.db = db
    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
