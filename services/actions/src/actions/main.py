from collections.abc import Sequence

from fastapi import FastAPI

from actions.allowlist.router import router as allowlist_router
from actions.callbacks.router import router as callbacks_router
from actions.config import ActionsSettings
from actions.consumers import TOPICS, build_consumers
from actions.reports.router import router as reports_router
from actions.runner.guard import Resolver
from actions.runner.metrics import LagProbe
from actions.runner.pool import ActionPool
from actions.runner.router import ops_router
from actions.runner.router import router as metrics_router
from actions.runner.service import ActionRunner
from actions.signing.router import router as signing_router
from common.consumer import EventConsumer
from common.db import Database
from common.service import ServiceParts, create_service_app
from common.settings import ServiceSettings


def create_app(settings: ServiceSettings, *, resolver: Resolver | None = None) -> FastAPI:
    assert isinstance(settings, ActionsSettings)
    runner = ActionRunner(settings, resolver=resolver)

    def consumers(db: Database, _: ServiceSettings) -> Sequence[tuple[EventConsumer, Sequence[str]]]:
        return build_consumers(db, settings, runner)

    async def run_pool(app: FastAPI) -> None:
        pool = app.state.pool = ActionPool(app.state.db, runner)
        await pool.run()

    async def close_runner(app: FastAPI) -> None:
        await runner.aclose()

    app = create_service_app(
        settings,
        ServiceParts(
            routers=[
                signing_router,
                allowlist_router,
                metrics_router,
                reports_router,
                callbacks_router,
                ops_router,
            ],
            consumers=consumers,
            workers=[run_pool],
            on_shutdown=[close_runner],
            openapi_tags=[
                {"name": "signing", "description": "The key outbound action calls are signed with."},
                {"name": "allowlist", "description": "Private targets a company's actions may reach."},
                {"name": "metrics", "description": "Action calls, outcomes, latency and runner lag."},
                {"name": "reports", "description": "Action failures by target host over a date range."},
                {"name": "callbacks", "description": "Results of ASYNC_ACTION calls, posted back."},
            ],
        ),
        title="TicketFlower actions",
    )
    app.state.runner = runner
    app.state.lag_probe = LagProbe(
        settings.kafka_bootstrap_servers, settings.group, TOPICS[0], settings.lag_cache_seconds
    )
    return app
