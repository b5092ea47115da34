"""What one engine step costs: statements sent to Postgres, history rows and events written,
and the plans and conditions it reuses instead of reading and compiling them again."""

from uuid import UUID

import pytest
from sqlalchemy import func, select

from common import expressions
from common.expressions import CompiledExpression
from common.testing.statements import statements
from contracts.definitions import TicketDefinitionPublished
from contracts.ids import uuid7
from contracts.tickets import TicketSubmitted
from engine.definitions.service import PLANS
from engine.models import HistoryEntry, Timer, WorkflowInstance

from ..conftest import EngineHarness, action, form, transition

# A step that finishes one action task and starts the next, as sent to Postgres: the inbox
# claim, which scopes the transaction to the company; the instance and the task, locked and
# read together; the step's writes in one statement (the finished task and the instance as
# they changed, the new task, the history row, the decision, the new deadline replacing the
# old one, and the action request and the new task's event for the outbox).
STATEMENTS_PER_ACTION_STEP = 3
# The step that finishes the last action task and completes the workflow: the claim; the
# instance and the task; the writes (the finished task and the completed instance with the
# rest). The decisions are read back only when a transition into the end names an outcome.
STATEMENTS_PER_END_STEP = 3
# A ticket starting its workflow at an action task: the claim; the instance, written unless the
# ticket has one already; the additions (with its first task).
STATEMENTS_PER_START_STEP = 3
# A ticket whose definition starts the latest workflow version, starting at an action task: the
# claim; the latest version's number (its plan and the ticket definition's pin are in memory);
# the instance; the additions.
STATEMENTS_PER_LATEST_START_STEP = 4
# A ticket starting its workflow at a FORM task given to the one available worker: the claim;
# the instance, written unless the ticket has one already; the assignment lock; the rules; the
# workers with their open tasks; the worker's last assignment; the additions (with the task,
# written assigned, and the assignment record).
STATEMENTS_PER_FORM_ASSIGN_STEP = 7


async def three_actions(engine: EngineHarness, condition: str | None = None) -> None:
    await engine.publish_workflow(
        [action("one"), action("two"), action("three")],
        [transition("one", "two", condition), transition("two", "three")],
    )


class TestAnActionStep:
    async def test_sends_a_bounded_number_of_statements(self, engine: EngineHarness) -> None:
        await three_actions(engine)
        ticket_id = await engine.submit({})
        await engine.succeed(await engine.current_task(ticket_id), {"a": 1})
        two = await engine.current_task(ticket_id)
        with statements() as sent:
            await engine.succeed(two, {"b": 2})
        assert (await engine.current_task(ticket_id)).task_key == "three"
        assert len(sent) <= STATEMENTS_PER_ACTION_STEP, "\n".join(sent)
        assert not [s for s in sent if "workflow_definitions" in s], "the plan was read again"

    async def test_leaves_only_the_running_tasks_deadline(self, engine: EngineHarness) -> None:
        await three_actions(engine)
        ticket_id = await engine.submit({})
        for output in ({"a": 1}, {"b": 2}):
            await engine.succeed(await engine.current_task(ticket_id), output)
            async with engine.db.unit_of_work(engine.company_id) as uow:
                timers = (
                    await uow.session.scalars(
                        select(Timer.task_instance_id).where(Timer.company_id == engine.company_id)
                    )
                ).all()
            assert timers == [(await engine.current_task(ticket_id)).id]
        await engine.succeed(await engine.current_task(ticket_id), {"c": 3})
        assert (await engine.instance_of(ticket_id)).status == "COMPLETED"
        async with engine.db.unit_of_work(engine.company_id) as uow:
            assert (
                await uow.session.scalars(select(Timer.id).where(Timer.company_id == engine.company_id))
            ).all() == []

    async def test_writes_one_history_row_and_keeps_every_change_in_the_api(
        self, engine: EngineHarness
    ) -> None:
        await three_actions(engine)
        ticket_id = await engine.submit({})
        instance = await engine.instance_of(ticket_id)
        async with engine.db.unit_of_work(engine.company_id) as uow:
            before = await uow.session.scalar(select(func.count()).select_from(HistoryEntry))
        await engine.succeed(await engine.current_task(ticket_id), {"a": 1})
        async with engine.db.unit_of_work(engine.company_id) as uow:
            after = await uow.session.scalar(select(func.count()).select_from(HistoryEntry))
        assert (before, after) == (1, 2)
        async with engine.admin() as client:
            history = (await client.get(f"/api/engine/instances/{instance.id}/history")).json()
        assert [h["action"] for h in history["items"]] == [
            "workflow.started",
            "task.created",
            "action.requested",
            "action.succeeded",
            "transition.decided",
            "task.created",
            "action.requested",
        ]
        assert history["total"] == 7
        async with engine.admin() as client:
            page = (
                await client.get(
                    f"/api/engine/instances/{instance.id}/history", params={"page": 2, "page_size": 3}
                )
            ).json()
        assert [h["action"] for h in page["items"]] == [
            "action.succeeded",
            "transition.decided",
            "task.created",
        ]

    async def test_announces_the_next_task_without_created_and_completed_events(
        self, engine: EngineHarness
    ) -> None:
        await three_actions(engine)
        ticket_id = await engine.submit({})
        await engine.succeed(await engine.current_task(ticket_id), {"a": 1})
        assert await engine.outbox_types() == [
            "workflow.started",
            "action.requested",
            "task.started",
            "action.requested",
            "task.started",
        ]


class TestTheEndStep:
    async def test_completes_in_a_bounded_number_of_statements_without_reading_decisions(
        self, engine: EngineHarness
    ) -> None:
        await three_actions(engine)
        ticket_id = await engine.submit({})
        for output in ({"a": 1}, {"b": 2}):
            await engine.succeed(await engine.current_task(ticket_id), output)
        three = await engine.current_task(ticket_id)
        with statements() as sent:
            await engine.succeed(three, {"c": 3})
        instance = await engine.instance_of(ticket_id)
        assert (instance.status, instance.workflow_data) == ("COMPLETED", {"a": 1, "b": 2, "c": 3})
        assert len(sent) <= STATEMENTS_PER_END_STEP, "\n".join(sent)
        assert not [s for s in sent if "FROM engine.decisions" in s], "the decisions were read back"


async def publish_ticket_definition(engine: EngineHarness) -> None:
    """The ticket definition `engine.submit` names, starting the latest version of `wf`."""
    await engine.feed(
        TicketDefinitionPublished(
            ticket_definition_id=uuid7(),
            key="tt",
            version=1,
            name="A ticket type",
            prefix="T",
            fields={"type": "object"},
            workflow_key="wf",
            workflow_version=None,
            company_role_access=[],
        )
    )


async def submit_pinned(engine: EngineHarness) -> UUID:
    """A ticket as the tickets service announces it: naming the workflow version it starts (the
    plan of a named version is read once per process; the first ticket reads it)."""
    ticket_id = uuid7()
    await engine.feed(
        TicketSubmitted(
            ticket_id=ticket_id,
            number=f"T-{ticket_id.hex[-4:]}",
            title="A ticket",
            ticket_definition_key="tt",
            ticket_definition_version=1,
            workflow_key="wf",
            workflow_version=1,
            ticket_data={},
            submitted_by=None,
        )
    )
    return ticket_id


class TestAStartStep:
    async def test_starting_at_an_action_sends_a_bounded_number_of_statements(
        self, engine: EngineHarness
    ) -> None:
        await three_actions(engine)
        await submit_pinned(engine)
        with statements() as sent:
            ticket_id = await submit_pinned(engine)
        task = await engine.current_task(ticket_id)
        assert (task.task_key, task.status) == ("one", "IN_PROGRESS")
        assert len(sent) <= STATEMENTS_PER_START_STEP, "\n".join(sent)
        assert (await engine.outbox_types())[3:] == ["workflow.started", "action.requested", "task.started"]

    async def test_starting_the_latest_version_reads_neither_definition_again(
        self, engine: EngineHarness
    ) -> None:
        await three_actions(engine)
        await publish_ticket_definition(engine)
        await engine.submit({})
        with statements() as sent:
            ticket_id = await engine.submit({})
        task = await engine.current_task(ticket_id)
        assert (task.task_key, task.status) == ("one", "IN_PROGRESS")
        assert len(sent) <= STATEMENTS_PER_LATEST_START_STEP, "\n".join(sent)
        assert not [s for s in sent if "ticket_definitions" in s], "the ticket definition was read again"
        assert not [s for s in sent if "workflow_definitions.tasks" in s], "the plan was read again"

    async def test_a_version_published_later_is_the_latest_the_next_ticket_starts(
        self, engine: EngineHarness
    ) -> None:
        await three_actions(engine)
        await publish_ticket_definition(engine)
        first = await engine.instance_of(await engine.submit({}))
        await engine.publish_workflow([action("only")], [], version=2)
        second = await engine.instance_of(await engine.submit({}))
        assert (first.workflow_version, second.workflow_version) == (1, 2)
        assert (await engine.current_task(await engine.submit({}))).task_key == "only"

    async def test_a_second_submission_of_the_ticket_starts_nothing_more(self, engine: EngineHarness) -> None:
        await three_actions(engine)
        ticket_id = await engine.submit({"first": True})
        first = await engine.instance_of(ticket_id)
        types = await engine.outbox_types()
        # Another event (a new event id) for the same ticket: the inbox does not know it.
        await engine.submit({"second": True}, ticket_id=ticket_id)
        again = await engine.instance_of(ticket_id)
        assert (again.id, again.workflow_data) == (first.id, {"first": True})
        assert await engine.outbox_types() == types
        async with engine.db.unit_of_work(engine.company_id) as uow:
            instances = await uow.session.scalar(select(func.count()).select_from(WorkflowInstance))
            rows = await uow.session.scalar(select(func.count()).select_from(HistoryEntry))
        assert (instances, rows) == (1, 1)

    async def test_starting_at_a_form_assigns_it_in_a_bounded_number_of_statements(
        self, engine: EngineHarness
    ) -> None:
        worker = await engine.add_worker()
        await engine.publish_workflow([form("review")], [])
        await submit_pinned(engine)
        with statements() as sent:
            ticket_id = await submit_pinned(engine)
        task = await engine.current_task(ticket_id)
        assert (task.task_key, task.status, task.assignee_id) == ("review", "ASSIGNED", worker)
        assert len(sent) <= STATEMENTS_PER_FORM_ASSIGN_STEP, "\n".join(sent)
        async with engine.db.unit_of_work(engine.company_id) as uow:
            rows = await uow.session.scalar(select(func.count()).select_from(HistoryEntry))
        assert rows == 2


class TestPlanCache:
    async def test_a_condition_is_compiled_once_per_definition_version(
        self, engine: EngineHarness, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        compiled: list[str] = []
        compile_for_real = expressions.compile

        def counting(expression: str) -> CompiledExpression:
            compiled.append(expression)
            return compile_for_real(expression)

        monkeypatch.setattr(expressions, "compile", counting)
        await three_actions(engine, condition="a = 1")
        for _ in range(3):
            ticket_id = await engine.submit({})
            await engine.succeed(await engine.current_task(ticket_id), {"a": 1})
            assert (await engine.current_task(ticket_id)).task_key == "two"
        assert compiled == ["a = 1"]

    async def test_another_company_never_gets_the_plan(self, engine: EngineHarness) -> None:
        await three_actions(engine)
        ticket_id = await engine.submit({})
        instance = await engine.instance_of(ticket_id)
        other = EngineHarness(engine.db, engine.settings)
        assert PLANS.get(other.company_id, instance.workflow_definition_id) is None
        assert PLANS.get_version(other.company_id, "wf", 1) is None
