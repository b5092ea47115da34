"""A service's connection pool under steady load as wide as its consumer runs: every
connection is opened once and then reused, none is opened and torn down per transaction."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from common.db import Database
from common.testing.infra import create_database, run_in_thread
from contracts.topics import PARTITIONS

from ..demo_services import ProducerSettings, create_schemas

# A consumer applies every partition of a fetch at once, each in a transaction of its own: two
# busy topics are this many transactions in flight.
WIDTH = 2 * PARTITIONS


@pytest.fixture
async def db(pg_admin_url: str) -> AsyncIterator[Database]:
    url = create_database(pg_admin_url, "pool")
    run_in_thread(asyncio.run, create_schemas(url))
    settings = ProducerSettings(database_admin_url=url)
    database = Database.connect(
        settings.runtime_database_url(), settings.db_schema, pool_size=settings.db_pool_size
    )
    yield database
    await database.dispose()


async def backends_of_a_round(db: Database) -> set[int]:
    """The server processes that `WIDTH` overlapping transactions ran on."""
    started = asyncio.Barrier(WIDTH)

    async def one() -> int:
        async with db.unit_of_work() as uow:
            pid = int(await uow.session.scalar(text("SELECT pg_backend_pid()")) or 0)
            await started.wait()  # every transaction holds its connection at once
            return pid

    return set(await asyncio.gather(*(one() for _ in range(WIDTH))))


async def test_rounds_as_wide_as_the_consumer_reuse_the_connections_of_the_first(db: Database) -> None:
    first = await backends_of_a_round(db)
    assert len(first) == WIDTH, "the transactions of a round overlap, each on a connection of its own"
    for _ in range(3):
        # A pool smaller than a round closes what it opened past its size when it is returned,
        # and opens it again in the next round: new server processes.
        assert await backends_of_a_round(db) == first
