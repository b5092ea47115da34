"""Preparing a service's roles and schema in several databases of one cluster at once: the
advisory lock serialises one database's migrations only, and the roles are the cluster's, so
concurrent runs collide on the same role rows and must still all succeed."""

import asyncio
from typing import ClassVar

import asyncpg
from sqlalchemy.engine import make_url

from common.migrations import prepare_schema
from common.settings import ServiceSettings
from common.testing.infra import create_database, run_in_thread


class RacingSettings(ServiceSettings):
    service_name: ClassVar[str] = "racing_service"


def test_concurrent_preparations_in_several_databases_all_succeed(pg_admin_url: str) -> None:
    urls = [create_database(pg_admin_url, f"race{n}") for n in range(6)]

    async def prepare_all() -> None:
        for _ in range(3):
            await asyncio.gather(*(prepare_schema(RacingSettings(database_admin_url=url)) for url in urls))

    run_in_thread(asyncio.run, prepare_all())

    async def schemas() -> list[str | None]:
        found: list[str | None] = []
        for url in urls:
            plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
            conn = await asyncpg.connect(plain)
            try:
                found.append(
                    await conn.fetchval(
                        "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'racing_service'"
                    )
                )
            finally:
                await conn.close()
        return found

    assert run_in_thread(asyncio.run, schemas()) == ["racing_service_owner"] * len(urls)
