"""Assignment: giving FORM tasks to task workers by the company's strategy, taking queued
tasks when someone becomes available, reassigning by hand, and giving back the tasks of someone
who can no longer work on them."""

from uuid import UUID

from common.errors import Conflict, ValidationProblem
from contracts.engine import TaskAssigned, TaskStatus
from engine.models import TaskInstance, WorkflowInstance
from engine.workers.assignment import AssignmentStrategy, choose_assignee
from engine.workflows.step import Part, now_utc


class Assignment(Part):
    async def assign(self, instance: WorkflowInstance, task: TaskInstance) -> bool:
        """Give a FORM task to a worker by the company's strategy; False leaves it queued."""
        await self.workers.lock_assignment()
        settings = await self.workers.settings()
        strategy = AssignmentStrategy(
            settings.assignment_strategy if settings else AssignmentStrategy.SHORTEST_QUEUE
        )
        choice = choose_assignee(await self.workers.candidates(), strategy)
        if choice is None:
            await self.record(
                instance, task, "task.queued", "No task worker is available; the task waits in the queue"
            )
            return False
        now = now_utc()
        task.assignee_id = choice.user_id
        task.assigned_at = now
        task.assignment = choice.reason
        task.status = TaskStatus.ASSIGNED
        await self.workers.mark_assigned(choice.user_id, now)
        await self.workflows.flush()
        await self.record(instance, task, "task.assigned", choice.reason["explanation"], info=choice.reason)
        await self.emit(TaskAssigned, instance, task, choice.reason["explanation"])
        return True

    async def escalate(
        self,
        instance: WorkflowInstance,
        task: TaskInstance,
        *,
        passing_over: UUID | None = None,
        company_role: str | None = None,
    ) -> bool:
        """Give an overdue task to someone else by the company's strategy: anyone available but
        its late assignee, or the available workers holding `company_role`. False when there is
        nobody: the task stays with whoever has it (a late task is better kept than queued)."""
        await self.workers.lock_assignment()
        settings = await self.workers.settings()
        strategy = AssignmentStrategy(
            settings.assignment_strategy if settings else AssignmentStrategy.SHORTEST_QUEUE
        )
        candidates = await self.workers.candidates(company_role=company_role, passing_over=passing_over)
        choice = choose_assignee(candidates, strategy)
        if choice is None:
            return False
        now = now_utc()
        reason = {
            **choice.reason,
            "explanation": f"overdue: {choice.reason['explanation']}",
            "escalation": {
                "passing_over": str(passing_over) if passing_over else None,
                "group": company_role,
            },
        }
        task.assignee_id = choice.user_id
        task.assigned_at = now
        task.assignment = reason
        # The new assignee has not started it, whatever the late one had done.
        task.status = TaskStatus.ASSIGNED
        await self.workers.mark_assigned(choice.user_id, now)
        await self.workflows.flush()
        await self.record(instance, task, "task.assigned", reason["explanation"], info=reason)
        await self.emit(TaskAssigned, instance, task, reason["explanation"])
        return True

    async def assign_queued(self) -> int:
        """Assign waiting FORM tasks, oldest first, while someone is available."""
        await self.workers.lock_assignment()
        assigned = 0
        for queued in await self.tasks.queued():
            instance, task = await self.locked_task(queued.id)
            if task.status != TaskStatus.PENDING or task.assignee_id is not None:
                continue
            if not await self.assign(instance, task):
                break
            assigned += 1
        return assigned

    async def reassign(self, task_id: UUID, assignee_id: UUID, expected_version: int | None) -> TaskInstance:
        instance, task = await self.locked_task(task_id)
        if task.task_type != "FORM":
            raise Conflict("Only FORM tasks are assigned to people.")
        if task.status not in (TaskStatus.PENDING, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS):
            raise Conflict(f"The task is {task.status}; only open tasks can be reassigned.")
        if expected_version is not None and expected_version != task.version:
            raise Conflict("The task changed since it was read; reload it and try again.")
        worker = await self.workers.get(assignee_id)
        if worker is None or not worker.is_active or not worker.is_task_worker:
            raise ValidationProblem(
                "The assignee must be an active task worker of the company.",
                errors=[
                    {
                        "loc": ["body", "assignee_id"],
                        "msg": "not an active task worker",
                        "type": "value_error",
                    }
                ],
            )
        await self.workers.lock_assignment()
        previous = task.assignee_id
        now = now_utc()
        task.assignee_id = assignee_id
        task.assigned_at = now
        task.status = TaskStatus.ASSIGNED
        task.assignment = {
            "strategy": "manual",
            "chosen": str(assignee_id),
            "explanation": f"reassigned by hand to {worker.display_name}",
            "previous": str(previous) if previous else None,
            "by": self.uow.actor.id,
            "tie_break": None,
            "compared": [],
        }
        await self.workers.mark_assigned(assignee_id, now)
        await self.workflows.flush()
        await self.record(
            instance, task, "task.reassigned", task.assignment["explanation"], info=task.assignment
        )
        await self.emit(TaskAssigned, instance, task, task.assignment["explanation"])
        return task

    async def requeue_tasks_of(self, user_id: UUID, reason: str) -> None:
        """Give back the open tasks of someone who can no longer work on them."""
        for open_task in await self.tasks.open_form_tasks_of(user_id):
            instance, task = await self.locked_task(open_task.id)
            if task.assignee_id != user_id or task.status not in (
                TaskStatus.ASSIGNED,
                TaskStatus.IN_PROGRESS,
            ):
                continue
            task.status = TaskStatus.PENDING
            task.assignee_id = None
            await self.workflows.flush()
            await self.record(instance, task, "task.unassigned", reason)
            await self.assign(instance, task)
