"""Due dates of FORM tasks and their escalation, on the engine's durable timers.

A FORM task whose definition sets `due_in` gets `due_at` when it is entered, and two timers:
one at the warning point before it (`task.due_soon`) and one at `due_at`. When the second fires
with the task still open, the task is overdue: `escalated_at` is stamped, and the definition's
escalation runs: assignment again passing over the late assignee, or the task handed to the
workers of a company role; `task.overdue` tells whom to notify. Both timers go when the task is
finished or cancelled, and a restart loses neither: they are rows, like every other deadline.
"""

from datetime import datetime, timedelta
from typing import Any

from common.durations import DurationError, looks_like_duration, parse_duration
from common.expressions import ExpressionError, evaluate_text, run_bounded
from contracts.definitions import EscalationSpec, TaskDefinitionSpec
from contracts.engine import TaskDueSoon, TaskOverdue, TaskStatus, WorkflowStatus
from engine.models import TaskInstance, Timer, WorkflowInstance
from engine.workflows.assignment import Assignment
from engine.workflows.step import Part, Step, aware, now_utc, spoken

TASK_DUE = "task_due"
TASK_DUE_SOON = "task_due_soon"
DUE_TIMER_KINDS = (TASK_DUE, TASK_DUE_SOON)
# The warning comes this share of the task's time before it is due, at most a day before.
DUE_SOON_SHARE = 0.25
DUE_SOON_MAX_LEAD = timedelta(days=1)
# An overdue escalation that falls due while the workflow is held waits this long, unless
# resume() fires it.
HELD_RECHECK = timedelta(days=1)
OPEN_FORM_STATUSES = (TaskStatus.PENDING, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


class DueInProblem(Exception):
    """A `due_in` expression gave nothing a due time can be made of."""


def due_soon_at(created_at: datetime, due_at: datetime) -> datetime:
    lead = min((due_at - created_at) * DUE_SOON_SHARE, DUE_SOON_MAX_LEAD)
    return due_at - lead


def due_from_value(value: Any, now: datetime) -> datetime:
    """What a `due_in` expression gave: an ISO 8601 duration from now, or an ISO 8601 moment."""
    if not isinstance(value, str) or not value.strip():
        raise DueInProblem(f"due_in gave {value!r}, not a duration or a moment")
    if looks_like_duration(value):
        try:
            return now + parse_duration(value)
        except DurationError as exc:
            raise DueInProblem(f"due_in gave {value!r}: {exc}") from exc
    try:
        return aware(datetime.fromisoformat(value.strip()))
    except ValueError as exc:
        raise DueInProblem(f"due_in gave {value!r}, not a duration or an ISO 8601 moment") from exc


class DueDates(Part):
    def __init__(self, step: Step, assignment: Assignment) -> None:
        super().__init__(step)
        self.assignment = assignment

    async def start_clock(
        self, instance: WorkflowInstance, spec: TaskDefinitionSpec, task: TaskInstance
    ) -> None:
        """Give a task entered just now its due time and timers. A `due_in` expression that
        fails leaves the task without a due time (recorded in the history) rather than
        stopping the workflow: a due time is a reminder, not a step."""
        if spec.task_type != "FORM" or not spec.due_in:
            return
        now = now_utc()
        try:
            due_at = await self._due_at(spec.due_in, instance.workflow_data, now)
        except (DueInProblem, ExpressionError) as exc:
            await self.record(instance, task, "task.due_unset", f"No due time: {exc}")
            return
        task.due_at = due_at
        soon = due_soon_at(now, due_at)
        if soon > now:
            await self.timers.schedule(task.id, TASK_DUE_SOON, 0, soon)
        await self.timers.schedule(task.id, TASK_DUE, 0, due_at)
        await self.record(
            instance, task, "task.due", f"Due {spoken(due_at)}", info={"due_at": due_at.isoformat()}
        )

    async def _due_at(self, due_in: str, data: dict[str, Any], now: datetime) -> datetime:
        if looks_like_duration(due_in):
            return now + parse_duration(due_in)
        value = await run_bounded(lambda: evaluate_text(due_in, data, self.limits), self.limits)
        return due_from_value(value, now)

    async def fire(self, timer: Timer) -> None:
        found = await self.tasks.get(timer.task_instance_id)
        if found is None:
            return
        instance, task = await self.locked_task(found.id)
        if task.task_type != "FORM" or task.status not in OPEN_FORM_STATUSES or task.escalated_at is not None:
            return
        if instance.status != WorkflowStatus.RUNNING:
            if timer.kind == TASK_DUE:
                # Kept for resume(), which fires it at once; a warning while held is dropped.
                await self.timers.schedule(task.id, TASK_DUE, 0, now_utc() + HELD_RECHECK)
            return
        if timer.kind == TASK_DUE_SOON:
            if task.due_at is not None and aware(task.due_at) > now_utc():
                due_at = aware(task.due_at)
                await self.record(
                    instance,
                    task,
                    "task.due_soon",
                    f"Due soon, at {spoken(due_at)}",
                    info={"due_at": due_at.isoformat()},
                )
                await self.emit(TaskDueSoon, instance, task, "due soon")
            return
        await self.escalate(instance, task)

    async def escalate(self, instance: WorkflowInstance, task: TaskInstance) -> None:
        spec = (await self.plan(instance)).task(task.task_key)
        escalation = spec.escalation or EscalationSpec()
        task.escalated_at = now_utc()
        previous = task.assignee_id
        if escalation.to_group:
            moved = await self.assignment.escalate(instance, task, company_role=escalation.to_group)
            outcome = (
                f"moved to the '{escalation.to_group}' group"
                if moved
                else f"nobody of the '{escalation.to_group}' group is available; it stays where it is"
            )
        elif escalation.reassign:
            moved = await self.assignment.escalate(instance, task, passing_over=previous)
            outcome = "assigned again" if moved else "nobody else is available; it stays where it is"
        else:
            outcome = "it stays where it is"
        await self.workflows.flush()
        detail = f"Task '{task.name}' is overdue; {outcome}"
        await self.record(
            instance,
            task,
            "task.overdue",
            detail,
            info={
                "escalation": escalation.model_dump(),
                "previous_assignee_id": str(previous) if previous else None,
            },
        )
        await self.emit(
            TaskOverdue,
            instance,
            task,
            detail,
            previous_assignee_id=previous,
            escalation_notify=escalation.notify,
        )
