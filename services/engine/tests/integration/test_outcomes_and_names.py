"""A workflow ends with the outcome its definition names at the end it reached, with a message
computed from the workflow data; and the engine's answers name people instead of ids."""

from typing import Any
from uuid import UUID

from sqlalchemy import select

from contracts.definitions import OutcomeSpec, TaskDefinitionSpec, TransitionSpec
from contracts.engine import WorkflowCompleted
from engine.models import HistoryEntry, TaskInstance

from ..conftest import APPROVAL_SCHEMA, EngineHarness, action, form, transition

REJECTED = OutcomeSpec(key="rejected", label="Rejected", message='"Rejected by the reviewer: " & comment')
APPROVED = OutcomeSpec(key="approved", label="Approved", message='"Approved for " & employee')


def ending(task: TaskDefinitionSpec, outcome: OutcomeSpec | None) -> TaskDefinitionSpec:
    return task.model_copy(update={"outcome": outcome})


def into(
    a: str, b: str, outcome: OutcomeSpec | None, condition: str | None = None, priority: int = 0
) -> TransitionSpec:
    return transition(a, b, condition, priority).model_copy(update={"outcome": outcome})


async def review_workflow(engine: EngineHarness, approved_outcome: OutcomeSpec | None = APPROVED) -> UUID:
    """review → (approved) done, an end task naming `approved_outcome`; else → notify, an end
    reached through a transition naming REJECTED."""
    await engine.publish_workflow(
        [form("review", APPROVAL_SCHEMA), ending(form("done"), approved_outcome), action("notify")],
        [
            transition("review", "done", "approved = true", 10),
            into("review", "notify", REJECTED),
        ],
    )
    return await engine.add_worker("Wendy")


async def complete(engine: EngineHarness, worker: UUID, task: TaskInstance, output: dict[str, Any]) -> None:
    async with engine.worker(worker) as client:
        response = await client.post(
            f"/api/engine/tasks/{task.id}/complete", json={"output": output, "expected_version": task.version}
        )
    assert response.status_code == 200, response.text


async def completed_events(engine: EngineHarness) -> list[WorkflowCompleted]:
    outbox = engine.db.tables.outbox
    async with engine.db.new_session() as session:
        rows = await session.execute(select(outbox.c.payload).order_by(outbox.c.position))
        payloads = [r.payload for r in rows]
    return [
        WorkflowCompleted.model_validate(p["data"])
        for p in payloads
        # Other tests' rows share the outbox, dead letters among them (no envelope type).
        if p.get("type") == WorkflowCompleted.event_type and p.get("company_id") == str(engine.company_id)
    ]


class TestOutcome:
    async def test_a_rejection_ends_with_the_transitions_outcome_and_the_reviewers_comment(
        self, engine: EngineHarness
    ) -> None:
        worker = await review_workflow(engine)
        ticket_id = await engine.submit({"employee": "Ada"})
        await complete(
            engine, worker, await engine.current_task(ticket_id), {"approved": False, "comment": "no budget"}
        )
        await engine.succeed(await engine.current_task(ticket_id), {})

        instance = await engine.instance_of(ticket_id)
        [event] = await completed_events(engine)
        assert instance.status == "COMPLETED"
        assert event.outcome is not None
        assert event.outcome.model_dump() == {
            "key": "rejected",
            "label": "Rejected",
            "message": "Rejected by the reviewer: no budget",
        }
        assert instance.outcome == event.outcome.model_dump()
        async with engine.admin() as client:
            shown = (await client.get(f"/api/engine/instances/{instance.id}")).json()
        assert shown["outcome"]["message"] == "Rejected by the reviewer: no budget"

    async def test_an_approval_ends_with_the_end_tasks_outcome(self, engine: EngineHarness) -> None:
        worker = await review_workflow(engine)
        ticket_id = await engine.submit({"employee": "Ada"})
        await complete(
            engine, worker, await engine.current_task(ticket_id), {"approved": True, "comment": "fine"}
        )
        await complete(engine, worker, await engine.current_task(ticket_id), {})

        [event] = await completed_events(engine)
        assert event.outcome is not None
        assert (event.outcome.key, event.outcome.label, event.outcome.message) == (
            "approved",
            "Approved",
            "Approved for Ada",
        )

    async def test_the_transitions_outcome_wins_over_the_end_tasks(self, engine: EngineHarness) -> None:
        await engine.publish_workflow(
            [form("review", APPROVAL_SCHEMA), ending(action("notify"), APPROVED)],
            [into("review", "notify", REJECTED)],
        )
        worker = await engine.add_worker("Wendy")
        ticket_id = await engine.submit({"employee": "Ada"})
        await complete(
            engine, worker, await engine.current_task(ticket_id), {"approved": False, "comment": "late"}
        )
        await engine.succeed(await engine.current_task(ticket_id), {})

        [event] = await completed_events(engine)
        assert event.outcome is not None
        assert event.outcome.key == "rejected"

    async def test_of_two_transitions_into_one_end_the_one_taken_names_the_outcome(
        self, engine: EngineHarness
    ) -> None:
        withdrawn = OutcomeSpec(key="withdrawn", label="Withdrawn")
        await engine.publish_workflow(
            [form("review", APPROVAL_SCHEMA), action("notify")],
            [
                into("review", "notify", REJECTED, "approved = false", 10),
                into("review", "notify", withdrawn),
            ],
        )
        worker = await engine.add_worker("Wendy")
        first = await engine.submit({"employee": "Ada"})
        await complete(engine, worker, await engine.current_task(first), {"approved": False, "comment": "no"})
        await engine.succeed(await engine.current_task(first), {})
        second = await engine.submit({"employee": "Bob"})
        await complete(
            engine, worker, await engine.current_task(second), {"approved": True, "comment": "meh"}
        )
        await engine.succeed(await engine.current_task(second), {})

        events = await completed_events(engine)
        assert [(e.ticket_id, e.outcome.key if e.outcome else None) for e in events] == [
            (first, "rejected"),
            (second, "withdrawn"),
        ]

    async def test_a_workflow_of_one_task_ends_with_that_tasks_outcome_without_a_message(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([ending(action("only"), OutcomeSpec(key="done", label="Done"))], [])
        ticket_id = await engine.submit({})
        await engine.succeed(await engine.current_task(ticket_id), {})

        [event] = await completed_events(engine)
        assert event.outcome is not None
        assert (event.outcome.key, event.outcome.message) == ("done", None)

    async def test_an_end_naming_no_outcome_completes_without_one(self, engine: EngineHarness) -> None:
        worker = await review_workflow(engine, approved_outcome=None)
        ticket_id = await engine.submit({"employee": "Ada"})
        await complete(
            engine, worker, await engine.current_task(ticket_id), {"approved": True, "comment": "ok"}
        )
        await complete(engine, worker, await engine.current_task(ticket_id), {})

        [event] = await completed_events(engine)
        assert event.outcome is None
        assert (await engine.instance_of(ticket_id)).outcome is None

    async def test_a_message_that_fails_still_ends_the_workflow_and_the_history_says_why(
        self, engine: EngineHarness
    ) -> None:
        broken = OutcomeSpec(key="done", label="Done", message='$error("no message today")')
        await engine.publish_workflow([ending(action("only"), broken)], [])
        ticket_id = await engine.submit({})
        await engine.succeed(await engine.current_task(ticket_id), {})

        instance = await engine.instance_of(ticket_id)
        [event] = await completed_events(engine)
        assert instance.status == "COMPLETED"
        assert event.outcome is not None
        assert (event.outcome.key, event.outcome.message) == ("done", None)
        async with engine.db.unit_of_work(engine.company_id) as uow:
            rows = list(await uow.session.scalars(select(HistoryEntry)))
        completion = [
            e
            for row in rows
            for e in [{"action": row.action, "info": row.info}, *(row.entries or [])]
            if e["action"] == "workflow.completed"
        ]
        assert len(completion) == 1
        assert "no message today" in completion[0]["info"]["problem"]


class TestNames:
    async def test_the_assignee_and_the_people_in_the_history_are_named(self, engine: EngineHarness) -> None:
        worker = await review_workflow(engine)
        ticket_id = await engine.submit({"employee": "Ada"})
        task = await engine.current_task(ticket_id)
        async with engine.worker(worker) as client:
            started = await client.post(f"/api/engine/tasks/{task.id}/start")
            assert started.status_code == 200, started.text
            detail = started.json()
            mine = (await client.get("/api/engine/tasks/mine")).json()
        async with engine.admin() as client:
            listed = (await client.get("/api/engine/tasks")).json()
            instance = (await client.get(f"/api/engine/instances/{task.workflow_instance_id}")).json()
            history = (await client.get(f"/api/engine/instances/{task.workflow_instance_id}/history")).json()

        assert detail["assignee_name"] == "Wendy Worker"
        assert [i["assignee_name"] for i in mine["items"]] == ["Wendy Worker"]
        assert [i["assignee_name"] for i in listed["items"]] == ["Wendy Worker"]
        assert instance["current_task"]["assignee_name"] == "Wendy Worker"
        by_worker = [h for h in detail["history"] if h["actor_id"] == str(worker)]
        assert by_worker
        assert {h["actor_name"] for h in by_worker} == {"Wendy Worker"}
        assert {h["actor_name"] for h in history["items"] if h["actor_id"] == str(worker)} == {"Wendy Worker"}
        assert all(h["actor_name"] is None for h in history["items"] if h["actor_kind"] != "user")

    async def test_a_renamed_worker_is_shown_by_the_new_name(self, engine: EngineHarness) -> None:
        worker = await review_workflow(engine)
        ticket_id = await engine.submit({"employee": "Ada"})
        task = await engine.current_task(ticket_id)
        await engine.change_worker(worker, active=True, roles=["user", "task_worker"])

        async with engine.worker(worker) as client:
            detail = (await client.get(f"/api/engine/tasks/{task.id}")).json()

        assert detail["assignee_name"] == "Changed Worker"
