from datetime import datetime
from uuid import UUID

from sqlalchemy import Date, cast, func, select

from common.repository import CompanyRepository
from contracts.engine import WORKED_TASK_STATUSES, TaskStatus
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
