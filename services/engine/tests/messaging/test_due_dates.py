"""Due dates of FORM tasks and their escalation through the engine's durable timers."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from asgi_lifespan import LifespanManager
from sqlalchemy import select, text

from common.db import Database
from contracts.definitions import EscalationSpec, TaskDefinitionSpec
from contracts.identity import UserCreated
from contracts.ids import uuid7
from engine.config import EngineSettings
from engine.definitions.service import PLANS
from engine.main import create_app
from engine.models import HistoryEntry, TaskInstance, Timer
from engine.timers.service import fire_due_timers
from engine.workflows.due import TASK_DUE, TASK_DUE_SOON

from ..conftest import EngineHarness, form, transition


def due_form(key: str, due_in: str, escalation: EscalationSpec | None = None) -> TaskDefinitionSpec:
    return form(key).model_copy(update={"due_in": due_in, "escalation": escalation})


async def timers_of(engine: EngineHarness, task_id: UUID) -> dict[str, datetime]:
    async with engine.db.new_session() as session:
        rows = await session.scalars(select(Timer).where(Timer.task_instance_id == task_id))
        return {t.kind: t.due_at for t in rows}


async def make_due(db: Database, task_id: UUID, kind: str | None = None) -> None:
    """Time passes: the task's timers (or one kind of them) and its due time are now behind us."""
    async with db.new_session() as session, session.begin():
        await session.execute(
            text(
                "UPDATE engine.timers SET due_at = now() - interval '1 second' "
                "WHERE task_instance_id = :id AND (CAST(:kind AS text) IS NULL OR kind = :kind)"
            ),
            {"id": task_id, "kind": kind},
        )
        if kind != TASK_DUE_SOON:
            await session.execute(
                text("UPDATE engine.task_instances SET due_at = now() - interval '1 second' WHERE id = :id"),
                {"id": task_id},
            )


async def events(engine: EngineHarness, event_type: str) -> list[dict[str, Any]]:
    async with engine.db.new_session() as session:
        rows = await session.execute(
            select(engine.db.tables.outbox.c.payload).order_by(engine.db.tables.outbox.c.position)
        )
        return [
            r.payload["data"]
            for r in rows
            if r.payload.get("company_id") == str(engine.company_id) and r.payload["type"] == event_type
        ]


async def history(engine: EngineHarness) -> list[str]:
    async with engine.db.unit_of_work(engine.company_id) as uow:
        rows = (await uow.session.scalars(select(HistoryEntry))).all()
    actions: list[str] = []
    for row in rows:
        actions.append(row.action)
        actions.extend(e["action"] for e in row.entries or [])
    return actions


async def add_member(engine: EngineHarness, name: str, company_roles: list[str]) -> UUID:
    user_id = uuid7()
    await engine.feed(
        UserCreated(
            user_id=user_id,
            email=f"{name.lower()}-{user_id.hex[:6]}@example.com",
            first_name=name,
            last_name="Worker",
            is_active=True,
            system_roles=["user", "task_worker"],
            company_roles=company_roles,
        )
    )
    return user_id


class TestDueTimes:
    async def test_a_duration_gives_the_task_its_due_time_and_both_timers(
        self, engine: EngineHarness
    ) -> None:
        await engine.add_worker("Wendy")
        await engine.publish_workflow(
            [due_form("review", "PT4H"), form("done")], [transition("review", "done")]
        )
        before = datetime.now(UTC)
        task = await engine.current_task(await engine.submit({}))
        after = datetime.now(UTC)

        assert task.due_at is not None
        assert before + timedelta(hours=4) <= task.due_at <= after + timedelta(hours=4)
        timers = await timers_of(engine, task.id)
        assert timers[TASK_DUE] == task.due_at
        # The warning comes a quarter of the four hours before.
        assert timers[TASK_DUE_SOON] == task.due_at - timedelta(hours=1)
        assigned = await events(engine, "task.assigned")
        assert assigned[-1]["due_at"] is not None
        assert datetime.fromisoformat(assigned[-1]["due_at"]) == task.due_at

    async def test_an_expression_computes_the_due_time_from_the_workflow_data(
        self, engine: EngineHarness
    ) -> None:
        await engine.add_worker("Wendy")
        await engine.publish_workflow([due_form("review", 'urgent ? "PT1H" : "P3D"')], [])
        urgent = await engine.current_task(await engine.submit({"urgent": True}))
        calm = await engine.current_task(await engine.submit({"urgent": False}))

        assert urgent.due_at is not None
        assert calm.due_at is not None
        assert timedelta(minutes=59) < urgent.due_at - urgent.created_at <= timedelta(hours=1, seconds=5)
        assert (
            timedelta(days=3) - timedelta(seconds=5)
            < calm.due_at - calm.created_at
            <= timedelta(days=3, seconds=5)
        )

    async def test_an_expression_may_give_a_moment(self, engine: EngineHarness) -> None:
        await engine.add_worker("Wendy")
        await engine.publish_workflow([due_form("review", "deadline")], [])
        task = await engine.current_task(await engine.submit({"deadline": "2031-05-04T10:00:00+00:00"}))
        assert task.due_at == datetime(2031, 5, 4, 10, tzinfo=UTC)

    async def test_an_expression_giving_nonsense_leaves_the_task_undated_and_the_workflow_running(
        self, engine: EngineHarness
    ) -> None:
        await engine.add_worker("Wendy")
        await engine.publish_workflow([due_form("review", "missing_field")], [])
        ticket_id = await engine.submit({})
        task = await engine.current_task(ticket_id)

        assert task.due_at is None
        assert task.status == "ASSIGNED"
        assert await timers_of(engine, task.id) == {}
        assert "task.due_unset" in await history(engine)
        assert (await engine.instance_of(ticket_id)).status == "RUNNING"

    async def test_finishing_the_task_removes_its_due_timers(self, engine: EngineHarness) -> None:
        worker = await engine.add_worker("Wendy")
        await engine.publish_workflow(
            [due_form("review", "PT4H"), form("done")], [transition("review", "done")]
        )
        task = await engine.current_task(await engine.submit({}))
        async with engine.worker(worker) as client:
            answer = await client.post(
                f"/api/engine/tasks/{task.id}/complete", json={"output": {}, "expected_version": task.version}
            )
        assert answer.status_code == 200, answer.text
        assert await timers_of(engine, task.id) == {}


class TestEscalation:
    async def test_an_overdue_task_is_escalated_once_and_announced(self, engine: EngineHarness) -> None:
        worker = await engine.add_worker("Wendy")
        await engine.publish_workflow([due_form("review", "PT4H")], [])
        task = await engine.current_task(await engine.submit({}))
        await make_due(engine.db, task.id)

        assert await fire_due_timers(engine.db, engine.settings) >= 1
        overdue = await events(engine, "task.overdue")
        assert len(overdue) == 1
        assert overdue[0]["task_instance_id"] == str(task.id)
        assert overdue[0]["assignee_id"] == str(worker)
        assert overdue[0]["previous_assignee_id"] == str(worker)
        assert overdue[0]["escalation_notify"] is True
        escalated = (await engine.tasks_of(task.workflow_instance_id))[0]
        assert escalated.escalated_at is not None
        # Without an escalation rule the task stays with its assignee.
        assert escalated.assignee_id == worker
        assert await timers_of(engine, task.id) == {}
        assert await fire_due_timers(engine.db, engine.settings) == 0
        assert len(await events(engine, "task.overdue")) == 1

    async def test_reassign_runs_assignment_again_passing_over_the_late_assignee(
        self, engine: EngineHarness
    ) -> None:
        first = await engine.add_worker("Anna")
        await engine.publish_workflow([due_form("review", "PT4H", EscalationSpec(reassign=True))], [])
        task = await engine.current_task(await engine.submit({}))
        assert task.assignee_id == first
        second = await engine.add_worker("Bert")
        await make_due(engine.db, task.id)
        await fire_due_timers(engine.db, engine.settings)

        moved = (await engine.tasks_of(task.workflow_instance_id))[0]
        assert moved.assignee_id == second
        assert moved.status == "ASSIGNED"
        assert moved.assignment is not None
        assert moved.assignment["explanation"].startswith("overdue: ")
        overdue = (await events(engine, "task.overdue"))[0]
        assert overdue["assignee_id"] == str(second)
        assert overdue["previous_assignee_id"] == str(first)
        assert (await events(engine, "task.assigned"))[-1]["assignee_id"] == str(second)

    async def test_reassign_with_nobody_else_keeps_the_task_with_its_assignee(
        self, engine: EngineHarness
    ) -> None:
        only = await engine.add_worker("Anna")
        await engine.publish_workflow([due_form("review", "PT4H", EscalationSpec(reassign=True))], [])
        task = await engine.current_task(await engine.submit({}))
        await make_due(engine.db, task.id)
        await fire_due_timers(engine.db, engine.settings)

        kept = (await engine.tasks_of(task.workflow_instance_id))[0]
        assert kept.assignee_id == only
        assert kept.escalated_at is not None
        assert "nobody else is available" in (await events(engine, "task.overdue"))[0]["detail"]

    async def test_to_group_moves_the_task_to_a_worker_of_that_company_role(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([due_form("review", "PT4H", EscalationSpec(to_group="seniors"))], [])
        junior = await add_member(engine, "Jill", ["user"])
        task = await engine.current_task(await engine.submit({}))
        assert task.assignee_id == junior
        senior = await add_member(engine, "Sam", ["user", "seniors"])
        await add_member(engine, "Joe", ["user"])
        await make_due(engine.db, task.id)
        await fire_due_timers(engine.db, engine.settings)

        moved = (await engine.tasks_of(task.workflow_instance_id))[0]
        assert moved.assignee_id == senior

    async def test_due_soon_warns_while_the_task_is_still_in_time(self, engine: EngineHarness) -> None:
        worker = await engine.add_worker("Wendy")
        await engine.publish_workflow([due_form("review", "PT4H")], [])
        task = await engine.current_task(await engine.submit({}))
        await make_due(engine.db, task.id, TASK_DUE_SOON)
        assert await fire_due_timers(engine.db, engine.settings) == 1

        soon = await events(engine, "task.due_soon")
        assert [e["assignee_id"] for e in soon] == [str(worker)]
        assert await events(engine, "task.overdue") == []
        assert set(await timers_of(engine, task.id)) == {TASK_DUE}

    async def test_a_task_falling_due_while_held_escalates_on_resume(self, engine: EngineHarness) -> None:
        await engine.add_worker("Wendy")
        await engine.publish_workflow([due_form("review", "PT4H")], [])
        ticket_id = await engine.submit({})
        task = await engine.current_task(ticket_id)
        instance = await engine.instance_of(ticket_id)
        async with engine.admin() as admin:
            assert (await admin.post(f"/api/engine/instances/{instance.id}/hold")).status_code == 200
            await make_due(engine.db, task.id)
            await fire_due_timers(engine.db, engine.settings)
            assert await events(engine, "task.overdue") == []
            assert (await admin.post(f"/api/engine/instances/{instance.id}/resume")).status_code == 200
        await fire_due_timers(engine.db, engine.settings)
        assert len(await events(engine, "task.overdue")) == 1


class TestRestart:
    async def test_a_due_timer_pending_across_an_engine_restart_fires_after_it(
        self, settings: EngineSettings
    ) -> None:
        # Committed data, as a real engine leaves it: not the rolled-back test database.
        db = Database.connect(settings.runtime_database_url(), settings.db_schema)
        try:
            engine = EngineHarness(db, settings)
            worker = await engine.add_worker("Wendy")
            await engine.publish_workflow([due_form("review", "PT4H")], [])
            task = await engine.current_task(await engine.submit({}))
            assert set(await timers_of(engine, task.id)) == {TASK_DUE, TASK_DUE_SOON}
        finally:
            await db.dispose()
        # The engine is gone with its in-memory plans; while it is down the task falls due.
        PLANS.clear()
        admin_db = Database.connect(settings.runtime_database_url(), settings.db_schema)
        try:
            await make_due(admin_db, task.id)
        finally:
            await admin_db.dispose()

        app = create_app(settings)
        async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
            restarted: Database = app.state.db
            escalated: TaskInstance | None = None
            for _ in range(300):
                async with restarted.unit_of_work(engine.company_id) as uow:
                    escalated = await uow.session.scalar(
                        select(TaskInstance).where(TaskInstance.id == task.id)
                    )
                if escalated is not None and escalated.escalated_at is not None:
                    break
                await asyncio.sleep(0.1)
            engine.db = restarted
            overdue = await events(engine, "task.overdue")
        assert escalated is not None
        assert escalated.escalated_at is not None
        assert [e["task_instance_id"] for e in overdue] == [str(task.id)]
        assert overdue[0]["assignee_id"] == str(worker)


class TestListsAndCalendar:
    async def dated_tasks(self, engine: EngineHarness) -> tuple[UUID, list[TaskInstance]]:
        worker = await engine.add_worker("Wendy")
        await engine.publish_workflow([due_form("review", "due")], [])
        soon = datetime.now(UTC) + timedelta(days=2)
        later = datetime.now(UTC) + timedelta(days=9)
        tasks = [
            await engine.current_task(await engine.submit({"due": later.isoformat()})),
            await engine.current_task(await engine.submit({"due": soon.isoformat()})),
            await engine.current_task(await engine.submit({"due": (soon + timedelta(days=1)).isoformat()})),
        ]
        await make_due(engine.db, tasks[2].id)
        return worker, tasks

    async def test_lists_sort_by_due_time_and_filter_the_overdue(self, engine: EngineHarness) -> None:
        worker, (later, soon, late) = await self.dated_tasks(engine)
        async with engine.worker(worker) as client:
            by_due = (await client.get("/api/engine/tasks/mine", params={"sort": "due_at"})).json()
            overdue = (await client.get("/api/engine/tasks/mine", params={"overdue": "true"})).json()
        assert [t["id"] for t in by_due["items"]] == [str(late.id), str(soon.id), str(later.id)]
        assert [t["overdue"] for t in by_due["items"]] == [True, False, False]
        assert [t["id"] for t in overdue["items"]] == [str(late.id)]
        async with engine.admin() as admin:
            team = (await admin.get("/api/engine/tasks", params={"sort": "-due_at", "view": "active"})).json()
        assert [t["id"] for t in team["items"]] == [str(later.id), str(soon.id), str(late.id)]

    async def test_the_calendar_shows_the_range_and_every_overdue_task(self, engine: EngineHarness) -> None:
        worker, (_later, soon, late) = await self.dated_tasks(engine)
        start = datetime.now(UTC) + timedelta(days=1)
        window = {"start": start.isoformat(), "end": (start + timedelta(days=5)).isoformat()}
        async with engine.worker(worker) as client:
            mine = await client.get("/api/engine/tasks/calendar", params=window)
            team = await client.get("/api/engine/tasks/calendar", params={**window, "scope": "team"})
        assert mine.status_code == 200, mine.text
        # The late one first (due before the range), then the one due inside it; not the later one.
        assert [t["id"] for t in mine.json()] == [str(late.id), str(soon.id)]
        assert team.status_code == 403
        async with engine.client(roles=["user", "task_worker"]) as stranger:
            assert (await stranger.get("/api/engine/tasks/calendar", params=window)).json() == []
        async with engine.admin() as admin:
            everyone = await admin.get("/api/engine/tasks/calendar", params={**window, "scope": "team"})
        assert [t["id"] for t in everyone.json()] == [str(late.id), str(soon.id)]

    async def test_a_backwards_or_too_long_range_is_refused(self, engine: EngineHarness) -> None:
        now = datetime.now(UTC)
        async with engine.admin() as admin:
            backwards = await admin.get(
                "/api/engine/tasks/calendar",
                params={"start": now.isoformat(), "end": (now - timedelta(days=1)).isoformat()},
            )
            too_long = await admin.get(
                "/api/engine/tasks/calendar",
                params={"start": now.isoformat(), "end": (now + timedelta(days=400)).isoformat()},
            )
            garbage = await admin.get("/api/engine/tasks/calendar", params={"start": "soon", "end": "later"})
        assert backwards.status_code == 422
        assert backwards.headers["content-type"].startswith("application/problem+json")
        assert too_long.status_code == 422
        assert garbage.status_code == 422
