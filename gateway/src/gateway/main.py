"""The gateway app: health, aggregated readiness, routing to the services, the SPA."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from common.errors import install_problem_handlers, problem_response
from common.service import RequestContextMiddleware
from common.telemetry import setup_telemetry
from gateway.config import GatewaySettings
from gateway.proxy import forward
from gateway.spa import spa_response

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def create_app(settings: GatewaySettings) -> FastAPI:
    upstreams = settings.upstreams()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_telemetry("gateway", settings.otel_traces_exporter, settings.log_level)
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(settings.upstream_timeout_seconds, connect=5.0),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
            follow_redirects=False,
        ) as client:
            app.state.http = client
            yield

    app = FastAPI(title="TicketFlower gateway", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    install_problem_handlers(app)
    app.add_middleware(RequestContextMiddleware)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        """The gateway process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    async def readyz(request: Request) -> JSONResponse:
        """Ready only when every service reports ready."""
        client: httpx.AsyncClient = request.app.state.http

        async def check(url: str) -> str:
            try:
                response = await client.get(f"{url}/readyz", timeout=3.0)
            except httpx.HTTPError as exc:
                return f"unavailable: {type(exc).__name__}"
            return "ok" if response.status_code == 200 else f"not ready ({response.status_code})"

        results = await asyncio.gather(*(check(url) for url in upstreams.values()))
        checks = dict(zip(upstreams, results, strict=True))
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    @app.api_route("/api/{service}/{path:path}", methods=METHODS, include_in_schema=False)
    async def to_service(service: str, path: str, request: Request) -> Response:
        target = "actions" if service == "callbacks" else service
        upstream = upstreams.get(target)
        if upstream is None:
            return problem_response(
                404,
                "Not found",
                f"No API under /api/{service}.",
                type_slug="not-found",
                instance=request.url.path,
            )
        return await forward(request.app.state.http, upstream, request, {})

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str) -> Response:
        return spa_response(settings.spa_dir, path)

    return app
