"""The ticket team's operations on an instance: hold, resume, cancel, and resolving an
incident by retrying or skipping the task behind it."""

from typing import Any
from uuid import UUID

from common.errors import Conflict, ValidationProblem
from contracts.engine import (
    DONE_TASK_STATUSES,
    TaskStatus,
    WorkflowCancelled,
    WorkflowHeld,
    WorkflowResumed,
    WorkflowStatus,
)
from engine.models import TaskInstance, WorkflowInstance
from engine.tasks.data import output_problems
from engine.workflows.assignment import Assignment
from engine.workflows.progress import Progress
from engine.workflows.states import IncidentKind
from engine.workflows.step import Part, Step, now_utc


class Admin(Part):
    def __init__(self, step: Step, progress: Progress, assignment: Assignment) -> None:
        super().__init__(step)
        self.progress = progress
        self.assignment = assignment

    async def hold(self, instance_id: UUID) -> WorkflowInstance:
        instance = await self.locked_instance(instance_id)
        if instance.status != WorkflowStatus.RUNNING:
            raise Conflict(f"Only a running workflow can be held; this one is {instance.status}.")
        instance.status = WorkflowStatus.ON_HOLD
        await self.workflows.flush()
        await self.record(instance, None, "workflow.held", "Workflow put on hold")
        await self.emit(WorkflowHeld, instance)
        return instance

    async def resume(self, instance_id: UUID) -> WorkflowInstance:
        instance = await self.locked_instance(instance_id)
        if instance.status != WorkflowStatus.ON_HOLD:
            raise Conflict(f"Only a held workflow can be resumed; this one is {instance.status}.")
        instance.status = WorkflowStatus.RUNNING
        await self.workflows.flush()
        await self.record(instance, None, "workflow.resumed", "Workflow resumed")
        await self.emit(WorkflowResumed, instance)
        if instance.current_task_instance_id is None:
            return instance
        task = await self.tasks.get(instance.current_task_instance_id, fresh=True)
        assert task is not None
        if task.status in DONE_TASK_STATUSES and not await self.workflows.decided(task.id):
            await self.progress.leave(instance, task)
        elif (
            task.status == TaskStatus.IN_PROGRESS
            and task.task_type != "FORM"
            and task.deadline_at is not None
            and task.deadline_at <= now_utc()
        ):
            # The deadline passed while held; its timer fires now.
            await self.timers.fire_now(task.id)
        elif (
            task.task_type == "FORM"
            and task.status in (TaskStatus.PENDING, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)
            and task.due_at is not None
            and task.escalated_at is None
            and task.due_at <= now_utc()
        ):
            # It fell due while held: the escalation runs now.
            await self.timers.fire_now(task.id)
        return instance

    async def cancel(self, instance_id: UUID) -> WorkflowInstance:
        instance = await self.locked_instance(instance_id)
        if instance.status in (WorkflowStatus.COMPLETED, WorkflowStatus.CANCELLED):
            raise Conflict(f"The workflow is already {instance.status}.")
        for task in await self.tasks.open_of_instance(instance.id):
            task.status = TaskStatus.CANCELLED
            await self.timers.cancel(task.id)
        instance.status = WorkflowStatus.CANCELLED
        instance.completed_at = now_utc()
        await self.workflows.flush()
        await self.record(instance, None, "workflow.cancelled", "Workflow cancelled")
        await self.emit(WorkflowCancelled, instance)
        return instance

    async def _incident_task(self, instance: WorkflowInstance) -> TaskInstance:
        if instance.status != WorkflowStatus.INCIDENT or not instance.incident:
            raise Conflict(f"The workflow has no open incident; it is {instance.status}.")
        task = await self.tasks.get(UUID(instance.incident["task_instance_id"]), fresh=True)
        assert task is not None
        return task

    async def retry(self, instance_id: UUID) -> WorkflowInstance:
        """Retry the task behind the incident (or, for a transition incident, the decision)."""
        instance = await self.locked_instance(instance_id)
        task = await self._incident_task(instance)
        incident = instance.incident or {}
        instance.status = WorkflowStatus.RUNNING
        instance.incident = None
        await self.workflows.flush()
        await self.record(instance, task, "incident.retried", "Incident retried", info=incident)
        await self.emit(WorkflowResumed, instance, task, "incident retried")
        if incident.get("kind") == IncidentKind.TRANSITION:
            await self.progress.leave(instance, task)
        elif task.task_type == "FORM":
            task.status = TaskStatus.PENDING
            task.assignee_id = None
            task.error = None
            await self.assignment.assign(instance, task)
        else:
            task.retries = 0
            task.error = None
            await self.progress.request_action(instance, await self.plan(instance), task)
        return instance

    async def skip(self, instance_id: UUID, output: Any) -> WorkflowInstance:
        """Close the task behind the incident with the output an admin gives, and move on."""
        instance = await self.locked_instance(instance_id)
        task = await self._incident_task(instance)
        spec = (await self.plan(instance)).task(task.task_key)
        problems = output_problems(spec.output_schema, output, ("body", "output"))
        if problems:
            raise ValidationProblem("The output does not match the task's output schema.", errors=problems)
        incident = instance.incident
        instance.status = WorkflowStatus.RUNNING
        instance.incident = None
        await self.record(
            instance, task, "incident.skipped", "Incident resolved by skipping the task", info=incident
        )
        status = TaskStatus.COMPLETED if task.status == TaskStatus.COMPLETED else TaskStatus.SKIPPED
        await self.progress.finish_task(
            instance,
            task,
            output,
            status=status,
            action="task.skipped",
            detail="Skipped by an admin with given output",
        )
        return instance
