"""One step of the workflow runtime: everything one message, request or timer does to the
instances of one company, inside the caller's unit of work. Nothing here commits.

Every operation first locks the workflow instance row, so the API, the consumer and the timer
worker change one instance one after another.

A step writes one history row per instance: the first change it records is the row, the rest
ride along in its `entries`, and the row is written with the step's last flush. Events are only
those a consumer needs: an action task, created and started in one step, announces only its
start, and a task left for the next one in the same step is announced by the next one's event
(or the workflow's end or incident).
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.orm import Session

from common.db import UnitOfWork
from common.errors import NotFound
from common.expressions import ExpressionLimits
from contracts.engine import WorkflowEvent
from contracts.ids import uuid7
from engine.config import EngineSettings
from engine.definitions.repository import DefinitionRepository
from engine.definitions.service import PLANS, WorkflowPlan
from engine.models import HistoryEntry, TaskInstance, WorkflowInstance
from engine.tasks.repository import TaskRepository
from engine.timers.repository import TimerRepository
from engine.workers.repository import WorkerRepository
from engine.workflows.repository import WorkflowRepository


def now_utc() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def spoken(moment: datetime) -> str:
    """A moment as a history line says it to people ("2 Dec 2026, 13:20 UTC"); the exact value
    travels in the entry's `info`."""
    return aware(moment).astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")


class Step:
    def __init__(self, uow: UnitOfWork, settings: EngineSettings) -> None:
        assert uow.company_id is not None, "the runtime works inside one company"
        self.uow = uow
        self.settings = settings
        self.company_id: UUID = uow.company_id
        session = uow.session
        self.workflows = WorkflowRepository(session, self.company_id)
        self.tasks = TaskRepository(session, self.company_id)
        self.definitions = DefinitionRepository(session, self.company_id)
        self.workers = WorkerRepository(session, self.company_id)
        self.timers = TimerRepository(session, self.company_id)
        self.limits = ExpressionLimits(settings.expression_timeout_ms, settings.expression_max_depth)
        self._history: dict[UUID, HistoryEntry] = {}
        self._history_hooked = False

    # -- reading -------------------------------------------------------------------------

    async def plan(self, instance: WorkflowInstance) -> WorkflowPlan:
        plan = PLANS.get(self.company_id, instance.workflow_definition_id)
        if plan is None:
            definition = await self.definitions.workflow_by_id(instance.workflow_definition_id)
            if definition is None:
                raise RuntimeError(f"definition {instance.workflow_definition_id} of {instance.id} is gone")
            plan = PLANS.put(self.company_id, WorkflowPlan.of(definition))
        return plan

    async def locked_instance(self, instance_id: UUID) -> WorkflowInstance:
        instance = await self.workflows.get(instance_id, for_update=True)
        if instance is None:
            raise NotFound("No such workflow instance.")
        return instance

    async def locked_task(self, task_id: UUID) -> tuple[WorkflowInstance, TaskInstance]:
        """The task and its instance, the instance locked first and the task re-read after."""
        found = await self.tasks.get_or_404(TaskInstance.id == task_id, detail="No such task.")
        instance = await self.locked_instance(found.workflow_instance_id)
        task = await self.tasks.get(task_id, fresh=True)
        assert task is not None
        return instance, task

    # -- recording -----------------------------------------------------------------------

    async def record(
        self,
        instance: WorkflowInstance,
        task: TaskInstance | None,
        action: str,
        detail: str = "",
        *,
        data_before: dict[str, Any] | None = None,
        data_after: dict[str, Any] | None = None,
        info: dict[str, Any] | None = None,
    ) -> None:
        """Note a change of the instance in this step's history row (see the module doc)."""
        row = self._history.get(instance.id)
        if row is None:
            self._history[instance.id] = HistoryEntry(
                company_id=self.company_id,
                id=uuid7(),
                workflow_instance_id=instance.id,
                task_instance_id=task.id if task else None,
                action=action,
                actor_kind=self.uow.actor.kind,
                actor_id=self.uow.actor.id,
                detail=detail,
                data_before=data_before,
                data_after=data_after,
                info=info,
            )
            self._hook_history()
            return
        # A pending row is not in the session yet, so its list can simply be replaced.
        row.entries = [
            *(row.entries or []),
            {
                "id": str(uuid7()),
                "task_instance_id": str(task.id) if task else None,
                "action": action,
                "detail": detail,
                "data_before": data_before,
                "data_after": data_after,
                "info": info,
                "occurred_at": now_utc().isoformat(),
            },
        ]

    def _hook_history(self) -> None:
        # The row goes into the session when the step's transaction commits, so every change the
        # step records lands in it; `write_history` does it earlier for a caller that reads it back.
        if not self._history_hooked:
            self._history_hooked = True
            event.listen(self.uow.session.sync_session, "before_commit", self._before_commit, once=True)

    def _before_commit(self, session: Session) -> None:
        session.add_all(self._history.values())
        self._history.clear()

    async def write_history(self) -> None:
        """Write the step's history now (the next change starts a new row)."""
        if self._history:
            self.uow.session.add_all(self._history.values())
            self._history.clear()
            await self.workflows.flush()

    async def emit(
        self,
        event: type[WorkflowEvent],
        instance: WorkflowInstance,
        task: TaskInstance | None = None,
        detail: str = "",
        **fields: Any,
    ) -> None:
        """Publish `event` about the instance (and task); `fields` are those only that event
        type carries (a completed workflow's outcome)."""
        await self.uow.publish(
            event(
                workflow_instance_id=instance.id,
                ticket_id=instance.ticket_id,
                workflow_status=instance.status,
                task_instance_id=task.id if task else None,
                task_key=task.task_key if task else None,
                task_name=task.name if task else None,
                task_status=task.status if task else None,
                assignee_id=task.assignee_id if task else None,
                detail=detail,
                due_at=task.due_at if task else None,
                **fields,
            )
        )


class Part:
    """A part of the runtime (progress, assignment, deadlines, admin) working in one step."""

    def __init__(self, step: Step) -> None:
        self.step = step
        self.uow = step.uow
        self.settings = step.settings
        self.company_id = step.company_id
        self.workflows = step.workflows
        self.tasks = step.tasks
        self.definitions = step.definitions
        self.workers = step.workers
        self.timers = step.timers
        self.limits = step.limits
        self.plan = step.plan
        self.locked_instance = step.locked_instance
        self.locked_task = step.locked_task
        self.record = step.record
        self.emit = step.emit
