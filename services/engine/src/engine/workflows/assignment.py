"""Assignment: giving FORM tasks to task workers by the rule each follows (the task
definition's, else the company's, else shortest queue), taking queued tasks when someone
becomes available, assigning by hand, and giving back the tasks of someone who can no longer
work on them. Every assignment is recorded with who or what made it and why."""

from typing import Any
from uuid import UUID

from common.errors import Conflict, ValidationProblem
from contracts.assignment import AssignmentStrategy, CompanyRoleRule, GroupRule, MadeBy
from contracts.engine import TaskAssigned, TaskStatus
from engine.assignment import choice as rules
from engine.models import TaskInstance, WorkflowInstance
from engine.workers.assignment import (
    AssignmentChoice,
    PoolsLeft,
    ResolvedRule,
    manual_reason,
    waiting_reason,
)
from engine.workflows.step import Part, now_utc


def _pool_key(resolved: ResolvedRule) -> tuple[str, str | None, str | None]:
    rule = resolved.rule
    return (
        "everyone" if not isinstance(rule, GroupRule | CompanyRoleRule) else rule.strategy.value,
        rule.group if isinstance(rule, GroupRule) else None,
        rule.company_role if isinstance(rule, CompanyRoleRule) else None,
    )


class Assignment(Part):
    async def _choose(
        self, instance: WorkflowInstance, task: TaskInstance
    ) -> tuple[ResolvedRule, AssignmentChoice | None]:
        spec = (await self.plan(instance)).task(task.task_key)
        return await rules.choose(self.uow, instance.workflow_key, spec)

    async def assign(self, instance: WorkflowInstance, task: TaskInstance, *, note_wait: bool = True) -> bool:
        """Give a FORM task to a worker by its rule; False leaves it queued (noted in its
        history with the reason unless `note_wait` is off)."""
        # A task entered in this step is written once, assigned, by the step's flush: nothing
        # read here needs it written before (it is not anyone's open task yet).
        with self.uow.session.no_autoflush:
            await self.workers.lock_assignment()
            resolved, choice = await self._choose(instance, task)
            if choice is None:
                if note_wait:
                    await self.record(
                        instance,
                        task,
                        "task.queued",
                        waiting_reason(resolved),
                        info={"strategy": resolved.rule.strategy.value, "source": resolved.source.value},
                    )
                return False
            await self._give(instance, task, choice.user_id, choice.reason, MadeBy.STRATEGY, "task.assigned")
        return True

    async def _give(
        self,
        instance: WorkflowInstance,
        task: TaskInstance,
        assignee_id: UUID,
        reason: dict[str, Any],
        made_by: MadeBy,
        action: str,
    ) -> None:
        previous = task.assignee_id
        now = now_utc()
        task.assignee_id = assignee_id
        task.assigned_at = now
        task.assignment = reason
        task.status = TaskStatus.ASSIGNED
        await self.workers.mark_assigned(assignee_id, now)
        # With the step's additions: the record refers to the task row, which a new task has
        # only once the step's flush has run.
        self.step.add_assignment(
            rules.assignment_record(self.uow, task, previous=previous, made_by=made_by, reason=reason),
        )
        # History and timeline lines are sentences; the reason's phrase starts one.
        sentence = str(reason["explanation"])
        sentence = sentence[:1].upper() + sentence[1:]
        await self.record(instance, task, action, sentence, info=reason)
        await self.emit(TaskAssigned, instance, task, sentence)

    async def escalate(
        self,
        instance: WorkflowInstance,
        task: TaskInstance,
        *,
        passing_over: UUID | None = None,
        company_role: str | None = None,
    ) -> bool:
        """Give an overdue task to someone else: by its own rule, anyone available but its late
        assignee, or the available workers holding `company_role`. False when there is nobody:
        the task stays with whoever has it (a late task is better kept than queued)."""
        await self.workers.lock_assignment()
        spec = (await self.plan(instance)).task(task.task_key)
        resolved, group_id = await rules.resolve(self.uow, instance.workflow_key, spec)
        if company_role is not None:
            role_rule = CompanyRoleRule(strategy=AssignmentStrategy.COMPANY_ROLE, company_role=company_role)
            resolved, group_id = ResolvedRule(role_rule, resolved.source), None
        choice = await rules.pick(self.uow, resolved, group_id, passing_over=passing_over)
        if choice is None:
            return False
        reason = {
            **choice.reason,
            "explanation": f"overdue: {choice.reason['explanation']}",
            "escalation": {
                "passing_over": str(passing_over) if passing_over else None,
                "group": company_role,
            },
        }
        await self._give(instance, task, choice.user_id, reason, MadeBy.STRATEGY, "task.assigned")
        return True

    async def assign_queued(self) -> int:
        """Assign waiting FORM tasks, oldest first, each by its own rule: a task whose pool
        (a group, a company role) has nobody available waits, and the ones after it still go."""
        await self.workers.lock_assignment()
        assigned = 0
        # Pools found empty in this pass stay empty (the lock holds the roster still), so the
        # tasks after the first that waits for one are not looked at again.
        empty: set[tuple[str, str | None, str | None]] = set()
        for queued in await self.tasks.queued():
            instance, task = await self.locked_task(queued.id)
            if task.status != TaskStatus.PENDING or task.assignee_id is not None:
                continue
            spec = (await self.plan(instance)).task(task.task_key)
            resolved, group_id = await rules.resolve(self.uow, instance.workflow_key, spec)
            pool = _pool_key(resolved)
            if pool in empty:
                continue
            choice = await rules.pick(self.uow, resolved, group_id)
            if choice is None:
                empty.add(pool)
                continue
            await self._give(instance, task, choice.user_id, choice.reason, MadeBy.STRATEGY, "task.assigned")
            assigned += 1
        return assigned

    async def reassign(
        self, task_id: UUID, assignee_id: UUID, expected_version: int | None, note: str | None = None
    ) -> TaskInstance:
        """Assign an open FORM task by hand (queued, or someone else's) to an active task worker."""
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
        note = note.strip() or None if note else None
        actor = self.uow.actor.id if self.uow.actor.kind == "user" else None
        people = {assignee_id} | ({task.assignee_id} if task.assignee_id else set())
        names = await self.workers.names(people | ({UUID(actor)} if actor else set()))
        open_tasks = await self.workers.open_task_count(assignee_id)
        reason = manual_reason(
            chosen=assignee_id,
            chosen_name=worker.display_name,
            open_tasks=open_tasks,
            by=actor,
            by_name=names.get(UUID(actor)) if actor else None,
            previous=task.assignee_id,
            previous_name=names.get(task.assignee_id) if task.assignee_id else None,
            note=note,
        )
        await self._give(instance, task, assignee_id, reason, MadeBy.PERSON, "task.reassigned")
        return task

    async def requeue_tasks_of(self, user_id: UUID, reason: str, *, left: PoolsLeft | None = None) -> None:
        """Give back the open tasks of someone who can no longer work on them (with `left`,
        only those whose rule narrows to a pool they left): each goes to whom its rule picks
        now, or waits in the queue."""
        # The company's lock before any task's, in the order the queue's assignment takes them.
        await self.workers.lock_assignment()
        for open_task in await self.tasks.open_form_tasks_of(user_id):
            instance, task = await self.locked_task(open_task.id)
            if task.assignee_id != user_id or task.status not in (
                TaskStatus.ASSIGNED,
                TaskStatus.IN_PROGRESS,
            ):
                continue
            if left is not None:
                spec = (await self.plan(instance)).task(task.task_key)
                resolved, _ = await rules.resolve(self.uow, instance.workflow_key, spec)
                if not left.narrow(resolved):
                    continue
            task.status = TaskStatus.PENDING
            task.assignee_id = None
            await self.workflows.flush()
            await self.record(instance, task, "task.unassigned", reason)
            await self.assign(instance, task)
