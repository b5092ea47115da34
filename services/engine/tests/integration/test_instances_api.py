"""Workflow instances through the API: lists, detail, history, hold/resume/cancel, incidents."""

from uuid import UUID

from contracts.actions import ActionFailed
from engine.models import WorkflowInstance

from ..conftest import EngineHarness, action, transition

CHECK_SCHEMA = {"type": "object", "required": ["score"], "properties": {"score": {"type": "integer"}}}


async def two_actions(engine: EngineHarness) -> tuple[UUID, WorkflowInstance]:
    spec = action("check")
    spec = spec.model_copy(update={"output_schema": CHECK_SCHEMA})
    await engine.publish_workflow([spec, action("finish")], [transition("check", "finish", "score > 5")])
    ticket_id = await engine.submit({"amount": 3})
    return ticket_id, await engine.instance_of(ticket_id)


async def fail_current(engine: EngineHarness, ticket_id: UUID) -> None:
    task = await engine.current_task(ticket_id)
    assert task.request_id is not None
    await engine.feed(
        ActionFailed(
            request_id=task.request_id,
            workflow_instance_id=task.workflow_instance_id,
            task_instance_id=task.id,
            attempt=task.attempt,
            error="connection refused",
        )
    )


class TestInstanceLists:
    async def test_lists_instances_with_their_current_task(self, engine: EngineHarness) -> None:
        ticket_id, _instance = await two_actions(engine)
        async with engine.admin() as client:
            response = await client.get("/api/engine/instances", params={"ticket_id": str(ticket_id)})
        body = response.json()
        assert body["total"] == 1
        assert body["items"][0]["current_task"]["task_key"] == "check"

    async def test_detail_shows_the_path_and_decisions(self, engine: EngineHarness) -> None:
        ticket_id, instance = await two_actions(engine)
        await engine.succeed(await engine.current_task(ticket_id), {"score": 9})
        async with engine.admin() as client:
            body = (await client.get(f"/api/engine/instances/{instance.id}")).json()
            history = (await client.get(f"/api/engine/instances/{instance.id}/history")).json()
        assert [p["task_key"] for p in body["path"]] == ["check", "finish"]
        assert body["transitions_taken"][0]["tried"][0]["value"] is True
        completed = next(h for h in history["items"] if h["action"] == "action.succeeded")
        assert completed["data_before"] == {"amount": 3}
        assert completed["data_after"] == {"amount": 3, "score": 9}

    async def test_a_plain_user_is_refused_and_another_company_gets_404(self, engine: EngineHarness) -> None:
        _, instance = await two_actions(engine)
        async with engine.client() as client:
            assert (await client.get(f"/api/engine/instances/{instance.id}")).status_code == 403
        async with EngineHarness(engine.db, engine.settings).admin() as client:
            assert (await client.get(f"/api/engine/instances/{instance.id}")).status_code == 404


class TestHoldResumeCancel:
    async def test_a_held_workflow_waits_and_catches_up_on_resume(self, engine: EngineHarness) -> None:
        ticket_id, instance = await two_actions(engine)
        async with engine.admin() as client:
            held = await client.post(f"/api/engine/instances/{instance.id}/hold")
            assert held.json()["status"] == "ON_HOLD"
            await engine.succeed(await engine.current_task(ticket_id), {"score": 9})
            assert (await engine.current_task(ticket_id)).task_key == "check"
            resumed = await client.post(f"/api/engine/instances/{instance.id}/resume")
        assert resumed.json()["status"] == "RUNNING"
        assert resumed.json()["current_task"]["task_key"] == "finish"

    async def test_resume_of_a_running_workflow_is_409(self, engine: EngineHarness) -> None:
        _, instance = await two_actions(engine)
        async with engine.admin() as client:
            response = await client.post(f"/api/engine/instances/{instance.id}/resume")
        assert response.status_code == 409

    async def test_cancel_cancels_open_tasks_and_is_final(self, engine: EngineHarness) -> None:
        _ticket_id, instance = await two_actions(engine)
        async with engine.admin() as client:
            cancelled = await client.post(f"/api/engine/instances/{instance.id}/cancel")
            again = await client.post(f"/api/engine/instances/{instance.id}/cancel")
        assert cancelled.json()["status"] == "CANCELLED"
        assert cancelled.json()["path"][0]["status"] == "CANCELLED"
        assert again.status_code == 409
        assert "workflow.cancelled" in await engine.outbox_types()


class TestIncidents:
    async def test_retry_sends_a_new_attempt(self, engine: EngineHarness) -> None:
        ticket_id, instance = await two_actions(engine)
        first = await engine.current_task(ticket_id)
        await fail_current(engine, ticket_id)
        async with engine.admin() as client:
            response = await client.post(f"/api/engine/instances/{instance.id}/incident/retry")
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "RUNNING"
        task = await engine.current_task(ticket_id)
        assert (task.status, task.attempt) == ("IN_PROGRESS", 2)
        assert task.request_id != first.request_id

    async def test_skip_with_output_moves_on(self, engine: EngineHarness) -> None:
        ticket_id, instance = await two_actions(engine)
        await fail_current(engine, ticket_id)
        async with engine.admin() as client:
            response = await client.post(
                f"/api/engine/instances/{instance.id}/incident/skip", json={"output": {"score": 7}}
            )
        body = response.json()
        assert response.status_code == 200, response.text
        assert [p["status"] for p in body["path"]] == ["SKIPPED", "IN_PROGRESS"]
        assert body["workflow_data"] == {"amount": 3, "score": 7}

    async def test_skip_with_invalid_output_is_422_and_changes_nothing(self, engine: EngineHarness) -> None:
        ticket_id, instance = await two_actions(engine)
        await fail_current(engine, ticket_id)
        async with engine.admin() as client:
            response = await client.post(
                f"/api/engine/instances/{instance.id}/incident/skip", json={"output": {"score": "high"}}
            )
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "output", "score"]
        assert (await engine.instance_of(ticket_id)).status == "INCIDENT"

    async def test_a_transition_incident_is_retried_by_deciding_again(self, engine: EngineHarness) -> None:
        ticket_id, instance = await two_actions(engine)
        await engine.succeed(await engine.current_task(ticket_id), {"score": 1})
        assert (await engine.instance_of(ticket_id)).status == "INCIDENT"
        async with engine.admin() as client:
            skipped = await client.post(
                f"/api/engine/instances/{instance.id}/incident/skip", json={"output": {"score": 6}}
            )
        assert skipped.status_code == 200, skipped.text
        assert skipped.json()["current_task"]["task_key"] == "finish"

    async def test_retry_without_incident_is_409(self, engine: EngineHarness) -> None:
        _, instance = await two_actions(engine)
        async with engine.admin() as client:
            response = await client.post(f"/api/engine/instances/{instance.id}/incident/retry")
        assert response.status_code == 409


class TestMetrics:
    async def test_key_figures(self, engine: EngineHarness) -> None:
        ticket_id, _ = await two_actions(engine)
        await engine.add_worker("Wendy")
        await engine.succeed(await engine.current_task(ticket_id), {"score": 9})
        async with engine.admin() as client:
            body = (await client.get("/api/engine/metrics")).json()
        assert body["workflows_by_status"] == {"RUNNING": 1}
        assert body["open_tasks_per_worker"][0]["open_tasks"] == 0
        assert body["tasks_completed_per_day"][0]["completed"] == 1
        assert body["mean_time_per_task"][0]["task_key"] == "check"
