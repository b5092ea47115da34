"""The engine's rows as async code uses them: what the server sets is read back with the
statement that wrote it, since an async session cannot lazy-load an expired attribute."""

from datetime import datetime

from engine.models import TaskInstance

from ..conftest import EngineHarness, form, transition


class TestTaskInstanceRow:
    async def test_its_timestamps_and_version_are_readable_after_an_insert_and_an_update(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([form("review"), form("approve")], [transition("review", "approve")])
        ticket_id = await engine.submit({})
        task_id = (await engine.current_task(ticket_id)).id
        async with engine.db.unit_of_work(engine.company_id) as uow:
            task = await uow.session.get(TaskInstance, (engine.company_id, task_id))
            assert task is not None
            version = task.version
            task.error = "looked at"
            await uow.session.flush()
            # Without eager defaults these would be expired, and reading them would raise.
            assert isinstance(task.updated_at, datetime)
            assert isinstance(task.created_at, datetime)
            assert task.version == version + 1

            added = TaskInstance(
                company_id=engine.company_id,
                workflow_instance_id=task.workflow_instance_id,
                sequence=task.sequence + 100,
                task_key="extra",
                name="Extra",
                task_type="FORM",
                status="PENDING",
            )
            uow.session.add(added)
            await uow.session.flush()
            assert isinstance(added.created_at, datetime)
            assert added.attempt == 0
