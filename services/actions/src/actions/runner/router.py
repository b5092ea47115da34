from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from actions.deps import RunnerDep
from actions.runner.repository import ActionQueueRepository
from actions.runner.schemas import ActionMetricsRead
from common.auth import AdminClaims
from common.web import UoW

router = APIRouter(prefix="/api/actions", tags=["metrics"])
ops_router = APIRouter(tags=["metrics"])


@router.get("/metrics", response_model=ActionMetricsRead)
async def action_metrics(
    claims: AdminClaims, uow: UoW, runner: RunnerDep, request: Request
) -> ActionMetricsRead:
    """The company's action requests per target host (outcomes, HTTP calls, latency) over every
    runner, and how far the runners are behind on `actions.requests`."""
    lag = await request.app.state.lag_probe.get()
    return await runner.metrics_for(uow.session, claims.company_id, lag)


@ops_router.get("/metrics", response_class=PlainTextResponse, include_in_schema=False)
async def prometheus_metrics(runner: RunnerDep, request: Request) -> PlainTextResponse:
    """This runner's counters in the Prometheus text format, with the jobs queued for every
    runner and the group's consumer lag. Not routed by the gateway: scraped inside the cluster
    and read by the autoscaler."""
    lag = await request.app.state.lag_probe.get()
    async with request.app.state.db.unit_of_work() as uow:
        queue = await ActionQueueRepository(uow.session).queue_figures()
    pool = getattr(request.app.state, "pool", None)
    in_flight = pool.running if pool is not None else None
    return PlainTextResponse(
        runner.metrics.render(lag, queue, in_flight), media_type="text/plain; version=0.0.4"
    )
