"""The engine's handlers fed contract events directly, through the idempotent consumer."""

import pytest
from sqlalchemy import select

from contracts.actions import ActionAwaitingCallback, ActionFailed, ActionSucceeded
from engine.models import Decision, HistoryEntry, Timer, WorkflowInstance
from engine.timers.service import fire_due_timers
from engine.workflows.service import DefinitionNotHeld

from ..conftest import APPROVAL_SCHEMA, EngineHarness, action, form, transition


async def branching_workflow(engine: EngineHarness) -> None:
    await engine.publish_workflow(
        [
            form("review", APPROVAL_SCHEMA),
            action("provision"),
            action("notify", "ASYNC_ACTION"),
            action("reject"),
        ],
        [
            transition("review", "provision", "approved = true", priority=10),
            transition("review", "reject", "approved = false", priority=5),
            transition("provision", "notify"),
        ],
    )


class TestTicketSubmitted:
    async def test_starts_an_instance_seeded_from_the_ticket_data(self, engine: EngineHarness) -> None:
        await branching_workflow(engine)
        worker = await engine.add_worker()
        ticket_id = await engine.submit({"laptop": "mac"})

        instance = await engine.instance_of(ticket_id)
        assert instance.status == "RUNNING"
        assert instance.workflow_data == {"laptop": "mac"}
        [task] = await engine.tasks_of(instance.id)
        assert (task.task_key, task.status, task.assignee_id) == ("review", "ASSIGNED", worker)
        assert await engine.outbox_types() == ["workflow.started", "task.created", "task.assigned"]

    async def test_a_resent_submission_of_the_same_ticket_starts_nothing_more(
        self, engine: EngineHarness
    ) -> None:
        await branching_workflow(engine)
        ticket_id = await engine.submit({})
        await engine.submit({"other": 1}, ticket_id=ticket_id)
        async with engine.db.unit_of_work(engine.company_id) as uow:
            instances = (await uow.session.scalars(select(WorkflowInstance))).all()
        assert len(instances) == 1
        assert instances[0].workflow_data == {}

    async def test_the_same_event_twice_is_applied_once(self, engine: EngineHarness) -> None:
        await branching_workflow(engine)
        from contracts.envelope import Actor, envelope_for
        from contracts.ids import uuid7
        from contracts.tickets import TicketSubmitted

        envelope = envelope_for(
            TicketSubmitted(
                ticket_id=uuid7(),
                number="T-1",
                title="t",
                ticket_definition_key="tt",
                ticket_definition_version=1,
                workflow_key="wf",
                workflow_version=1,
                ticket_data={},
                submitted_by=None,
            ),
            company_id=engine.company_id,
            actor=Actor.system("test"),
        )
        await engine.deliver(envelope)
        await engine.deliver(envelope)
        async with engine.db.unit_of_work(engine.company_id) as uow:
            instances = (await uow.session.scalars(select(WorkflowInstance))).all()
        assert len(instances) == 1
        assert (await engine.outbox_types()).count("workflow.started") == 1

    async def test_unknown_workflow_fails_the_handler_so_it_is_retried(self, engine: EngineHarness) -> None:
        engine.consumer.retry_delay = 0
        with pytest.raises(DefinitionNotHeld, match="not known to the engine yet"):
            await engine.submit({}, key="not-yet-published")
        async with engine.db.new_session() as session:
            failures = engine.db.tables.consumer_failures
            attempts = await session.scalar(
                select(failures.c.attempts).where(failures.c.consumer_group == engine.consumer.group)
            )
        assert attempts == 1


class TestActionResults:
    async def start_at_provision(self, engine: EngineHarness):
        await branching_workflow(engine)
        worker = await engine.add_worker()
        ticket_id = await engine.submit({})
        review = await engine.current_task(ticket_id)
        async with engine.worker(worker) as client:
            response = await client.post(
                f"/api/engine/tasks/{review.id}/complete",
                json={"output": {"approved": True, "comment": "fine"}, "expected_version": review.version},
            )
        assert response.status_code == 200, response.text
        return ticket_id, await engine.current_task(ticket_id)

    async def test_success_merges_output_and_moves_on(self, engine: EngineHarness) -> None:
        ticket_id, provision = await self.start_at_provision(engine)
        assert (provision.task_key, provision.status, provision.attempt) == ("provision", "IN_PROGRESS", 1)
        await engine.succeed(provision, {"account": "acc-1"})

        instance = await engine.instance_of(ticket_id)
        assert instance.workflow_data == {"approved": True, "comment": "fine", "account": "acc-1"}
        notify = await engine.current_task(ticket_id)
        assert (notify.task_key, notify.status) == ("notify", "IN_PROGRESS")
        assert "action.requested" in await engine.outbox_types()

    async def test_a_result_for_a_superseded_attempt_is_ignored(self, engine: EngineHarness) -> None:
        ticket_id, provision = await self.start_at_provision(engine)
        from contracts.ids import uuid7

        await engine.feed(
            ActionSucceeded(
                request_id=uuid7(),
                workflow_instance_id=provision.workflow_instance_id,
                task_instance_id=provision.id,
                attempt=0,
                output={"account": "stale"},
            )
        )
        assert (await engine.current_task(ticket_id)).status == "IN_PROGRESS"
        assert "account" not in (await engine.instance_of(ticket_id)).workflow_data

    async def test_a_second_result_for_a_finished_task_is_ignored(self, engine: EngineHarness) -> None:
        ticket_id, provision = await self.start_at_provision(engine)
        await engine.succeed(provision, {"account": "acc-1"})
        await engine.succeed(provision, {"account": "acc-2"})
        instance = await engine.instance_of(ticket_id)
        assert instance.workflow_data["account"] == "acc-1"
        assert len(await engine.tasks_of(instance.id)) == 3

    async def test_awaiting_callback_extends_the_deadline(self, engine: EngineHarness) -> None:
        ticket_id, provision = await self.start_at_provision(engine)
        await engine.succeed(provision, {})
        notify = await engine.current_task(ticket_id)
        assert notify.request_id is not None
        await engine.feed(
            ActionAwaitingCallback(
                request_id=notify.request_id,
                workflow_instance_id=notify.workflow_instance_id,
                task_instance_id=notify.id,
                attempt=1,
                expires_at="2099-01-01T00:00:00+00:00",
            )
        )
        after = await engine.current_task(ticket_id)
        assert after.deadline_at is not None
        assert after.deadline_at.year == 2099
        async with engine.db.new_session() as session:
            due = await session.scalar(select(Timer.due_at).where(Timer.task_instance_id == notify.id))
        assert due is not None
        assert due.year == 2099

    async def test_failure_puts_the_workflow_in_incident(self, engine: EngineHarness) -> None:
        ticket_id, provision = await self.start_at_provision(engine)
        assert provision.request_id is not None
        await engine.feed(
            ActionFailed(
                request_id=provision.request_id,
                workflow_instance_id=provision.workflow_instance_id,
                task_instance_id=provision.id,
                attempt=1,
                error="HTTP 500 three times",
                status_code=500,
            )
        )
        task = await engine.current_task(ticket_id)
        instance = await engine.instance_of(ticket_id)
        assert task.status == "ERROR"
        assert instance.status == "INCIDENT"
        assert instance.incident is not None
        assert instance.incident["kind"] == "action_failed"
        assert {"task.failed", "workflow.incident"} <= set(await engine.outbox_types())


class TestTransitions:
    async def test_other_data_takes_the_other_branch_and_the_decision_is_recorded(
        self, engine: EngineHarness
    ) -> None:
        await branching_workflow(engine)
        worker = await engine.add_worker()
        ticket_id = await engine.submit({})
        review = await engine.current_task(ticket_id)
        async with engine.worker(worker) as client:
            response = await client.post(
                f"/api/engine/tasks/{review.id}/complete",
                json={"output": {"approved": False, "comment": "no"}, "expected_version": review.version},
            )
        assert response.status_code == 200
        assert (await engine.current_task(ticket_id)).task_key == "reject"
        async with engine.db.unit_of_work(engine.company_id) as uow:
            decision = await uow.session.scalar(select(Decision))
        assert decision is not None
        assert [(t["to_task"], t["value"]) for t in decision.tried] == [
            ("provision", False),
            ("reject", True),
        ]

    async def test_no_condition_holding_raises_an_incident(self, engine: EngineHarness) -> None:
        await engine.publish_workflow(
            [action("check"), action("big"), action("small")],
            [transition("check", "big", "amount > 100"), transition("check", "small", "amount < 10")],
        )
        ticket_id = await engine.submit({"amount": 50})
        await engine.succeed(await engine.current_task(ticket_id), {})
        instance = await engine.instance_of(ticket_id)
        assert instance.status == "INCIDENT"
        assert instance.incident is not None
        assert instance.incident["kind"] == "transition"

    async def test_last_task_completes_the_workflow(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([action("only")], [])
        ticket_id = await engine.submit({})
        await engine.succeed(await engine.current_task(ticket_id), {"done": True})
        instance = await engine.instance_of(ticket_id)
        assert instance.status == "COMPLETED"
        assert (await engine.outbox_types())[-1] == "workflow.completed"


class TestTimers:
    async def expire(self, engine: EngineHarness) -> int:
        from sqlalchemy import text

        async with engine.db.new_session() as session, session.begin():
            await session.execute(text("UPDATE engine.timers SET due_at = now() - interval '1 second'"))
        return await fire_due_timers(engine.db, engine.settings)

    async def test_a_missed_deadline_retries_then_raises_an_incident(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([action("call", max_retries=1)], [])
        ticket_id = await engine.submit({})
        first = await engine.current_task(ticket_id)

        assert await self.expire(engine) == 1
        second = await engine.current_task(ticket_id)
        assert (second.status, second.attempt, second.retries) == ("IN_PROGRESS", 2, 1)
        assert second.request_id != first.request_id

        assert await self.expire(engine) == 1
        instance = await engine.instance_of(ticket_id)
        assert (await engine.current_task(ticket_id)).status == "ERROR"
        assert instance.status == "INCIDENT"
        assert instance.incident is not None
        assert instance.incident["kind"] == "timeout"
        async with engine.db.unit_of_work(engine.company_id) as uow:
            actions = list((await uow.session.scalars(select(HistoryEntry.action))).all())
        assert actions.count("action.timed_out") == 1

    async def test_a_late_result_of_the_timed_out_attempt_is_ignored(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([action("call", max_retries=2)], [])
        ticket_id = await engine.submit({})
        first = await engine.current_task(ticket_id)
        await self.expire(engine)
        await engine.succeed(first, {"late": True})
        assert (await engine.current_task(ticket_id)).status == "IN_PROGRESS"
        assert (await engine.instance_of(ticket_id)).status == "RUNNING"
