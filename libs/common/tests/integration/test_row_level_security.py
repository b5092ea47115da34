"""Row-level security holds on its own: with no company filter in the query at all, a unit of
work scoped to company A cannot read or write company B's rows."""

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from common.db import Database
from common.testing.infra import create_database, run_in_thread
from contracts.ids import uuid7

from ..demo_services import ProducerSettings, create_schemas


@pytest.fixture(scope="module")
def settings(pg_admin_url: str) -> ProducerSettings:
    url = create_database(pg_admin_url, "rls")
    run_in_thread(asyncio.run, create_schemas(url))
    return ProducerSettings(database_admin_url=url)


@pytest.fixture
async def db(settings: ProducerSettings) -> AsyncIterator[Database]:
    database = Database.connect(settings.runtime_database_url(), settings.db_schema)
    yield database
    await database.dispose()


async def seed(db: Database) -> tuple[UUID, UUID]:
    company_a, company_b = uuid7(), uuid7()
    for company, body in ((company_a, "a1"), (company_a, "a2"), (company_b, "b1")):
        async with db.unit_of_work(company) as uow:
            await uow.session.execute(
                text("INSERT INTO demo_producer.notes (company_id, id, body) VALUES (:c, :i, :b)"),
                {"c": company, "i": uuid7(), "b": body},
            )
    return company_a, company_b


class TestReads:
    async def test_unfiltered_select_sees_only_own_company(self, db: Database) -> None:
        company_a, _ = await seed(db)
        async with db.unit_of_work(company_a) as uow:
            bodies = (await uow.session.execute(text("SELECT body FROM demo_producer.notes"))).scalars().all()
        assert sorted(bodies) == ["a1", "a2"]

    async def test_no_company_set_sees_nothing(self, db: Database) -> None:
        await seed(db)
        async with db.unit_of_work() as uow:
            count = await uow.session.scalar(text("SELECT count(*) FROM demo_producer.notes"))
        assert count == 0


class TestWrites:
    async def test_unfiltered_update_and_delete_touch_only_own_rows(self, db: Database) -> None:
        company_a, company_b = await seed(db)
        async with db.unit_of_work(company_a) as uow:
            await uow.session.execute(text("UPDATE demo_producer.notes SET body = 'hijacked'"))
            await uow.session.execute(text("DELETE FROM demo_producer.notes WHERE body = 'b1'"))
        async with db.unit_of_work(company_b) as uow:
            bodies = (await uow.session.execute(text("SELECT body FROM demo_producer.notes"))).scalars().all()
        assert bodies == ["b1"]

    async def test_inserting_a_row_for_another_company_is_refused(self, db: Database) -> None:
        company_a, company_b = await seed(db)
        with pytest.raises(DBAPIError, match="row-level security"):
            async with db.unit_of_work(company_a) as uow:
                await uow.session.execute(
                    text("INSERT INTO demo_producer.notes (company_id, id, body) VALUES (:c, :i, 'x')"),
                    {"c": company_b, "i": uuid7()},
                )

    async def test_moving_a_row_to_another_company_is_refused(self, db: Database) -> None:
        company_a, company_b = await seed(db)
        with pytest.raises(DBAPIError, match="row-level security"):
            async with db.unit_of_work(company_a) as uow:
                await uow.session.execute(
                    text("UPDATE demo_producer.notes SET company_id = :b"), {"b": company_b}
                )


class TestCompanyScopeDoesNotLeak:
    async def test_the_company_setting_ends_with_the_transaction(self, settings: ProducerSettings) -> None:
        # One pooled connection serves both units of work: a session-level SET would leak.
        database = Database.connect(settings.runtime_database_url(), settings.db_schema, pool_size=1)
        try:
            company_a, _ = await seed(database)
            async with database.unit_of_work(company_a) as uow:
                assert await uow.session.scalar(text("SELECT count(*) FROM demo_producer.notes")) == 2
            async with database.unit_of_work() as uow:
                assert await uow.session.scalar(text("SELECT count(*) FROM demo_producer.notes")) == 0
        finally:
            await database.dispose()


async def test_app_role_is_neither_owner_nor_superuser_nor_bypassing(settings: ProducerSettings) -> None:
    url = make_url(settings.admin_database_url()).set(drivername="postgresql")
    conn = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        role = await conn.fetchrow(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", settings.app_role
        )
        owned = await conn.fetchval("SELECT count(*) FROM pg_tables WHERE tableowner = $1", settings.app_role)
        forced = await conn.fetchrow(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'demo_producer.notes'::regclass"
        )
    finally:
        await conn.close()
    assert (role["rolsuper"], role["rolbypassrls"]) == (False, False)
    assert owned == 0
    assert (forced["relrowsecurity"], forced["relforcerowsecurity"]) == (True, True)
