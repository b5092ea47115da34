from typing import Annotated

from fastapi import APIRouter, Query

from common.web import UoW
from engine.metrics import service
from engine.metrics.schemas import MetricsRead
from engine.roles import TeamClaims

router = APIRouter(prefix="/api/engine/metrics", tags=["metrics"])


@router.get("")
async def get_metrics(
    uow: UoW, claims: TeamClaims, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> MetricsRead:
    """Key figures for dashboards: open tasks per worker, tasks completed per day (last
    `days` days), mean time per task type (creation to completion), workflows by status."""
    return await service.company_metrics(uow, days)
