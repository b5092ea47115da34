"""The app factory every service uses: problem handlers, health, request ids, tracing, and a
lifespan that owns the database, the broker (with the service's consumers), the outbox relay
and any background workers."""

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, FastAPI
from opentelemetry import trace
from opentelemetry.propagate import extract
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.consumer import EventConsumer
from common.db import Database
from common.errors import answer_unexpected, install_problem_handlers
from common.health import router as health_router
from common.kafka import create_broker, ensure_topics
from common.openapi import document_problems
from common.outbox import OutboxRelay
from common.settings import ServiceSettings
from common.telemetry import FASTAPI_TELEMETRY, setup_telemetry
from common.text_guard import TextGuardMiddleware
from contracts.ids import uuid7
from contracts.topics import dead_letter_topic, every_topic

log = logging.getLogger(__name__)

BackgroundWorker = Callable[[FastAPI], Coroutine[Any, Any, None]]


@dataclass
class ServiceParts:
    """What a service plugs into the shared runtime."""

    routers: Sequence[APIRouter] = ()
    consumers: Callable[[Database, ServiceSettings], Sequence[tuple[EventConsumer, Sequence[str]]]] | None = (
        None
    )
    workers: Sequence[BackgroundWorker] = ()
    on_startup: Sequence[Callable[[FastAPI], Awaitable[None]]] = ()
    on_shutdown: Sequence[Callable[[FastAPI], Awaitable[None]]] = ()
    openapi_tags: list[dict[str, str]] = field(default_factory=list)


_access_log = logging.getLogger("access")
_QUIET_PATHS = frozenset(("/healthz", "/readyz"))
_tracer = trace.get_tracer("http")
# A request id given by the caller is kept when it is short and plain (it goes into logs and
# onward requests), else replaced.
_SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")

ResponseHeaders = Callable[[Scope, list[tuple[bytes, bytes]]], list[tuple[bytes, bytes]]]


class RequestContextMiddleware:
    """Everything done around every request, in one pure-ASGI layer with one wrapper of `send`:
    a request id (the caller's when plain, else a new one, seen by the app and on the response),
    a server span continuing the caller's trace, an access log line carrying both, the answer
    to an error no handler took (`common.errors.answer_unexpected`), and `response_headers`, a
    hook that may rewrite the response's headers (the gateway's security headers).

    The response passes through untouched otherwise (no re-buffering, no re-chunking, and a
    response the app leaves unfinished stays unfinished)."""

    def __init__(self, app: ASGIApp, *, response_headers: ResponseHeaders | None = None) -> None:
        self.app = app
        self.response_headers = response_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = b""
        carrier: dict[str, str] = {}
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                given = value
            elif key in (b"traceparent", b"tracestate"):
                carrier[key.decode()] = value.decode("latin-1")
        if _SAFE_REQUEST_ID.fullmatch(given):
            encoded_id = given
        else:
            encoded_id = str(uuid7()).encode()
            headers = [(k, v) for k, v in scope["headers"] if k != b"x-request-id"]
            headers.append((b"x-request-id", encoded_id))
            scope = {**scope, "headers": headers}
        status = 500
        started = False
        response_headers = self.response_headers
        begun = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = message["status"]
                started = True
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", encoded_id))
                if response_headers is not None:
                    headers = response_headers(scope, headers)
                message = {**message, "headers": headers}
            await send(message)

        method, path = scope["method"], scope["path"]
        with _tracer.start_as_current_span(
            f"{method} {path}", context=extract(carrier) if carrier else None, kind=trace.SpanKind.SERVER
        ) as span:
            try:
                await self.app(scope, receive, send_with_id)
            except Exception as exc:
                if span.is_recording():
                    span.record_exception(exc)
                await answer_unexpected(exc, started, scope, receive, send_with_id)
            finally:
                if span.is_recording():
                    span.set_attribute("http.status_code", status)
                if path not in _QUIET_PATHS and _access_log.isEnabledFor(logging.INFO):
                    _access_log.info(
                        "%s %s %d %.1fms request_id=%s",
                        method,
                        path,
                        status,
                        (time.perf_counter() - begun) * 1000,
                        encoded_id.decode("latin-1"),
                    )


def create_service_app(settings: ServiceSettings, parts: ServiceParts, *, title: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_telemetry(settings.service_name, settings.otel_traces_exporter, settings.log_level)
        db = Database.connect(
            settings.runtime_database_url(), settings.db_schema, pool_size=settings.db_pool_size
        )
        app.state.db = db
        consumers = list(parts.consumers(db, settings)) if parts.consumers is not None else []
        await ensure_topics(
            settings.kafka_bootstrap_servers,
            every_topic() + tuple(dead_letter_topic(consumer.group) for consumer, _ in consumers),
        )
        broker = create_broker(settings.kafka_bootstrap_servers, settings.service_name)
        await broker.start()
        app.state.broker = broker
        relay = OutboxRelay(
            db,
            settings.kafka_bootstrap_servers,
            poll_seconds=settings.outbox_poll_seconds,
            retention=timedelta(hours=settings.outbox_retention_hours),
            broker=settings.broker,
        )
        await relay.start(replay=settings.outbox_replay_on_start)
        app.state.relay = relay
        for consumer, topics in consumers:
            await consumer.start(settings.kafka_bootstrap_servers, topics)
        for hook in parts.on_startup:
            await hook(app)
        tasks: list[asyncio.Task[None]] = [asyncio.create_task(worker(app)) for worker in parts.workers]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            for hook in parts.on_shutdown:
                await hook(app)
            for consumer, _ in consumers:
                await consumer.stop()
            await broker.stop()
            await relay.stop()
            await db.dispose()

    app = FastAPI(
        title=title,
        version="0.1.0",
        lifespan=lifespan,
        openapi_tags=parts.openapi_tags or None,
        telemetry=FASTAPI_TELEMETRY,
    )
    app.state.settings = settings
    # RequestContextMiddleware answers what no handler took (outside the text guard, so the
    # guard's own failure is answered too).
    install_problem_handlers(app, last_resort=False)
    app.add_middleware(TextGuardMiddleware)
    app.add_middleware(RequestContextMiddleware)
    app.include_router(health_router)
    for router in parts.routers:
        app.include_router(router)
    document_problems(app)
    return app
