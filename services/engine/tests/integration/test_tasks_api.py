"""Task execution and administration through the API, with the gateway's claims."""

from uuid import UUID

from sqlalchemy import select

from contracts.ids import uuid7
from engine.models import HistoryEntry, TaskInstance

from ..conftest import APPROVAL_SCHEMA, EngineHarness, action, form, transition


async def review_task(engine: EngineHarness) -> tuple[UUID, UUID, TaskInstance]:
    await engine.publish_workflow(
        [form("review", APPROVAL_SCHEMA), action("provision")], [transition("review", "provision")]
    )
    worker = await engine.add_worker("Wendy")
    ticket_id = await engine.submit({"laptop": "mac"})
    return worker, ticket_id, await engine.current_task(ticket_id)


class TestMyTasks:
    async def test_a_worker_sees_their_assigned_tasks(self, engine: EngineHarness) -> None:
        worker, _ticket_id, task = await review_task(engine)
        async with engine.worker(worker) as client:
            response = await client.get("/api/engine/tasks/mine")
        assert response.status_code == 200
        body = response.json()
        assert body["total"] == 1
        assert body["items"][0]["id"] == str(task.id)
        assert body["items"][0]["assignment_explanation"] == "fewest open tasks (0)"
        assert body["items"][0]["assignment"]["strategy"] == "shortest_queue"

    async def test_another_worker_sees_none(self, engine: EngineHarness) -> None:
        await review_task(engine)
        async with engine.worker(uuid7()) as client:
            response = await client.get("/api/engine/tasks/mine")
        assert response.json()["total"] == 0

    async def test_a_plain_user_is_refused(self, engine: EngineHarness) -> None:
        async with engine.client() as client:
            response = await client.get("/api/engine/tasks/mine")
        assert response.status_code == 403


class TestTaskDetail:
    async def test_shows_input_schema_data_and_why_it_was_assigned(self, engine: EngineHarness) -> None:
        worker, _, task = await review_task(engine)
        async with engine.worker(worker) as client:
            response = await client.get(f"/api/engine/tasks/{task.id}")
        body = response.json()
        assert response.status_code == 200
        assert body["data"] == {"laptop": "mac"}
        assert body["output_schema"] == APPROVAL_SCHEMA
        assert body["assignment"]["compared"][0]["open_tasks"] == 0
        assert [h["action"] for h in body["history"]] == ["task.created", "task.assigned"]

    async def test_another_company_gets_404(self, engine: EngineHarness) -> None:
        _, _, task = await review_task(engine)
        other = EngineHarness(engine.db, engine.settings)
        async with other.admin() as client:
            response = await client.get(f"/api/engine/tasks/{task.id}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


class TestCompleteTask:
    async def test_output_is_merged_and_the_workflow_moves_on(self, engine: EngineHarness) -> None:
        worker, ticket_id, task = await review_task(engine)
        async with engine.worker(worker) as client:
            response = await client.post(
                f"/api/engine/tasks/{task.id}/complete",
                json={"output": {"approved": True, "comment": "ok"}, "expected_version": task.version},
            )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "COMPLETED"
        instance = await engine.instance_of(ticket_id)
        assert instance.workflow_data == {"laptop": "mac", "approved": True, "comment": "ok"}
        assert (await engine.current_task(ticket_id)).task_key == "provision"

    async def test_invalid_output_lists_every_problem_and_changes_nothing(
        self, engine: EngineHarness
    ) -> None:
        worker, ticket_id, task = await review_task(engine)
        async with engine.worker(worker) as client:
            response = await client.post(
                f"/api/engine/tasks/{task.id}/complete",
                json={"output": {"approved": "yes", "extra": 1}, "expected_version": task.version},
            )
        assert response.status_code == 422
        locs = sorted(tuple(e["loc"]) for e in response.json()["errors"])
        assert ("body", "output", "approved") in locs
        assert len(locs) == 3  # wrong type, missing comment, unexpected extra
        after = await engine.current_task(ticket_id)
        assert (after.status, after.version) == ("ASSIGNED", task.version)
        assert (await engine.instance_of(ticket_id)).workflow_data == {"laptop": "mac"}

    async def test_malformed_body_is_422(self, engine: EngineHarness) -> None:
        worker, _, task = await review_task(engine)
        async with engine.worker(worker) as client:
            response = await client.post(f"/api/engine/tasks/{task.id}/complete", json={"output": []})
        assert response.status_code == 422
        assert {tuple(e["loc"]) for e in response.json()["errors"]} == {
            ("body", "output"),
            ("body", "expected_version"),
        }

    async def test_stale_version_is_409(self, engine: EngineHarness) -> None:
        worker, _, task = await review_task(engine)
        async with engine.worker(worker) as client:
            response = await client.post(
                f"/api/engine/tasks/{task.id}/complete",
                json={"output": {"approved": True, "comment": "ok"}, "expected_version": task.version + 5},
            )
        assert response.status_code == 409

    async def test_repeated_submit_is_409(self, engine: EngineHarness) -> None:
        worker, ticket_id, task = await review_task(engine)
        body = {"output": {"approved": True, "comment": "ok"}, "expected_version": task.version}
        async with engine.worker(worker) as client:
            first = await client.post(f"/api/engine/tasks/{task.id}/complete", json=body)
            second = await client.post(f"/api/engine/tasks/{task.id}/complete", json=body)
        assert first.status_code == 200
        assert second.status_code == 409
        assert len(await engine.tasks_of((await engine.instance_of(ticket_id)).id)) == 2

    async def test_someone_elses_task_is_refused(self, engine: EngineHarness) -> None:
        _, _, task = await review_task(engine)
        async with engine.worker(uuid7()) as client:
            response = await client.post(
                f"/api/engine/tasks/{task.id}/complete",
                json={"output": {"approved": True, "comment": "ok"}, "expected_version": task.version},
            )
        assert response.status_code == 403


class TestReassign:
    async def test_admin_hands_the_task_to_another_worker_and_it_is_recorded(
        self, engine: EngineHarness
    ) -> None:
        _, _, task = await review_task(engine)
        other = await engine.add_worker("Otto")
        async with engine.admin() as client:
            response = await client.post(
                f"/api/engine/tasks/{task.id}/reassign", json={"assignee_id": str(other)}
            )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["assignee_id"] == str(other)
        assert body["assignment"]["strategy"] == "manual"
        async with engine.db.unit_of_work(engine.company_id) as uow:
            actions = (await uow.session.scalars(select(HistoryEntry.action))).all()
        assert "task.reassigned" in actions

    async def test_unknown_assignee_is_422(self, engine: EngineHarness) -> None:
        _, _, task = await review_task(engine)
        async with engine.admin() as client:
            response = await client.post(
                f"/api/engine/tasks/{task.id}/reassign", json={"assignee_id": str(uuid7())}
            )
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "assignee_id"]

    async def test_a_worker_cannot_reassign(self, engine: EngineHarness) -> None:
        worker, _, task = await review_task(engine)
        async with engine.worker(worker) as client:
            response = await client.post(
                f"/api/engine/tasks/{task.id}/reassign", json={"assignee_id": str(worker)}
            )
        assert response.status_code == 403


class TestTaskLists:
    async def test_active_and_archive(self, engine: EngineHarness) -> None:
        worker, _, task = await review_task(engine)
        async with engine.worker(worker) as client:
            await client.post(
                f"/api/engine/tasks/{task.id}/complete",
                json={"output": {"approved": True, "comment": "ok"}, "expected_version": task.version},
            )
        async with engine.admin() as client:
            active = (await client.get("/api/engine/tasks", params={"view": "active"})).json()
            archive = (await client.get("/api/engine/tasks", params={"view": "archive"})).json()
            bad = await client.get("/api/engine/tasks", params={"view": "nope", "page_size": 1000})
        assert [t["task_key"] for t in active["items"]] == ["provision"]
        assert [t["task_key"] for t in archive["items"]] == ["review"]
        assert bad.status_code == 422
        assert {e["loc"][-1] for e in bad.json()["errors"]} == {"view", "page_size"}
