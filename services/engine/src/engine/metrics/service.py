from datetime import UTC, datetime, timedelta

from common.db import UnitOfWork
from engine.metrics.repository import MetricsRepository
from engine.metrics.schemas import DayCount, MetricsRead, TaskDuration, WorkerLoad


async def company_metrics(uow: UnitOfWork, days: int) -> MetricsRead:
    repo = MetricsRepository.of(uow)
    since = (datetime.now(UTC) - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return MetricsRead(
        open_tasks_per_worker=[
            WorkerLoad(user_id=u, display_name=n, open_tasks=c)
            for u, n, c in await repo.open_tasks_per_worker()
        ],
        tasks_completed_per_day=[
            DayCount(day=d, completed=c) for d, c in await repo.completed_per_day(since)
        ],
        mean_time_per_task=[
            TaskDuration(task_key=k, name=n, task_type=t, mean_seconds=round(s, 3), completed=c)
            for k, n, t, s, c in await repo.mean_seconds_per_task()
        ],
        workflows_by_status=await repo.workflows_by_status(),
    )
