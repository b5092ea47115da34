"""FORM task assignment: shortest queue, availability, the queue, concurrency."""

import asyncio
from collections import Counter
from uuid import UUID

from sqlalchemy import select

from common.db import Database
from contracts.ids import uuid7
from engine.config import EngineSettings
from engine.models import TaskInstance

from ..conftest import EngineHarness, form


async def assignees(engine: EngineHarness) -> Counter[UUID | None]:
    async with engine.db.unit_of_work(engine.company_id) as uow:
        rows = await uow.session.scalars(select(TaskInstance.assignee_id))
        return Counter(rows.all())


class TestShortestQueue:
    async def test_thirty_tasks_over_three_workers_end_ten_each(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([form("review")], [])
        workers = [await engine.add_worker(name) for name in ("Ann", "Bob", "Cid")]
        for _ in range(30):
            await engine.submit({})
        counts = await assignees(engine)
        assert [counts[w] for w in workers] == [10, 10, 10]

    async def test_round_robin_when_the_company_chooses_it(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([form("review")], [])
        workers = [await engine.add_worker(name) for name in ("Ann", "Bob")]
        async with engine.admin() as client:
            put = await client.put("/api/engine/assignment/rules/company", json={"strategy": "round_robin"})
            bad = await client.put("/api/engine/assignment/rules/company", json={"strategy": "random"})
        assert put.status_code == 200
        assert bad.status_code == 422
        for _ in range(4):
            await engine.submit({})
        counts = await assignees(engine)
        assert [counts[w] for w in workers] == [2, 2]


class TestAvailability:
    async def test_a_worker_who_is_away_gets_no_task(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([form("review")], [])
        here, away = await engine.add_worker("Here"), await engine.add_worker("Away")
        async with engine.worker(away) as client:
            response = await client.post("/api/engine/workers/me/availability", json={"available": False})
        assert response.status_code == 200
        assert response.json()["available"] is False
        for _ in range(5):
            await engine.submit({})
        counts = await assignees(engine)
        assert counts[here] == 5
        assert counts[away] == 0

    async def test_a_queued_task_is_assigned_when_a_worker_becomes_available(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([form("review")], [])
        worker = await engine.add_worker()
        async with engine.worker(worker) as client:
            await client.post("/api/engine/workers/me/availability", json={"available": False})
            ticket_id = await engine.submit({})
            queued = await engine.current_task(ticket_id)
            assert (queued.status, queued.assignee_id) == ("PENDING", None)
            await client.post("/api/engine/workers/me/availability", json={"available": True})
        task = await engine.current_task(ticket_id)
        assert (task.status, task.assignee_id) == ("ASSIGNED", worker)

    async def test_a_queued_task_goes_to_a_worker_who_joins_the_roster(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([form("review")], [])
        ticket_id = await engine.submit({})
        assert (await engine.current_task(ticket_id)).status == "PENDING"
        worker = await engine.add_worker()
        assert (await engine.current_task(ticket_id)).assignee_id == worker

    async def test_a_deactivated_workers_tasks_go_back_to_the_others(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([form("review")], [])
        leaving = await engine.add_worker("Leaving")
        ticket_id = await engine.submit({})
        staying = await engine.add_worker("Staying")
        await engine.change_worker(leaving, active=False, roles=["user", "task_worker"])
        assert (await engine.current_task(ticket_id)).assignee_id == staying

    async def test_someone_not_on_the_roster_gets_404(self, engine: EngineHarness) -> None:
        async with engine.worker(uuid7()) as client:
            response = await client.post("/api/engine/workers/me/availability", json={"available": True})
        assert response.status_code == 404


class TestConcurrentAssignment:
    async def test_parallel_units_of_work_never_double_count(self, settings: EngineSettings) -> None:
        # Real, committed, concurrent transactions: the rolled-back fixture would serialise them.
        db = Database.connect(settings.runtime_database_url(), settings.db_schema, pool_size=12)
        try:
            engine = EngineHarness(db, settings)
            await engine.publish_workflow([form("review")], [])
            workers = [await engine.add_worker(name) for name in ("Ann", "Bob", "Cid")]
            await asyncio.gather(*(engine.submit({}) for _ in range(30)))
            counts = await assignees(engine)
            assert sum(counts.values()) == 30
            assert [counts[w] for w in workers] == [10, 10, 10]
        finally:
            await db.dispose()
