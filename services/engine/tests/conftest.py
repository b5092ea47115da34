from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from common.db import Database
from common.testing.infra import migrated_settings, rolled_back_database
from engine.config import EngineSettings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture(scope="session")
def settings(pg_admin_url: str, kafka_bootstrap: str) -> EngineSettings:
    return migrated_settings(EngineSettings, pg_admin_url, kafka_bootstrap, MIGRATIONS)


@pytest.fixture
async def db(settings: EngineSettings) -> AsyncIterator[Database]:
    async with rolled_back_database(settings) as database:
        yield database
