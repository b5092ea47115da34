"""A step writes the instance and tasks it changed in its one statement: the rows end as the
step left them, the objects in the session as the database has them, and a task changed
by another writer since the step read it is refused, as the ORM's version check has it."""

from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.orm.exc import StaleDataError

from engine.models import TaskInstance, WorkflowInstance
from engine.workflows.runtime import WorkflowRuntime

from ..conftest import EngineHarness, action, transition


async def started(engine: EngineHarness) -> TaskInstance:
    await engine.publish_workflow([action("one"), action("two")], [transition("one", "two")])
    ticket_id = await engine.submit({"start": 1})
    return await engine.current_task(ticket_id)


class TestAStepsWrites:
    async def test_the_changed_rows_and_the_session_end_as_the_database_has_them(
        self, engine: EngineHarness
    ) -> None:
        task = await started(engine)
        async with engine.db.unit_of_work(engine.company_id) as uow:
            runtime = WorkflowRuntime.for_event(uow, engine.settings)
            instance, locked = await runtime.step.locked_task(task.id)
            locked.error = "noted"
            locked.retries = 3
            instance.workflow_data = {"start": 1, "more": [1, 2]}
            await runtime.write()
            assert not uow.session.is_modified(locked)
            assert not uow.session.is_modified(instance)
            row = (
                await uow.session.execute(
                    text(
                        "SELECT error, retries, version, updated_at, assignment IS NULL AS no_assignment "
                        "FROM engine.task_instances WHERE id = :id"
                    ),
                    {"id": task.id},
                )
            ).one()
            assert (row.error, row.retries, row.version) == ("noted", 3, task.version + 1)
            assert row.no_assignment, "a column without a value is NULL, not JSON null"
            assert (locked.version, locked.updated_at) == (row.version, row.updated_at)
            data = await uow.session.scalar(
                text("SELECT workflow_data FROM engine.workflow_instances WHERE id = :id"),
                {"id": instance.id},
            )
            assert data == {"start": 1, "more": [1, 2]}
        again = await engine.current_task(await ticket_of(engine, task))
        assert (again.error, again.retries, again.version) == ("noted", 3, task.version + 1)

    async def test_a_task_changed_since_it_was_read_is_refused(self, engine: EngineHarness) -> None:
        task = await started(engine)

        async def change_after_another_writer() -> None:
            async with engine.db.unit_of_work(engine.company_id) as uow:
                runtime = WorkflowRuntime.for_event(uow, engine.settings)
                _, locked = await runtime.step.locked_task(task.id)
                await uow.session.execute(
                    text("UPDATE engine.task_instances SET version = version + 1 WHERE id = :id"),
                    {"id": task.id},
                )
                locked.error = "too late"
                await runtime.write()

        with pytest.raises(StaleDataError):
            await change_after_another_writer()
        assert (await engine.current_task(await ticket_of(engine, task))).error is None

    async def test_a_change_outside_what_the_statement_writes_goes_by_the_flush(
        self, engine: EngineHarness
    ) -> None:
        task = await started(engine)
        async with engine.db.unit_of_work(engine.company_id) as uow:
            runtime = WorkflowRuntime.for_event(uow, engine.settings)
            _, locked = await runtime.step.locked_task(task.id)
            locked.name = "Renamed"
            locked.error = "with it"
            await runtime.write()
        again = await engine.current_task(await ticket_of(engine, task))
        assert (again.name, again.error, again.version) == ("Renamed", "with it", task.version + 1)


async def ticket_of(engine: EngineHarness, task: TaskInstance) -> UUID:
    async with engine.db.unit_of_work(engine.company_id) as uow:
        instance = await uow.session.get(WorkflowInstance, (engine.company_id, task.workflow_instance_id))
        assert instance is not None
        return instance.ticket_id
