from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from actions.config import ActionsSettings
from common.db import Database
from common.testing.infra import migrated_settings, rolled_back_database

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture(scope="session")
def settings(pg_admin_url: str, kafka_bootstrap: str) -> ActionsSettings:
    return migrated_settings(ActionsSettings, pg_admin_url, kafka_bootstrap, MIGRATIONS)


@pytest.fixture
async def db(settings: ActionsSettings) -> AsyncIterator[Database]:
    async with rolled_back_database(settings) as database:
        yield database
