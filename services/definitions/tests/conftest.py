import copy
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
import yaml

from common.db import Database
from common.testing.infra import migrated_settings, rolled_back_database
from contracts.ids import uuid7
from definitions.config import MIGRATIONS_DIR, DefinitionsSettings
from definitions.main import create_app

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "it_onboarding.yaml"


@pytest.fixture(scope="session")
def settings(pg_admin_url: str, kafka_bootstrap: str) -> DefinitionsSettings:
    settings: DefinitionsSettings = migrated_settings(
        DefinitionsSettings, pg_admin_url, kafka_bootstrap, MIGRATIONS_DIR
    )
    return settings


@pytest.fixture
async def db(settings: DefinitionsSettings) -> AsyncIterator[Database]:
    async with rolled_back_database(settings) as database:
        yield database


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text()


@pytest.fixture
def sample_bundle(sample_text: str) -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(sample_text))


@pytest.fixture
async def client(settings: DefinitionsSettings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    app.state.db = db
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
def company_a() -> UUID:
    return uuid7()


@pytest.fixture
def company_b() -> UUID:
    return uuid7()
