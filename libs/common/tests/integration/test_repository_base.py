"""The repository base: bound to one company, get-or-404, totals without a count where the
page tells them, keyset slices, and soft-deleted rows left out by default."""

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import pytest
from sqlalchemy import String, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import Database, driver_fetch
from common.errors import NotFound
from common.migrations import tenant_policy_sql
from common.repository import CompanyRepository, Deleted, SoftDeletable
from common.testing.infra import create_database, run_in_thread
from contracts.ids import uuid7

from ..demo_services import ProducerSettings, create_schemas


class Base(DeclarativeBase):
    pass


class Memo(SoftDeletable, Base):
    __tablename__ = "memos"
    __table_args__ = {"schema": "demo_producer"}

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))


class MemoRepository(CompanyRepository[Memo]):
    model = Memo


async def create_memos(admin_url: str) -> None:
    plain = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(plain)
    try:
        await conn.execute("SET ROLE demo_producer_owner")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS demo_producer.memos ("
            " company_id uuid NOT NULL, id uuid NOT NULL, title text NOT NULL, deleted_at timestamptz,"
            " PRIMARY KEY (company_id, id))"
        )
        for statement in tenant_policy_sql("demo_producer", "memos"):
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def settings(pg_admin_url: str) -> ProducerSettings:
    url = create_database(pg_admin_url, "repository_base")
    run_in_thread(asyncio.run, create_schemas(url))
    run_in_thread(asyncio.run, create_memos(url))
    return ProducerSettings(database_admin_url=url)


@pytest.fixture
async def db(settings: ProducerSettings) -> AsyncIterator[Database]:
    database = Database.connect(settings.runtime_database_url(), settings.db_schema)
    yield database
    await database.dispose()


async def seed(db: Database, company_id: UUID, titles: list[str]) -> list[UUID]:
    ids = [uuid7() for _ in titles]
    async with db.unit_of_work(company_id) as uow:
        uow.session.add_all(
            Memo(company_id=company_id, id=memo_id, title=title)
            for memo_id, title in zip(ids, titles, strict=True)
        )
    return ids


class CountedStatements:
    """Counts the `count(*)` statements a block sends."""

    def __init__(self, db: Database) -> None:
        assert db.engine is not None
        self.engine = db.engine.sync_engine
        self.counts = 0

    def _seen(self, conn: Connection, cursor: object, statement: str, *args: object) -> None:
        if "count(*)" in statement:
            self.counts += 1

    def __enter__(self) -> "CountedStatements":
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


class TestBoundToCompany:
    async def test_reads_only_its_company_even_past_row_level_security(self, db: Database) -> None:
        company_a, company_b = uuid7(), uuid7()
        (memo_a,) = await seed(db, company_a, ["a"])
        (memo_b,) = await seed(db, company_b, ["b"])
        async with db.unit_of_work(company_a) as uow:
            # Row-level security scoped to B, the repository bound to A: the query's own filter
            # still keeps B's row out.
            await uow.set_company(company_b)
            repo = MemoRepository(uow.session, company_a)
            assert await repo.find(Memo.id == memo_b) is None
            assert await repo.find(Memo.id == memo_a) is None
        async with db.unit_of_work(company_a) as uow:
            found = await MemoRepository.of(uow).find(Memo.id == memo_a)
            assert found is not None
            assert found.title == "a"

    async def test_a_unit_of_work_without_a_company_cannot_make_one(self, db: Database) -> None:
        async with db.unit_of_work() as uow:
            with pytest.raises(RuntimeError, match="scoped to a company"):
                MemoRepository.of(uow)


class TestCompanyScope:
    """The scope is set on the driver connection, beside the session's own statements."""

    async def test_the_scope_is_set_inside_the_transaction(self, db: Database) -> None:
        company = uuid7()
        async with db.unit_of_work(company) as uow:
            # The scope was the transaction's first statement: had it run before the transaction
            # began, its setting would have ended with it.
            scope = await uow.session.scalar(text("SELECT current_setting('app.company_id', true)"))
        assert scope == str(company)

    async def test_changes_made_for_one_company_are_written_before_the_scope_moves(
        self, db: Database
    ) -> None:
        company_a, company_b = uuid7(), uuid7()
        memo_id = uuid7()
        async with db.unit_of_work(company_a) as uow:
            uow.session.add(Memo(company_id=company_a, id=memo_id, title="of a"))
            # Still pending in the session: it is written under A's scope, not B's (which row-level
            # security would refuse at commit).
            await uow.set_company(company_b)
        async with db.unit_of_work(company_a) as uow:
            found = await MemoRepository.of(uow).find(Memo.id == memo_id)
        assert found is not None
        assert found.title == "of a"

    async def test_a_failed_unit_of_work_leaves_nothing_its_driver_statements_wrote(
        self, db: Database
    ) -> None:
        company = uuid7()

        async def write_then_fail() -> None:
            async with db.unit_of_work(company) as uow:
                await uow.session.execute(
                    text("INSERT INTO demo_producer.memos (company_id, id, title) VALUES (:c, :i, 'gone')"),
                    {"c": company, "i": uuid7()},
                )
                raise RuntimeError("after the scope")

        with pytest.raises(RuntimeError, match="after the scope"):
            await write_then_fail()
        async with db.unit_of_work(company) as uow:
            assert await uow.session.scalar(text("SELECT count(*) FROM demo_producer.memos")) == 0

    async def test_a_text_statement_goes_to_the_driver_with_its_named_parameters(self, db: Database) -> None:
        async with db.unit_of_work(uuid7()) as uow:
            rows = await driver_fetch(
                uow.session,
                text(
                    "SELECT CAST(:a AS int) + CAST(:b AS int) AS total, CAST(:a AS int) AS a, '1:2'::text AS literal"
                ),
                {"b": 5, "a": 2},
            )
        assert [(row["total"], row["a"], row["literal"]) for row in rows] == [(7, 2, "1:2")]


class TestGetOr404:
    async def test_another_companys_row_is_not_found(self, db: Database) -> None:
        company_a, company_b = uuid7(), uuid7()
        (memo_b,) = await seed(db, company_b, ["b"])
        async with db.unit_of_work(company_a) as uow:
            with pytest.raises(NotFound, match="No memo"):
                await MemoRepository.of(uow).get_or_404(Memo.id == memo_b, detail="No memo.")

    async def test_own_row_is_returned(self, db: Database) -> None:
        company = uuid7()
        (memo,) = await seed(db, company, ["mine"])
        async with db.unit_of_work(company) as uow:
            found = await MemoRepository.of(uow).get_or_404(Memo.id == memo, detail="No memo.")
        assert found.title == "mine"


class TestSoftDelete:
    async def test_deleted_rows_are_left_out_unless_asked_for(self, db: Database) -> None:
        company = uuid7()
        kept, gone = await seed(db, company, ["kept", "gone"])
        async with db.unit_of_work(company) as uow:
            repo = MemoRepository.of(uow)
            row = await repo.get_or_404(Memo.id == gone, detail="No memo.")
            assert await repo.soft_delete(row) is True
            assert await repo.soft_delete(row) is False
        async with db.unit_of_work(company) as uow:
            repo = MemoRepository.of(uow)
            assert [m.id for m in await uow.session.scalars(repo.select())] == [kept]
            assert [m.id for m in await uow.session.scalars(repo.select(deleted=Deleted.ONLY))] == [gone]
            everything = await uow.session.scalars(repo.select(deleted=Deleted.INCLUDE))
            assert sorted(m.id for m in everything) == sorted([kept, gone])
            assert await repo.find(Memo.id == gone) is None
            restored = await repo.find(Memo.id == gone, deleted=Deleted.INCLUDE)
            assert restored is not None
            assert restored.is_deleted
            # The row itself is still stored.
            assert await uow.session.scalar(text("SELECT count(*) FROM demo_producer.memos")) == 2


class TestPaging:
    async def test_totals_are_right_and_counted_only_for_full_pages(self, db: Database) -> None:
        company = uuid7()
        await seed(db, company, [f"memo {n:02d}" for n in range(5)])
        async with db.unit_of_work(company) as uow:
            repo = MemoRepository.of(uow)
            ordered = repo.select().order_by(Memo.title)
            with CountedStatements(db) as counted:
                rows, total = await repo.paged(ordered, offset=0, limit=10)
                assert (len(rows), total, counted.counts) == (5, 5, 0)
                rows, total = await repo.paged(ordered, offset=4, limit=2)
                assert ([m.title for m in rows], total, counted.counts) == (["memo 04"], 5, 0)
                rows, total = await repo.paged(ordered, offset=0, limit=2)
                assert ([m.title for m in rows], total, counted.counts) == (["memo 00", "memo 01"], 5, 1)
                rows, total = await repo.paged(ordered, offset=20, limit=2)
                assert (rows, total, counted.counts) == ([], 5, 2)

    async def test_keyset_slices_walk_every_row_once(self, db: Database) -> None:
        company = uuid7()
        titles = [f"memo {n:02d}" for n in range(5)]
        await seed(db, company, titles)
        async with db.unit_of_work(company) as uow:
            repo = MemoRepository.of(uow)
            seen: list[str] = []
            after: list[object] | None = None
            pages = 0
            with CountedStatements(db) as counted:
                while True:
                    page = await repo.slice_after(repo.select(), [Memo.title, Memo.id], after, limit=2)
                    pages += 1
                    seen.extend(m.title for m in page.rows)
                    if not page.has_more:
                        break
                    last = page.rows[-1]
                    after = [last.title, last.id]
            assert seen == titles
            assert pages == 3
            assert counted.counts == 0
