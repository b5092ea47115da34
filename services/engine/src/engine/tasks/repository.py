from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, or_, select, text

from common.repository import CompanyRepository
from common.text_search import prefix_tsquery
from contracts.engine import CLOSED_TASK_STATUSES, OPEN_TASK_STATUSES, WORKED_TASK_STATUSES, TaskStatus
from engine.models import TaskInstance, WorkflowInstance

_SIMPLE = text("'simple'::regconfig")


@dataclass(frozen=True)
class TaskFilter:
    view: str | None = None
    status: str | None = None
    task_type: str | None = None
    task_key: str | None = None
    assignee_id: UUID | None = None
    workflow_instance_id: UUID | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    overdue: bool | None = None
    sort: str = "-created_at"
    q: str | None = None


class TaskRepository(CompanyRepository[TaskInstance]):
    model = TaskInstance

    def add(self, task: TaskInstance) -> None:
        self.session.add(task)

    async def get(self, task_id: UUID, *, fresh: bool = False) -> TaskInstance | None:
        query = self.select(TaskInstance.id == task_id)
        if fresh:
            query = query.execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def next_sequence(self, workflow_instance_id: UUID) -> int:
        current = await self.session.scalar(
            select(func.coalesce(func.max(TaskInstance.sequence), 0)).where(
                self.owned(),
                TaskInstance.workflow_instance_id == workflow_instance_id,
            )
        )
        return int(current or 0) + 1

    async def of_instance(self, workflow_instance_id: UUID) -> Sequence[TaskInstance]:
        return (
            await self.session.scalars(
                self.select(TaskInstance.workflow_instance_id == workflow_instance_id).order_by(
                    TaskInstance.sequence
                )
            )
        ).all()

    async def open_of_instance(self, workflow_instance_id: UUID) -> Sequence[TaskInstance]:
        return (
            await self.session.scalars(
                self.select(
                    TaskInstance.workflow_instance_id == workflow_instance_id,
                    TaskInstance.status.in_(OPEN_TASK_STATUSES),
                )
            )
        ).all()

    async def queued(self) -> Sequence[TaskInstance]:
        """FORM tasks waiting for a worker, oldest first."""
        return (
            await self.session.scalars(
                self.select(
                    TaskInstance.task_type == "FORM",
                    TaskInstance.status == TaskStatus.PENDING,
                    TaskInstance.assignee_id.is_(None),
                ).order_by(TaskInstance.created_at, TaskInstance.id)
            )
        ).all()

    async def open_form_tasks_of(self, user_id: UUID) -> Sequence[TaskInstance]:
        return (
            await self.session.scalars(
                self.select(
                    TaskInstance.assignee_id == user_id,
                    TaskInstance.status.in_(WORKED_TASK_STATUSES),
                ).order_by(TaskInstance.created_at)
            )
        ).all()

    def _filtered(
        self, query: Select[TaskInstance, WorkflowInstance], f: TaskFilter
    ) -> Select[TaskInstance, WorkflowInstance]:
        query = query.where(self.owned())
        if f.view == "active":
            query = query.where(TaskInstance.status.in_(OPEN_TASK_STATUSES))
        elif f.view == "archive":
            query = query.where(TaskInstance.status.in_(CLOSED_TASK_STATUSES))
        if f.status:
            query = query.where(TaskInstance.status == f.status)
        if f.task_type:
            query = query.where(TaskInstance.task_type == f.task_type)
        if f.task_key:
            query = query.where(TaskInstance.task_key == f.task_key)
        if f.assignee_id:
            query = query.where(TaskInstance.assignee_id == f.assignee_id)
        if f.workflow_instance_id:
            query = query.where(TaskInstance.workflow_instance_id == f.workflow_instance_id)
        if f.created_from:
            query = query.where(TaskInstance.created_at >= f.created_from)
        if f.created_to:
            query = query.where(TaskInstance.created_at < f.created_to)
        if f.overdue is not None:
            late = (
                TaskInstance.due_at.is_not(None)
                & TaskInstance.status.in_(OPEN_TASK_STATUSES)
                & (TaskInstance.due_at < func.now())
            )
            query = query.where(late if f.overdue else ~late)
        words = prefix_tsquery(f.q) if f.q else None
        if words is not None:
            # Each side has its GIN index: the instance's vector (ticket number, title, data)
            # and the expression index over task names (migration 0007).
            tsquery = func.to_tsquery(_SIMPLE, words)
            query = query.where(
                or_(
                    WorkflowInstance.__table__.c.search_vector.op("@@")(tsquery),
                    func.to_tsvector(_SIMPLE, TaskInstance.name).op("@@")(tsquery),
                )
            )
        return query

    def _ordering(self, sort: str) -> list[Any]:
        if sort in ("due_at", "-due_at"):
            due = TaskInstance.due_at.desc() if sort.startswith("-") else TaskInstance.due_at.asc()
            # Tasks without a due time come last either way: they are never the most urgent.
            return [due.nulls_last(), TaskInstance.created_at.desc(), TaskInstance.id.desc()]
        if sort == "created_at":
            return [TaskInstance.created_at.asc(), TaskInstance.id.asc()]
        return [TaskInstance.created_at.desc(), TaskInstance.id.desc()]

    async def due_between(
        self, start: datetime, end: datetime, assignee_id: UUID | None, limit: int
    ) -> list[tuple[TaskInstance, WorkflowInstance]]:
        """FORM tasks due in [start, end), and open ones overdue before `start`, soonest first."""
        in_range = (TaskInstance.due_at >= start) & (TaskInstance.due_at < end)
        late = (TaskInstance.due_at < start) & TaskInstance.status.in_(OPEN_TASK_STATUSES)
        query = (
            select(TaskInstance, WorkflowInstance)
            .join(
                WorkflowInstance,
                (WorkflowInstance.company_id == TaskInstance.company_id)
                & (WorkflowInstance.id == TaskInstance.workflow_instance_id),
            )
            .where(
                self.owned(),
                TaskInstance.task_type == "FORM",
                TaskInstance.due_at.is_not(None),
                in_range | late,
                TaskInstance.status != "CANCELLED",
            )
            .order_by(TaskInstance.due_at, TaskInstance.id)
            .limit(limit)
        )
        if assignee_id is not None:
            query = query.where(TaskInstance.assignee_id == assignee_id)
        rows = await self.session.execute(query)
        return [(t, w) for t, w in rows]

    async def search(
        self, f: TaskFilter, offset: int, limit: int
    ) -> tuple[list[tuple[TaskInstance, WorkflowInstance]], int]:
        base = select(TaskInstance, WorkflowInstance).join(
            WorkflowInstance,
            (WorkflowInstance.company_id == TaskInstance.company_id)
            & (WorkflowInstance.id == TaskInstance.workflow_instance_id),
        )
        query = self._filtered(base, f).order_by(*self._ordering(f.sort))
        return await self.paged_rows(query, offset=offset, limit=limit)
