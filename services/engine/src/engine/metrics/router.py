from typing import Annotated

from fastapi import APIRouter, Query

from common.reporting import DateRangeDep
from common.web import UoW
from engine.metrics import service
from engine.metrics.schemas import (
    EngineOverviewRead,
    EngineReportRead,
    EngineSlaRead,
    MetricsRead,
    MyPerformanceRead,
)
from engine.roles import TeamClaims, WorkerClaims

router = APIRouter(prefix="/api/engine/metrics", tags=["metrics"])


@router.get("")
async def get_metrics(
    uow: UoW, claims: TeamClaims, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> MetricsRead:
    """Key figures for dashboards: open tasks per worker, tasks completed per day (last
    `days` days), mean time per task type (creation to completion), workflows by status."""
    return await service.company_metrics(uow, days)


@router.get("/report", response_model=EngineReportRead, response_model_by_alias=True)
async def engine_report(uow: UoW, claims: TeamClaims, period: DateRangeDep) -> EngineReportRead:
    """For the ticket team, over the tasks completed `from`..`to` (UTC days, inclusive; the
    last 30 days by default): the time per task definition (creation to completion: total,
    mean, median, 90th percentile) and each worker's throughput (FORM tasks completed, median
    assignment to completion). A bad range is 422."""
    return await service.report(uow, period)


@router.get("/sla", response_model=EngineSlaRead, response_model_by_alias=True)
async def engine_sla(uow: UoW, claims: TeamClaims, period: DateRangeDep) -> EngineSlaRead:
    """For the ticket team, over the tasks due `from`..`to` (UTC days, inclusive; the last 30
    days by default) that were completed or are still open: per task definition, how many were
    due, how many breached (completed after their due time, or still open past it) and the
    breach rate. A bad range is 422."""
    return await service.sla(uow, period)


@router.get("/overview")
async def engine_overview(uow: UoW, claims: TeamClaims) -> EngineOverviewRead:
    """For the ticket team's dashboard: workflows by status, open incidents (the newest five),
    FORM tasks waiting for a worker, and each worker's open tasks."""
    return await service.overview(uow)


@router.get("/me")
async def my_performance(uow: UoW, claims: WorkerClaims) -> MyPerformanceRead:
    """For a task worker's dashboard: their FORM tasks completed per week over the last 8
    weeks beside the team's per worker, their median time per task beside the team's, and
    their oldest open tasks."""
    return await service.my_performance(uow, claims.user_id)
