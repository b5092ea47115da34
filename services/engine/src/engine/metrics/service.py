from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from common.db import UnitOfWork
from common.reporting import DateRange, week_start
from engine.metrics.repository import MetricsRepository, ReportRepository
from engine.metrics.schemas import (
    DayCount,
    EngineOverviewRead,
    EngineReportRead,
    EngineSlaRead,
    IncidentRead,
    MetricsRead,
    MyPerformanceRead,
    OpenTaskRead,
    TaskDefinitionSla,
    TaskDefinitionTime,
    TaskDuration,
    WeekFigures,
    WorkerLoad,
    WorkerThroughput,
)


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


WEEKS_SHOWN = 8
OLDEST_OPEN_SHOWN = 10
RECENT_INCIDENTS_SHOWN = 5
_SECONDS = ("total_seconds", "mean_seconds", "p50_seconds", "p90_seconds")


async def report(uow: UnitOfWork, period: DateRange) -> EngineReportRead:
    repo = ReportRepository.of(uow)
    return EngineReportRead(
        first_day=period.first_day,
        last_day=period.last_day,
        time_per_task_definition=[
            TaskDefinitionTime.model_validate(
                {**row, **{k: round(float(row[k]), 3) for k in _SECONDS if row[k] is not None}}
            )
            for row in await repo.time_per_task_definition(period.start, period.end)
        ],
        worker_throughput=[
            WorkerThroughput.model_validate({**row, "median_seconds": round(float(row["median_seconds"]), 3)})
            for row in await repo.worker_throughput(period.start, period.end)
        ],
    )


async def sla(uow: UnitOfWork, period: DateRange) -> EngineSlaRead:
    """SLA breaches of the tasks due in the range, per task definition."""
    rows = await ReportRepository.of(uow).sla_per_task_definition(period.start, period.end, datetime.now(UTC))
    return EngineSlaRead(
        first_day=period.first_day,
        last_day=period.last_day,
        per_task_definition=[
            TaskDefinitionSla.model_validate(
                {**row, "breach_rate": round(row["breached"] / row["due"], 4) if row["due"] else 0.0}
            )
            for row in rows
        ],
    )


async def overview(uow: UnitOfWork) -> EngineOverviewRead:
    repo = ReportRepository.of(uow)
    metrics = MetricsRepository.of(uow)
    incidents, total = await repo.incidents(RECENT_INCIDENTS_SHOWN)
    return EngineOverviewRead(
        workflows_by_status=await metrics.workflows_by_status(),
        incidents=total,
        recent_incidents=[
            IncidentRead(
                workflow_instance_id=row["id"],
                ticket_id=row["ticket_id"],
                ticket_number=row["ticket_number"],
                ticket_title=row["ticket_title"],
                reason=str((row["incident"] or {}).get("reason", "")),
                since=row["updated_at"],
            )
            for row in incidents
        ],
        unassigned=await repo.unassigned_count(),
        queue_by_worker=[
            WorkerLoad(user_id=u, display_name=n, open_tasks=c)
            for u, n, c in await metrics.open_tasks_per_worker()
        ],
    )


async def my_performance(uow: UnitOfWork, user_id: UUID) -> MyPerformanceRead:
    """The caller's completions per week beside the team's per worker, both medians, and the
    caller's oldest open tasks. Open tasks are ordered by age: a task has no due date yet."""
    repo = ReportRepository.of(uow)
    now = datetime.now(UTC)
    this_week = week_start(now)
    since = this_week - timedelta(weeks=WEEKS_SHOWN - 1)
    mine: dict[date, int] = {}
    team: dict[date, int] = {}
    workers: dict[date, int] = {}
    for row in await repo.weekly_completions(since):
        week = row["week"].date()
        team[week] = team.get(week, 0) + row["completed"]
        workers[week] = workers.get(week, 0) + 1
        if row["user_id"] == user_id:
            mine[week] = row["completed"]
    weeks = [(since + timedelta(weeks=n)).date() for n in range(WEEKS_SHOWN)]
    oldest, open_total = await repo.open_tasks_of(user_id, OLDEST_OPEN_SHOWN)
    return MyPerformanceRead(
        weeks=[
            WeekFigures(
                week_start=week,
                mine=mine.get(week, 0),
                team_per_worker=round(team[week] / workers[week], 2) if workers.get(week) else 0.0,
            )
            for week in weeks
        ],
        my_median_seconds=_rounded(await repo.median_worker_seconds(since, user_id)),
        team_median_seconds=_rounded(await repo.median_worker_seconds(since, None)),
        open_total=open_total,
        oldest_open=[
            OpenTaskRead.model_validate(
                {**row, "age_seconds": round((now - row["created_at"]).total_seconds(), 3)}
            )
            for row in oldest
        ],
    )


def _rounded(value: float | None) -> float | None:
    return round(value, 3) if value is not None else None
