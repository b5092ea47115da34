"""Deadlines: what the engine's durable timers do when an action attempt's deadline passes, or
a FORM task's due time (handed to `due`)."""

from datetime import timedelta

from contracts.engine import TaskStatus, WorkflowStatus
from engine.models import Timer
from engine.workflows.due import DUE_TIMER_KINDS, DueDates
from engine.workflows.progress import RUNNER_DEADLINE, Progress
from engine.workflows.states import IncidentKind
from engine.workflows.step import Part, Step, now_utc

# A deadline that falls due while the workflow is held waits this long, unless resume() fires it.
HELD_DEADLINE_RECHECK = timedelta(days=1)


class Deadlines(Part):
    def __init__(self, step: Step, progress: Progress, due: DueDates) -> None:
        super().__init__(step)
        self.progress = progress
        self.due = due

    async def fire(self, timer: Timer) -> None:
        """A deadline of an action attempt passed. Waiting for the runners, the request is sent
        again; waiting for a callback, the task tries again while retries remain, then raises
        an incident. A FORM task's due timers go to its due dates."""
        if timer.kind in DUE_TIMER_KINDS:
            await self.due.fire(timer)
            return
        found = await self.tasks.get(timer.task_instance_id)
        if found is None:
            return
        instance, task = await self.locked_task(found.id)
        if task.status != TaskStatus.IN_PROGRESS or task.attempt != timer.attempt:
            return
        if instance.status != WorkflowStatus.RUNNING:
            # Kept for resume(), which fires it at once.
            await self.timers.schedule(task.id, timer.kind, timer.attempt, now_utc() + HELD_DEADLINE_RECHECK)
            return
        plan = await self.plan(instance)
        if timer.kind == RUNNER_DEADLINE:
            await self.progress.resend_request(instance, plan, task)
            return
        spec = plan.task(task.task_key)
        max_retries = spec.max_retries if spec.max_retries is not None else self.settings.default_max_retries
        if task.retries < max_retries:
            task.retries += 1
            await self.record(
                instance,
                task,
                "action.timed_out",
                f"Attempt {task.attempt} had no result by its deadline; "
                f"retry {task.retries} of {max_retries}",
            )
            await self.progress.request_action(instance, plan, task)
        else:
            await self.progress.fail_task(
                instance,
                task,
                f"no result after {task.attempt} attempts (the last timed out)",
                IncidentKind.TIMEOUT,
            )
