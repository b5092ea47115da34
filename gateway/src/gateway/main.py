"""The gateway app: health, aggregated readiness, token check and claims injection, routing to
the services, the aggregated OpenAPI document, the SPA."""

import asyncio
import base64
import contextlib
import hashlib
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.responses import Response

from common import network
from common.auth import sign_operator_claims
from common.errors import install_problem_handlers, problem_response
from common.service import RequestContextMiddleware
from common.telemetry import FASTAPI_TELEMETRY, current_traceparent, setup_telemetry
from gateway.auth import ClaimsSigner, TokenVerifier, is_operator_path, is_public
from gateway.config import GatewaySettings
from gateway.middleware import BodySizeLimitMiddleware, security_headers
from gateway.openapi import OpenApiAggregator
from gateway.proxy import Upstream, forward, upstream_url
from gateway.revocations import RevocationFeed, TokenCutoffs
from gateway.spa import spa_response

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
SWAGGER_ORIGIN = "https://cdn.jsdelivr.net"


def docs_csp(html: str) -> str:
    """The API docs page loads Swagger UI from its CDN and starts it with one inline script,
    allowed by its hash alone."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    )
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src {SWAGGER_ORIGIN} {hashes}",
            f"style-src {SWAGGER_ORIGIN} 'unsafe-inline'",
            "img-src 'self' data: https://fastapi.tiangolo.com",
            "connect-src 'self'",
            "frame-ancestors 'none'",
        )
    )


def create_app(settings: GatewaySettings, *, transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """`transport` replaces the network under the upstream client (tests use it to put fake
    services behind the gateway)."""
    upstreams = settings.upstreams()
    cutoffs = TokenCutoffs(settings.token_revocation_window_seconds)
    verifier = TokenVerifier(settings, cutoffs)
    feed = (
        RevocationFeed(settings.kafka_bootstrap_servers, cutoffs)
        if settings.kafka_bootstrap_servers
        else None
    )
    openapi = OpenApiAggregator(upstreams, settings.openapi_cache_seconds)
    claims_secret = settings.claims_secret.get_secret_value()
    signer = ClaimsSigner(claims_secret, settings.claims_reuse_seconds, settings.token_cache_entries)

    timeout = httpx.Timeout(settings.upstream_timeout_seconds, connect=5.0)
    # Idle connections are dropped before the services' own keep-alive timeout (uvicorn: 5 s)
    # would close them under a request just sent.
    limits = httpx.Limits(
        max_connections=200,
        max_keepalive_connections=50,
        keepalive_expiry=settings.upstream_keepalive_seconds,
    )
    pools = max(1, settings.upstream_pools_per_service)
    # The same bounds over a service's pools together.
    pool_limits = httpx.Limits(
        max_connections=max(1, 200 // pools),
        max_keepalive_connections=max(1, 50 // pools),
        keepalive_expiry=settings.upstream_keepalive_seconds,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_telemetry("gateway", settings.otel_traces_exporter, settings.log_level)
        async with contextlib.AsyncExitStack() as stack:
            # The proxied requests: a few pools per service (the JWKS, readiness and OpenAPI
            # calls go through the client below).
            proxied: dict[str, Upstream] = {}
            for name, url in upstreams.items():
                if transport is not None:
                    transports: tuple[httpx.AsyncBaseTransport, ...] = (transport,)
                else:
                    transports = tuple(
                        [
                            await stack.enter_async_context(network.AsyncioTransport(pool_limits))
                            for _ in range(pools)
                        ]
                    )
                proxied[name] = Upstream(
                    httpx.URL(url), transports, timeout, per_pool=settings.upstream_requests_per_pool
                )
            app.state.upstreams = proxied
            client = await stack.enter_async_context(
                httpx.AsyncClient(
                    # One client serves every caller: it must never keep a cookie (a refresh
                    # cookie kept here would sign the next cookieless caller in as someone else).
                    cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
                    timeout=timeout,
                    limits=limits,
                    follow_redirects=False,
                    transport=transport,
                )
            )
            app.state.http = client
            reader = asyncio.create_task(feed.run()) if feed is not None else None
            try:
                yield
            finally:
                if reader is not None:
                    reader.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await reader

    app = FastAPI(
        title="TicketFlower gateway",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        telemetry=FASTAPI_TELEMETRY,
    )
    app.state.settings = settings
    # Outermost to innermost: the request id, span, access log, last resort and security
    # headers (one layer, so even a CORS preflight has them), CORS, the body size limit (its
    # 413 raised from a route is a problem like any other).
    install_problem_handlers(app, last_resort=False)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=METHODS,
            allow_headers=["authorization", "content-type", "x-tf-csrf", "x-request-id", "traceparent"],
            expose_headers=["x-request-id", "retry-after", "location"],
            max_age=600,
        )
    app.add_middleware(RequestContextMiddleware, response_headers=security_headers)

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
        if feed is not None:
            # Until the recent user events are read, a revoked token could pass.
            checks["token_revocations"] = "ok" if feed.caught_up else "catching up"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    @app.get("/api/openapi.json", include_in_schema=False)
    async def openapi_document(request: Request) -> dict[str, Any]:
        """Every service's API in one OpenAPI document."""
        return await openapi.document(request.app.state.http)

    docs = get_swagger_ui_html(openapi_url="/api/openapi.json", title="TicketFlower API")
    docs.headers["content-security-policy"] = docs_csp(bytes(docs.body).decode())

    @app.get("/api/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return docs

    @app.api_route("/api/{service}/{path:path}", methods=METHODS, include_in_schema=False)
    async def to_service(service: str, path: str, request: Request) -> Response:
        target = "actions" if service == "callbacks" else service
        upstream: Upstream | None = request.app.state.upstreams.get(target)
        if upstream is None:
            return problem_response(
                404,
                "Not found",
                f"No API under /api/{service}.",
                type_slug="not-found",
                instance=request.url.path,
            )
        url = upstream_url(upstream, request)
        if isinstance(url, Response):
            return url
        client: httpx.AsyncClient = request.app.state.http
        extra = {
            "x-forwarded-for": request.client.host if request.client else "unknown",
            "x-forwarded-proto": request.url.scheme,
        }
        traceparent = current_traceparent()
        if traceparent:
            extra["traceparent"] = traceparent
        if is_public(request.method, request.url.path):
            pass
        elif is_operator_path(request.url.path):
            operator = await verifier.verify_operator(client, request.headers.get("authorization"))
            extra.update(sign_operator_claims(operator, claims_secret))
        else:
            claims = await verifier.verify(client, request.headers.get("authorization"))
            extra.update(signer.headers(claims))
        return await forward(upstream, url, request, extra)

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str) -> Response:
        return spa_response(settings.spa_dir, path)

    return app
