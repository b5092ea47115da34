"""The shared HTTP layer under a real uvicorn: an unhandled error does not cost the caller its
kept-alive connection, and a database that goes away answers 503 with Retry-After (readiness
false) until it is back, then everything works again without a restart."""

import asyncio
import contextlib
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from sqlalchemy import text

from common.db import Database
from common.embedded import EmbeddedPostgres
from common.errors import install_problem_handlers
from common.health import router as health_router
from common.service import RequestContextMiddleware


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", loop="uvloop", http="httptools")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def service_app(db: Database | None = None) -> FastAPI:
    """A service's HTTP stack as `create_service_app` builds it, without the broker."""
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(RequestContextMiddleware)
    app.include_router(health_router)
    app.state.db = db

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/ok")
    async def ok() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/count")
    async def count(request: Request) -> dict[str, int]:
        database: Database = request.app.state.db
        async with database.unit_of_work() as uow:
            value = await uow.session.scalar(text("SELECT 41 + 1"))
        return {"value": int(value)}

    return app


class Connects:
    """Counts the TCP connections an httpx client opens."""

    def __init__(self) -> None:
        self.count = 0

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        if name == "connection.connect_tcp.complete":
            self.count += 1


async def test_an_unhandled_error_answers_500_and_keeps_the_connection() -> None:
    connects = Connects()
    async with serve(service_app()) as url, httpx.AsyncClient(base_url=url) as client:
        failed = await client.get("/boom", extensions={"trace": connects})
        # Long enough for a server that closes after the error to have done so.
        await asyncio.sleep(0.3)
        after = await client.get("/ok", extensions={"trace": connects})
    assert failed.status_code == 500
    assert failed.headers["content-type"] == "application/problem+json"
    assert "secret internals" not in failed.text
    assert failed.headers["x-request-id"]
    assert after.status_code == 200
    assert connects.count == 1


async def test_a_database_that_refuses_connections_is_503_with_retry_after() -> None:
    db = Database.connect(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none", "none")
    try:
        async with serve(service_app(db)) as url, httpx.AsyncClient(base_url=url) as client:
            answer = await client.get("/count")
            ready = await client.get("/readyz")
    finally:
        await db.dispose()
    assert answer.status_code == 503
    assert int(answer.headers["retry-after"]) > 0
    assert answer.json()["type"].endswith("/service-unavailable")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"].startswith("unavailable")


@pytest.fixture
def private_postgres() -> Iterator[EmbeddedPostgres]:
    with tempfile.TemporaryDirectory(prefix="tf-pg-outage-") as folder:
        postgres = EmbeddedPostgres(Path(folder), free_port(), durable=False)
        postgres.start()
        try:
            yield postgres
        finally:
            postgres.stop()


async def test_a_database_outage_is_503_until_it_is_back(private_postgres: EmbeddedPostgres) -> None:
    db = Database.connect(private_postgres.url.replace("postgresql://", "postgresql+asyncpg://"), "public")
    try:
        async with serve(service_app(db)) as url, httpx.AsyncClient(base_url=url) as client:
            before = await client.get("/count")
            await asyncio.to_thread(private_postgres.stop)
            during = [await client.get("/count") for _ in range(3)]
            ready_during = await client.get("/readyz")
            await asyncio.to_thread(private_postgres.start)
            after = await client.get("/count")
            ready_after = await client.get("/readyz")
    finally:
        await db.dispose()
    assert before.json() == {"value": 42}
    assert [a.status_code for a in during] == [503, 503, 503]
    assert all(int(a.headers["retry-after"]) > 0 for a in during)
    assert ready_during.json()["checks"]["database"].startswith("unavailable")
    assert after.status_code == 200
    assert after.json() == {"value": 42}
    assert ready_after.json()["checks"]["database"] == "ok"
