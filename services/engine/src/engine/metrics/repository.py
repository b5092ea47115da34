from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Date, Integer, and_, cast, func, or_, select

from common.repository import CompanyRepository
from contracts.engine import OPEN_TASK_STATUSES, WORKED_TASK_STATUSES, TaskStatus, WorkflowStatus
from engine.models import TaskInstance, Worker, WorkflowInstance


class MetricsRepository(CompanyRepository[TaskInstance]):
    model = TaskInstance

    async def open_tasks_per_worker(self) -> list[tuple[UUID, str, int]]:
        rows = await self.session.execute(
            select(Worker.user_id, Worker.display_name, func.count(TaskInstance.id))
            .outerjoin(
                TaskInstance,
                (TaskInstance.company_id == Worker.company_id)
                & (TaskInstance.assignee_id == Worker.user_id)
                & TaskInstance.status.in_(WORKED_TASK_STATUSES),
            )
            .where(self.owned(Worker), Worker.is_task_worker.is_(True))
            .group_by(Worker.user_id, Worker.display_name)
            .order_by(Worker.display_name)
        )
        return [(u, n, int(c)) for u, n, c in rows]

    async def completed_per_day(self, since: datetime) -> list[tuple[str, int]]:
        day = cast(TaskInstance.completed_at, Date)
        rows = await self.session.execute(
            select(day, func.count())
            .where(
                self.owned(),
                TaskInstance.status == TaskStatus.COMPLETED,
                TaskInstance.completed_at >= since,
            )
            .group_by(day)
            .order_by(day)
        )
        return [(d.isoformat(), int(c)) for d, c in rows]

    async def mean_seconds_per_task(self) -> list[tuple[str, str, str, float, int]]:
        seconds = func.extract("epoch", TaskInstance.completed_at - TaskInstance.created_at)
        rows = await self.session.execute(
            select(
                TaskInstance.task_key,
                TaskInstance.name,
                TaskInstance.task_type,
                func.avg(seconds),
                func.count(),
            )
            .where(self.owned(), TaskInstance.status == TaskStatus.COMPLETED)
            .group_by(TaskInstance.task_key, TaskInstance.name, TaskInstance.task_type)
            .order_by(TaskInstance.task_key)
        )
        return [(k, n, t, float(avg or 0), int(c)) for k, n, t, avg, c in rows]

    async def workflows_by_status(self) -> dict[str, int]:
        rows = await self.session.execute(
            select(WorkflowInstance.status, func.count())
            .where(self.owned(WorkflowInstance))
            .group_by(WorkflowInstance.status)
        )
        return {s: int(c) for s, c in rows}


# What a worker spends on a FORM task: from the moment it reached them to its completion.
_WORKER_SECONDS = func.extract(
    "epoch", TaskInstance.completed_at - func.coalesce(TaskInstance.assigned_at, TaskInstance.created_at)
)
# What a task takes from its creation (the workflow reaching it) to its completion.
_TASK_SECONDS = func.extract("epoch", TaskInstance.completed_at - TaskInstance.created_at)
_WEEK = func.date_trunc("week", func.timezone("UTC", TaskInstance.completed_at))


class ReportRepository(CompanyRepository[TaskInstance]):
    """The engine schema's aggregates for dashboards and reports, scoped by company."""

    model = TaskInstance

    def _completed_between(self, start: datetime, end: datetime | None = None) -> list[ColumnElement[bool]]:
        conditions = [
            self.owned(),
            TaskInstance.status == TaskStatus.COMPLETED,
            TaskInstance.completed_at >= start,
        ]
        if end is not None:
            conditions.append(TaskInstance.completed_at < end)
        return conditions

    async def time_per_task_definition(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(
                TaskInstance.task_key,
                func.max(TaskInstance.name).label("name"),
                func.max(TaskInstance.task_type).label("task_type"),
                func.count().label("completed"),
                func.sum(_TASK_SECONDS).label("total_seconds"),
                func.avg(_TASK_SECONDS).label("mean_seconds"),
                func.percentile_cont(0.5).within_group(_TASK_SECONDS).label("p50_seconds"),
                func.percentile_cont(0.9).within_group(_TASK_SECONDS).label("p90_seconds"),
            )
            .where(*self._completed_between(start, end))
            .group_by(TaskInstance.task_key)
            .order_by(TaskInstance.task_key)
        )
        return [dict(r._mapping) for r in rows]

    async def worker_throughput(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """FORM tasks completed per worker in the range, with the median time each took them.
        A worker who has left still counts for the tasks they did."""
        rows = await self.session.execute(
            select(
                TaskInstance.assignee_id.label("user_id"),
                func.coalesce(func.max(Worker.display_name), "").label("display_name"),
                func.count().label("completed"),
                func.percentile_cont(0.5).within_group(_WORKER_SECONDS).label("median_seconds"),
            )
            .select_from(TaskInstance)
            .outerjoin(
                Worker,
                (Worker.company_id == TaskInstance.company_id) & (Worker.user_id == TaskInstance.assignee_id),
            )
            .where(
                *self._completed_between(start, end),
                TaskInstance.task_type == "FORM",
                TaskInstance.assignee_id.is_not(None),
            )
            .group_by(TaskInstance.assignee_id)
            .order_by(func.count().desc(), TaskInstance.assignee_id)
        )
        return [dict(r._mapping) for r in rows]

    async def weekly_completions(self, since: datetime) -> list[dict[str, Any]]:
        """Per ISO week since `since`: FORM tasks completed by each worker."""
        rows = await self.session.execute(
            select(
                _WEEK.label("week"),
                TaskInstance.assignee_id.label("user_id"),
                func.count().label("completed"),
            )
            .where(
                *self._completed_between(since),
                TaskInstance.task_type == "FORM",
                TaskInstance.assignee_id.is_not(None),
            )
            .group_by(_WEEK, TaskInstance.assignee_id)
        )
        return [dict(r._mapping) for r in rows]

    async def median_worker_seconds(self, since: datetime, user_id: UUID | None) -> float | None:
        """The median time a FORM task took its worker since `since`: one worker's, or (None)
        the whole team's."""
        query = select(func.percentile_cont(0.5).within_group(_WORKER_SECONDS)).where(
            *self._completed_between(since),
            TaskInstance.task_type == "FORM",
            TaskInstance.assignee_id.is_not(None),
        )
        if user_id is not None:
            query = query.where(TaskInstance.assignee_id == user_id)
        value = await self.session.scalar(query)
        return float(value) if value is not None else None

    async def open_tasks_of(self, user_id: UUID, limit: int) -> tuple[list[dict[str, Any]], int]:
        """The worker's open FORM tasks, oldest first."""
        mine = (
            self.owned(),
            TaskInstance.assignee_id == user_id,
            TaskInstance.status.in_(WORKED_TASK_STATUSES),
        )
        total = await self.session.scalar(select(func.count()).select_from(TaskInstance).where(*mine))
        rows = await self.session.execute(
            select(
                TaskInstance.id,
                TaskInstance.name,
                TaskInstance.status,
                TaskInstance.created_at,
                TaskInstance.assigned_at,
                WorkflowInstance.ticket_number,
                WorkflowInstance.ticket_title,
            )
            .join(
                WorkflowInstance,
                (WorkflowInstance.company_id == TaskInstance.company_id)
                & (WorkflowInstance.id == TaskInstance.workflow_instance_id),
            )
            .where(*mine)
            .order_by(TaskInstance.created_at, TaskInstance.id)
            .limit(limit)
        )
        return [dict(r._mapping) for r in rows], int(total or 0)

    async def incidents(self, limit: int) -> tuple[list[dict[str, Any]], int]:
        """Workflow instances stopped on an incident, newest first."""
        where = (self.owned(WorkflowInstance), WorkflowInstance.status == WorkflowStatus.INCIDENT)
        total = await self.session.scalar(select(func.count()).select_from(WorkflowInstance).where(*where))
        rows = await self.session.execute(
            select(
                WorkflowInstance.id,
                WorkflowInstance.ticket_id,
                WorkflowInstance.ticket_number,
                WorkflowInstance.ticket_title,
                WorkflowInstance.incident,
                WorkflowInstance.updated_at,
            )
            .where(*where)
            .order_by(WorkflowInstance.updated_at.desc(), WorkflowInstance.id.desc())
            .limit(limit)
        )
        return [dict(r._mapping) for r in rows], int(total or 0)

    async def unassigned_count(self) -> int:
        """FORM tasks waiting in the company queue for an available worker."""
        value = await self.session.scalar(
            select(func.count()).where(
                self.owned(),
                TaskInstance.task_type == "FORM",
                TaskInstance.status == TaskStatus.PENDING,
                TaskInstance.assignee_id.is_(None),
            )
        )
        return int(value or 0)

    async def sla_per_task_definition(
        self, start: datetime, end: datetime, now: datetime
    ) -> list[dict[str, Any]]:
        """Per task definition, the tasks due in the range (completed or still open; a skipped
        or cancelled task owes nothing) and how many of them breached: completed after their
        due time, or still open past it at `now`. Completing exactly at the due time is on time."""
        breached = or_(
            and_(
                TaskInstance.status == TaskStatus.COMPLETED, TaskInstance.completed_at > TaskInstance.due_at
            ),
            and_(TaskInstance.status.in_(OPEN_TASK_STATUSES), TaskInstance.due_at < now),
        )
        rows = await self.session.execute(
            select(
                TaskInstance.task_key,
                func.max(TaskInstance.name).label("name"),
                func.max(TaskInstance.task_type).label("task_type"),
                func.count().label("due"),
                func.sum(cast(breached, Integer)).label("breached"),
                func.sum(cast(TaskInstance.status.in_(OPEN_TASK_STATUSES) & breached, Integer)).label(
                    "open_breached"
                ),
            )
            .where(
                self.owned(),
                TaskInstance.due_at >= start,
                TaskInstance.due_at < end,
                TaskInstance.status.in_((TaskStatus.COMPLETED, *OPEN_TASK_STATUSES)),
            )
            .group_by(TaskInstance.task_key)
            .order_by(TaskInstance.task_key)
        )
        return [dict(r._mapping) for r in rows]
