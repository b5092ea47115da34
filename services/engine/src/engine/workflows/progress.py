"""Progress: starting an instance, entering and leaving tasks, sending action attempts and
taking their results, the people's FORM operations, and raising incidents."""

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid5

from common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from common.expressions import ExpressionError, evaluate, holds, run_bounded
from contracts.actions import (
    ActionAwaitingCallback,
    ActionFailed,
    ActionResult,
    ActionStarted,
    ActionSucceeded,
)
from contracts.engine import (
    ActionRequested,
    TaskCompleted,
    TaskCreated,
    TaskFailed,
    TaskStarted,
    TaskStatus,
    WorkflowCompleted,
    WorkflowIncident,
    WorkflowOutcome,
    WorkflowResumed,
    WorkflowStarted,
    WorkflowStatus,
)
from contracts.ids import uuid7
from contracts.tickets import TicketSubmitted
from engine.definitions.service import PLANS, TicketPin, WorkflowPlan
from engine.models import TaskInstance, WorkflowInstance
from engine.tasks.data import merge, output_problems
from engine.workflows.assignment import Assignment
from engine.workflows.due import DueDates
from engine.workflows.outcomes import entering_transition, message_text, outcome_spec
from engine.workflows.states import IncidentKind
from engine.workflows.step import Part, Step, aware, now_utc, spoken
from engine.workflows.transitions import DecisionOutcome, Transition, TransitionChoice, choose_transition

log = logging.getLogger(__name__)

# Waiting for a receiving system's callback: when it passes, the attempt has expired (the task
# retries, then raises an incident).
ACTION_DEADLINE = "action_deadline"
# Waiting for the runners: when it passes, the same request is sent again and nothing expires.
# The runners keep every request in a durable job until they answer it, so a request without a
# result is queued or in a runner's hands, and expiring it would only call the receiving system
# a second time.
RUNNER_DEADLINE = "runner_deadline"


class DefinitionNotHeld(Exception):
    """The workflow definition has not reached the engine yet: the event is retried."""


def action_request_id(task_instance_id: UUID, attempt: int) -> UUID:
    """The request id of one attempt of an action task, derived from both: a late result names
    the attempt it answers, and a result of an attempt never sent cannot pass for one."""
    return uuid5(task_instance_id, f"attempt-{attempt}")


class Progress(Part):
    def __init__(self, step: Step, assignment: Assignment, due: DueDates) -> None:
        super().__init__(step)
        self.assignment = assignment
        self.due = due

    async def start(self, ticket: TicketSubmitted) -> WorkflowInstance:
        version = ticket.workflow_version
        if version is None:
            version = await self.pinned_version(ticket)
        if version is None:
            # The latest: its number, then its plan from memory (read only when not there).
            version = await self.definitions.latest_workflow_version(ticket.workflow_key)
        plan = PLANS.get_version(self.company_id, ticket.workflow_key, version) if version else None
        if plan is None:
            definition = (
                await self.definitions.workflow(ticket.workflow_key, version) if version is not None else None
            )
            if definition is None:
                existing = await self.workflows.by_ticket(ticket.ticket_id)
                if existing is not None:
                    return existing
                wanted = f"v{version}" if version is not None else "any version"
                raise DefinitionNotHeld(
                    f"workflow '{ticket.workflow_key}' ({wanted}) is not known to the engine yet"
                )
            plan = PLANS.get(self.company_id, definition.id) or PLANS.put(
                self.company_id, WorkflowPlan.of(definition)
            )
        # The instance is written at once, in the statement that finds out whether the ticket
        # started one already (another event of the same ticket): it has, when nothing is written.
        instance = await self.workflows.add_for_ticket(
            id=uuid7(),
            ticket_id=ticket.ticket_id,
            ticket_number=ticket.number,
            ticket_title=ticket.title,
            ticket_definition_key=ticket.ticket_definition_key,
            workflow_definition_id=plan.definition_id,
            workflow_key=plan.key,
            workflow_version=plan.version,
            status=WorkflowStatus.RUNNING,
            workflow_data=dict(ticket.ticket_data),
            submitted_by=ticket.submitted_by,
            # Named now so the instance is written once, with its first task (which, with no
            # relationship between the two mappings, needs the instance's row before its own).
            current_task_instance_id=uuid7(),
        )
        if instance is None:
            existing = await self.workflows.by_ticket(ticket.ticket_id)
            if existing is None:
                raise RuntimeError(f"ticket {ticket.ticket_id} has an instance that cannot be read")
            return existing
        await self.record(
            instance,
            None,
            "workflow.started",
            f"Started {plan.key} v{plan.version} for ticket {ticket.number}",
            data_after=instance.workflow_data,
        )
        await self.emit(WorkflowStarted, instance)
        await self.enter_task(
            instance, plan, plan.start_task, sequence=1, task_id=instance.current_task_instance_id
        )
        return instance

    async def pinned_version(self, ticket: TicketSubmitted) -> int | None:
        """The workflow version the ticket's definition version names (None: the latest, or a
        definition not held yet), read once per process for a definition held."""
        key, version = ticket.ticket_definition_key, ticket.ticket_definition_version
        pin = PLANS.pin(self.company_id, key, version)
        if pin is None:
            held = await self.definitions.ticket_definition(key, version)
            if held is None:
                return None
            pin = PLANS.put_pin(self.company_id, key, version, TicketPin(held.workflow_version))
        return pin.workflow_version

    async def enter_task(
        self,
        instance: WorkflowInstance,
        plan: WorkflowPlan,
        task_key: str,
        *,
        sequence: int,
        task_id: UUID | None = None,
    ) -> TaskInstance:
        """Create the task the instance moves to. `sequence` is one past the task it leaves
        (tasks of an instance run one after another, and the unique key on the sequence turns
        a replayed step into an error rather than a second task)."""
        spec = plan.task(task_key)
        task = TaskInstance(
            company_id=self.company_id,
            id=task_id or uuid7(),
            workflow_instance_id=instance.id,
            sequence=sequence,
            task_key=spec.key,
            name=spec.name,
            task_type=spec.task_type,
            status=TaskStatus.PENDING,
            attempt=0,
            retries=0,
        )
        self.tasks.add(task)
        instance.current_task_instance_id = task.id
        await self.record(instance, task, "task.created", f"Task '{spec.name}' ({spec.task_type}) created")
        if spec.task_type == "FORM":
            await self.due.start_clock(instance, spec, task)
            await self.emit(TaskCreated, instance, task)
            await self.assignment.assign(instance, task)
        else:
            await self.request_action(instance, plan, task)
        return task

    async def request_action(
        self, instance: WorkflowInstance, plan: WorkflowPlan, task: TaskInstance
    ) -> None:
        """Send a new attempt of an action task to the runners. Every attempt of a task reaches
        the receiving system with the same idempotency key (the runners derive it from the task
        instance); the request id names the attempt."""
        spec = plan.task(task.task_key)
        if spec.action_url is None or spec.task_type == "FORM":
            raise RuntimeError(f"task '{spec.key}' has no action to run")
        task.attempt += 1
        task.request_id = action_request_id(task.id, task.attempt)
        task.status = TaskStatus.IN_PROGRESS
        task.started_at = task.started_at or now_utc()
        await self._send_request(instance, plan, task)
        detail = f"Action requested (attempt {task.attempt})"
        await self.record(
            instance, task, "action.requested", detail, info={"request_id": str(task.request_id)}
        )
        await self.emit(TaskStarted, instance, task, detail)

    async def _send_request(
        self,
        instance: WorkflowInstance,
        plan: WorkflowPlan,
        task: TaskInstance,
        at_least: timedelta = timedelta(0),
    ) -> None:
        """Publish the task's current attempt and watch for its result. The deadline agrees with
        the runner's own budget (every call and its timeout, plus a grace for backoff and
        transit); a runner that starts the attempt later than that moves it (`action.started`)."""
        spec = plan.task(task.task_key)
        assert spec.action_url is not None
        assert spec.task_type != "FORM"
        assert task.request_id is not None
        timeout = spec.timeout_seconds or self.settings.default_action_timeout_seconds
        retries = spec.max_retries if spec.max_retries is not None else self.settings.default_max_retries
        budget = timedelta(seconds=timeout * (retries + 1) + self.settings.action_deadline_grace_seconds)
        task.deadline_at = now_utc() + max(budget, at_least)
        await self.uow.publish(
            ActionRequested(
                request_id=task.request_id,
                workflow_instance_id=instance.id,
                task_instance_id=task.id,
                attempt=task.attempt,
                task_type=spec.task_type,
                action_url=spec.action_url,
                timeout_seconds=timeout,
                max_retries=spec.max_retries,
                input_transform=spec.input_transform,
                output_transform=spec.output_transform,
                workflow_data=instance.workflow_data,
                deadline_at=task.deadline_at,
            )
        )
        await self.timers.schedule(task.id, RUNNER_DEADLINE, task.attempt, task.deadline_at)

    async def resend_request(
        self, instance: WorkflowInstance, plan: WorkflowPlan, task: TaskInstance
    ) -> None:
        """No result by the deadline while the runners hold the attempt: send the same request
        again (same request id and key). A runner that has it ignores the copy; one whose copy
        was lost runs it. No retry is spent, and the next deadline is further off each time
        (at least as long as the task has waited), so a long backlog is not flooded."""
        waited = now_utc() - aware(task.started_at or now_utc())
        await self._send_request(instance, plan, task, at_least=waited)
        await self.record(
            instance,
            task,
            "action.resent",
            f"No result for attempt {task.attempt} yet; the request was sent again",
            info={"request_id": str(task.request_id)},
        )

    async def finish_task(
        self,
        instance: WorkflowInstance,
        task: TaskInstance,
        output: dict[str, Any],
        *,
        status: TaskStatus = TaskStatus.COMPLETED,
        action: str = "task.completed",
        detail: str = "",
    ) -> None:
        """Merge the task's output into the workflow data and move on (unless held)."""
        if task.task_type != "FORM" or task.due_at is not None:  # action deadlines, due timers
            # Deleted with the next task's deadline when there is one, else at the end.
            self.timers.cancel_with_next(task.id)
        before = instance.workflow_data
        after = merge(before, output)
        instance.workflow_data = after
        task.output = output
        task.status = status
        task.completed_at = now_utc()
        task.error = None
        await self.record(
            instance,
            task,
            action,
            detail or f"Task '{task.name}' {status.lower()}",
            data_before=before,
            data_after=after,
        )
        if instance.status == WorkflowStatus.RUNNING:
            await self.leave(instance, task)
        else:
            await self.emit(TaskCompleted, instance, task, detail)  # nothing follows it until resumed

    async def leave(self, instance: WorkflowInstance, task: TaskInstance) -> None:
        """Take the first transition whose condition holds; record why."""
        plan = await self.plan(instance)
        data = instance.workflow_data
        limits = self.limits
        outgoing = plan.outgoing.get(task.task_key, [])

        def decide() -> TransitionChoice:
            return choose_transition(
                task.task_key, outgoing, lambda e: evaluate(plan.condition(e), data, limits), holds
            )

        try:
            # Without a condition to evaluate there is nothing to bound: decide right here.
            choice = await run_bounded(decide, limits) if plan.needs_expressions(task.task_key) else decide()
        except ExpressionError as exc:
            choice = TransitionChoice(
                DecisionOutcome.INCIDENT, None, f"conditions leaving '{task.task_key}': {exc}"
            )
        tried = [t.as_dict() for t in choice.tried]
        self.step.decide(
            {
                "workflow_instance_id": instance.id,
                "from_task_instance_id": task.id,
                "from_task_key": task.task_key,
                "to_task_key": choice.to_task,
                "outcome": choice.outcome.value,
                "tried": tried,
                "reason": choice.reason,
            }
        )
        await self.record(
            instance,
            task,
            "transition.decided",
            choice.reason,
            info={"outcome": choice.outcome.value, "tried": tried},
        )
        if choice.outcome is DecisionOutcome.TRANSITION:
            assert choice.to_task is not None
            await self.enter_task(instance, plan, choice.to_task, sequence=task.sequence + 1)
        elif choice.outcome is DecisionOutcome.COMPLETED:
            await self.complete(instance, plan, task)
        else:
            await self.raise_incident(instance, task, IncidentKind.TRANSITION, choice.reason)

    async def complete(self, instance: WorkflowInstance, plan: WorkflowPlan, task: TaskInstance) -> None:
        """End the workflow at `task` with the outcome its definition names there. A message
        that fails to evaluate does not hold the workflow back (its version can no longer be
        fixed): it ends with the outcome and no message, and the history says why."""
        entered_by: Transition | None = None
        if plan.entry_names_outcome(task.task_key):
            # Read back only when it can matter: a round trip the other ends save.
            decisions = await self.workflows.decisions(instance.id)
            entered_by = entering_transition(plan, task.task_key, decisions)
        spec = outcome_spec(plan, task.task_key, entered_by)
        outcome: WorkflowOutcome | None = None
        problem: str | None = None
        if spec is not None:
            message: str | None = None
            if spec.message is not None and spec.message.strip():
                data, limits, expression = instance.workflow_data, self.limits, spec.message
                try:
                    message = message_text(
                        await run_bounded(lambda: evaluate(plan.condition(expression), data, limits), limits)
                    )
                except ExpressionError as exc:
                    problem = f"the outcome's message failed to evaluate: {exc}"
            outcome = WorkflowOutcome(key=spec.key, label=spec.label, message=message)
        instance.status = WorkflowStatus.COMPLETED
        instance.completed_at = now_utc()
        instance.outcome = outcome.model_dump(mode="json") if outcome else None
        detail = f"Workflow completed: {outcome.label}" if outcome else "Workflow completed"
        info: dict[str, Any] | None = None
        if outcome is not None:
            info = {"outcome": instance.outcome, **({"problem": problem} if problem else {})}
        await self.record(instance, None, "workflow.completed", detail, info=info)
        await self.emit(WorkflowCompleted, instance, outcome=outcome)

    async def raise_incident(
        self, instance: WorkflowInstance, task: TaskInstance, kind: IncidentKind, message: str
    ) -> None:
        instance.status = WorkflowStatus.INCIDENT
        instance.incident = {
            "kind": kind.value,
            "task_instance_id": str(task.id),
            "task_key": task.task_key,
            "message": message,
            "raised_at": now_utc().isoformat(),
        }
        await self.workflows.flush()
        await self.record(instance, task, "workflow.incident", message, info=instance.incident)
        await self.emit(WorkflowIncident, instance, task, message)

    @staticmethod
    def _is_attempt_of(task: TaskInstance, result: ActionResult) -> bool:
        """The result answers the task's current attempt or one of its earlier ones."""
        if result.request_id == task.request_id:
            return True
        return 0 < result.attempt < task.attempt and result.request_id == action_request_id(
            task.id, result.attempt
        )

    async def _waiting_task(
        self, result: ActionResult, *, late: bool
    ) -> tuple[WorkflowInstance, TaskInstance] | None:
        """The task the result is for, if it still takes it. The current attempt's result is
        taken while the task is in progress. With `late`, so is a result of an earlier attempt
        (no newer one has produced a result, or the task would have moved on), and one that
        arrives after the engine gave up waiting (a timeout incident on this task, which the
        result then resolves). Results of finished tasks or cancelled workflows are ignored."""
        found = await self.workflows.locked_with_task(result.task_instance_id, result.workflow_instance_id)
        if found is None:
            return None
        instance, task = found
        if not self._is_attempt_of(task, result):
            return None
        current = result.request_id == task.request_id
        if task.status == TaskStatus.IN_PROGRESS and (current or late):
            return instance, task
        incident = instance.incident or {}
        if (
            late
            and task.status == TaskStatus.ERROR
            and instance.status == WorkflowStatus.INCIDENT
            and incident.get("kind") == IncidentKind.TIMEOUT
            and incident.get("task_instance_id") == str(task.id)
        ):
            instance.status = WorkflowStatus.RUNNING
            instance.incident = None
            task.status = TaskStatus.IN_PROGRESS
            task.error = None
            await self.workflows.flush()
            detail = f"A late result of attempt {result.attempt} resolved the timeout"
            await self.record(instance, task, "incident.resolved", detail, info=incident)
            await self.emit(WorkflowResumed, instance, task, detail)
            return instance, task
        log.info("ignoring a result for task %s: not waiting for request %s", task.id, result.request_id)
        return None

    async def action_started(self, notice: ActionStarted) -> None:
        """A runner took the attempt late (after a queue, or from a runner that died): the
        deadline moves to when it has promised to answer."""
        found = await self._waiting_task(notice, late=False)
        if found is None:
            return
        instance, task = found
        answer_by = aware(notice.answer_by)
        task.deadline_at = answer_by + timedelta(seconds=self.settings.action_deadline_grace_seconds)
        await self.timers.schedule(task.id, RUNNER_DEADLINE, task.attempt, task.deadline_at)
        await self.workflows.flush()
        await self.record(
            instance,
            task,
            "action.started",
            f"A runner took attempt {task.attempt}; it answers by {spoken(answer_by)}",
            info={"answer_by": answer_by.isoformat()},
        )

    async def action_succeeded(self, result: ActionSucceeded) -> None:
        found = await self._waiting_task(result, late=True)
        if found is None:
            return
        instance, task = found
        await self.finish_task(
            instance,
            task,
            result.output,
            action="action.succeeded",
            detail=f"Action succeeded (attempt {result.attempt})",
        )

    async def action_awaiting_callback(self, result: ActionAwaitingCallback) -> None:
        found = await self._waiting_task(result, late=True)
        if found is None:
            return
        instance, task = found
        try:
            expires_at = aware(datetime.fromisoformat(result.expires_at))
        except ValueError:
            expires_at = now_utc()
        task.deadline_at = expires_at + timedelta(seconds=self.settings.action_deadline_grace_seconds)
        # From here the receiving system owes the answer: the deadline is an expiry.
        await self.timers.cancel(task.id)
        await self.timers.schedule(task.id, ACTION_DEADLINE, task.attempt, task.deadline_at)
        await self.workflows.flush()
        await self.record(
            instance,
            task,
            "action.awaiting_callback",
            f"Waiting for the callback until {spoken(expires_at)}",
            info={"expires_at": expires_at.isoformat()},
        )

    async def action_failed(self, result: ActionFailed) -> None:
        # A failure of an earlier attempt is not taken: the newer attempt answers for itself.
        found = await self._waiting_task(result, late=False)
        if found is None:
            return
        instance, task = found
        status = f" (HTTP {result.status_code})" if result.status_code is not None else ""
        await self.fail_task(instance, task, f"{result.error}{status}", IncidentKind.ACTION_FAILED)

    async def fail_task(
        self, instance: WorkflowInstance, task: TaskInstance, error: str, kind: IncidentKind
    ) -> None:
        task.status = TaskStatus.ERROR
        task.error = error
        await self.timers.cancel(task.id)
        await self.workflows.flush()
        await self.record(instance, task, "task.failed", error)
        await self.emit(TaskFailed, instance, task, error)
        await self.raise_incident(instance, task, kind, f"Task '{task.name}' failed: {error}")

    async def complete_form(
        self, task_id: UUID, user_id: UUID, output: Any, expected_version: int
    ) -> TaskInstance:
        instance, task = await self.locked_task(task_id)
        if task.task_type != "FORM":
            raise Conflict("Only FORM tasks are completed by people.")
        if task.assignee_id != user_id:
            raise Forbidden("This task is assigned to someone else.")
        if task.status not in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS):
            raise Conflict(f"The task is already {task.status}.")
        if expected_version != task.version:
            raise Conflict("The task changed since it was read; reload it and try again.")
        if instance.status != WorkflowStatus.RUNNING:
            raise Conflict(f"The workflow is {instance.status}; the task cannot be completed now.")
        spec = (await self.plan(instance)).task(task.task_key)
        problems = output_problems(spec.output_schema, output, ("body", "output"))
        if problems:
            raise ValidationProblem("The output does not match the task's output schema.", errors=problems)
        await self.finish_task(instance, task, output)
        return task

    async def start_form(self, task_id: UUID, user_id: UUID) -> TaskInstance:
        instance, task = await self.locked_task(task_id)
        if task.task_type != "FORM" or task.assignee_id != user_id:
            raise NotFound("No such task among yours.")
        if task.status != TaskStatus.ASSIGNED:
            raise Conflict(f"The task is {task.status}; only an assigned task can be started.")
        task.status = TaskStatus.IN_PROGRESS
        task.started_at = now_utc()
        await self.workflows.flush()
        await self.record(instance, task, "task.started", "Work on the task started")
        await self.emit(TaskStarted, instance, task)
        return task
