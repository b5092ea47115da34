"""The engine's handlers fed contract events directly, through the idempotent consumer."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from contracts.actions import ActionAwaitingCallback, ActionFailed, ActionStarted, ActionSucceeded
from contracts.ids import uuid7
from engine.models import Decision, HistoryEntry, TaskInstance, Timer, WorkflowInstance
from engine.timers.service import fire_due_timers
from engine.workflows.progress import DefinitionNotHeld

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
    async def start_at_provision(self, engine: EngineHarness) -> tuple[UUID, TaskInstance]:
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


class TestDeadlines:
    async def expire(self, engine: EngineHarness) -> int:
        from sqlalchemy import text

        async with engine.db.new_session() as session, session.begin():
            await session.execute(text("UPDATE engine.timers SET due_at = now() - interval '1 second'"))
            await session.execute(
                text(
                    "UPDATE engine.task_instances SET deadline_at = now() - interval '1 second' "
                    "WHERE deadline_at IS NOT NULL"
                )
            )
        return await fire_due_timers(engine.db, engine.settings)

    async def requests_sent(self, engine: EngineHarness) -> list[dict[str, Any]]:
        async with engine.db.new_session() as session:
            rows = await session.execute(
                select(engine.db.tables.outbox.c.payload)
                .where(engine.db.tables.outbox.c.topic == "actions.requests")
                .order_by(engine.db.tables.outbox.c.position)
            )
            return [r.payload["data"] for r in rows if r.payload["company_id"] == str(engine.company_id)]

    async def history(self, engine: EngineHarness) -> list[str]:
        async with engine.db.unit_of_work(engine.company_id) as uow:
            return list((await uow.session.scalars(select(HistoryEntry.action))).all())

    async def awaiting(self, engine: EngineHarness, task: TaskInstance) -> None:
        assert task.request_id is not None
        await engine.feed(
            ActionAwaitingCallback(
                request_id=task.request_id,
                workflow_instance_id=task.workflow_instance_id,
                task_instance_id=task.id,
                attempt=task.attempt,
                expires_at=datetime.now(UTC).isoformat(),
            )
        )

    async def test_a_request_carries_a_deadline_covering_every_call_of_the_attempt(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([action("call", max_retries=3)], [])
        before = datetime.now(UTC)
        ticket_id = await engine.submit({})
        task = await engine.current_task(ticket_id)

        [request] = await self.requests_sent(engine)
        deadline = datetime.fromisoformat(request["deadline_at"])
        # 4 calls of 5 s each, and the grace.
        assert deadline >= before + timedelta(seconds=4 * 5 + engine.settings.action_deadline_grace_seconds)
        assert task.deadline_at == deadline

    async def test_a_passed_deadline_sends_the_same_request_again_and_spends_no_retry(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([action("call", max_retries=1)], [])
        ticket_id = await engine.submit({})
        first = await engine.current_task(ticket_id)

        assert await self.expire(engine) == 1
        assert await self.expire(engine) == 1

        task = await engine.current_task(ticket_id)
        assert (task.status, task.attempt, task.retries, task.request_id) == (
            "IN_PROGRESS",
            1,
            0,
            first.request_id,
        )
        assert (await engine.instance_of(ticket_id)).status == "RUNNING"
        sent = await self.requests_sent(engine)
        assert [(r["request_id"], r["attempt"]) for r in sent] == [(str(first.request_id), 1)] * 3
        assert (await self.history(engine)).count("action.resent") == 2

    async def test_a_late_take_moves_the_deadline_to_the_runners_promise(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([action("call")], [])
        ticket_id = await engine.submit({})
        task = await engine.current_task(ticket_id)
        assert task.request_id is not None
        answer_by = datetime(2099, 1, 1, tzinfo=UTC)

        await engine.feed(
            ActionStarted(
                request_id=task.request_id,
                workflow_instance_id=task.workflow_instance_id,
                task_instance_id=task.id,
                attempt=1,
                answer_by=answer_by,
            )
        )

        after = await engine.current_task(ticket_id)
        grace = timedelta(seconds=engine.settings.action_deadline_grace_seconds)
        assert after.deadline_at == answer_by + grace
        async with engine.db.new_session() as session:
            due = await session.scalar(select(Timer.due_at).where(Timer.task_instance_id == task.id))
        assert due == answer_by + grace
        assert await self.expire(engine) == 1
        assert (await engine.current_task(ticket_id)).attempt == 1

    async def test_a_missed_callback_retries_under_the_same_task_then_raises_an_incident(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([action("call", "ASYNC_ACTION", max_retries=1)], [])
        ticket_id = await engine.submit({})
        first = await engine.current_task(ticket_id)
        await self.awaiting(engine, first)

        assert await self.expire(engine) == 1
        second = await engine.current_task(ticket_id)
        assert (second.id, second.status, second.attempt, second.retries) == (first.id, "IN_PROGRESS", 2, 1)
        assert second.request_id != first.request_id
        assert [r["task_instance_id"] for r in await self.requests_sent(engine)] == [str(first.id)] * 2

        await self.awaiting(engine, second)
        assert await self.expire(engine) == 1
        instance = await engine.instance_of(ticket_id)
        assert (await engine.current_task(ticket_id)).status == "ERROR"
        assert instance.status == "INCIDENT"
        assert instance.incident is not None
        assert instance.incident["kind"] == "timeout"
        assert (await self.history(engine)).count("action.timed_out") == 1

    async def test_a_late_result_of_an_earlier_attempt_is_taken_when_no_newer_one_answered(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([action("call", "ASYNC_ACTION", max_retries=2)], [])
        ticket_id = await engine.submit({})
        first = await engine.current_task(ticket_id)
        await self.awaiting(engine, first)
        await self.expire(engine)
        assert (await engine.current_task(ticket_id)).attempt == 2

        await engine.succeed(first, {"late": True})

        assert (await engine.current_task(ticket_id)).status == "COMPLETED"
        instance = await engine.instance_of(ticket_id)
        assert (instance.status, instance.workflow_data) == ("COMPLETED", {"late": True})

    async def test_a_late_failure_of_an_earlier_attempt_is_ignored(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([action("call", "ASYNC_ACTION", max_retries=2)], [])
        ticket_id = await engine.submit({})
        first = await engine.current_task(ticket_id)
        await self.awaiting(engine, first)
        await self.expire(engine)
        assert first.request_id is not None

        await engine.feed(
            ActionFailed(
                request_id=first.request_id,
                workflow_instance_id=first.workflow_instance_id,
                task_instance_id=first.id,
                attempt=1,
                error="the callback said no",
            )
        )

        assert (await engine.current_task(ticket_id)).status == "IN_PROGRESS"
        assert (await engine.instance_of(ticket_id)).status == "RUNNING"

    async def test_a_late_success_resolves_the_timeout_incident_it_caused(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([action("call", "ASYNC_ACTION", max_retries=0)], [])
        ticket_id = await engine.submit({})
        first = await engine.current_task(ticket_id)
        await self.awaiting(engine, first)
        await self.expire(engine)
        assert (await engine.instance_of(ticket_id)).status == "INCIDENT"

        await engine.succeed(first, {"late": True})

        instance = await engine.instance_of(ticket_id)
        assert (instance.status, instance.incident, instance.workflow_data) == (
            "COMPLETED",
            None,
            {"late": True},
        )
        assert "incident.resolved" in await self.history(engine)

    async def test_a_result_of_an_attempt_never_sent_is_ignored(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([action("call", "ASYNC_ACTION", max_retries=2)], [])
        ticket_id = await engine.submit({})
        first = await engine.current_task(ticket_id)
        await self.awaiting(engine, first)
        await self.expire(engine)

        await engine.feed(
            ActionSucceeded(
                request_id=uuid7(),
                workflow_instance_id=first.workflow_instance_id,
                task_instance_id=first.id,
                attempt=1,
                output={"forged": True},
            )
        )

        assert (await engine.current_task(ticket_id)).status == "IN_PROGRESS"

    async def test_a_deadline_passed_while_held_fires_on_resume(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([action("call", "ASYNC_ACTION", max_retries=1)], [])
        ticket_id = await engine.submit({})
        first = await engine.current_task(ticket_id)
        await self.awaiting(engine, first)
        instance = await engine.instance_of(ticket_id)
        async with engine.admin() as client:
            assert (await client.post(f"/api/engine/instances/{instance.id}/hold")).status_code == 200
            assert await self.expire(engine) == 1
            assert (await engine.current_task(ticket_id)).attempt == 1

            assert (await client.post(f"/api/engine/instances/{instance.id}/resume")).status_code == 200
        assert await fire_due_timers(engine.db, engine.settings) == 1

        assert (await engine.current_task(ticket_id)).attempt == 2
