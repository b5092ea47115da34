"""The one layer every service request passes (`RequestContextMiddleware`, as
`create_service_app` stacks it with the text guard) under a real uvicorn: it answers an error no
handler took, inside or outside the guard, without costing the caller its kept-alive connection;
it keeps a plain request id and replaces any other."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from common.errors import install_problem_handlers
from common.service import RequestContextMiddleware
from common.text_guard import TextGuardMiddleware

from .test_http_runtime import Connects, serve


class Exploding:
    """A middleware that fails on one path, as a broken layer inside the request context would."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/layer-boom":
            raise RuntimeError("secret layer internals")
        await self.app(scope, receive, send)


def service_stack() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app, last_resort=False)
    app.add_middleware(Exploding)
    app.add_middleware(TextGuardMiddleware)
    app.add_middleware(RequestContextMiddleware)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/ok")
    async def ok(request: Request) -> dict[str, str]:
        return {"request_id": request.headers["x-request-id"]}

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(service_stack()) as url, httpx.AsyncClient(base_url=url) as client:
        yield client


@pytest.mark.parametrize("path", ["/boom", "/layer-boom"])
async def test_an_unhandled_error_answers_500_and_keeps_the_connection(
    client: httpx.AsyncClient, path: str
) -> None:
    connects = Connects()
    failed = await client.get(path, headers={"x-request-id": "req-1"}, extensions={"trace": connects})
    after = await client.get("/ok", extensions={"trace": connects})
    assert failed.status_code == 500
    assert failed.headers["content-type"] == "application/problem+json"
    assert "secret" not in failed.text
    assert failed.headers["x-request-id"] == "req-1"
    assert after.status_code == 200
    assert connects.count == 1


async def test_a_plain_request_id_is_kept_and_any_other_replaced(client: httpx.AsyncClient) -> None:
    kept = await client.get("/ok", headers={"x-request-id": "abc-123"})
    assert kept.headers["x-request-id"] == "abc-123"
    assert kept.json()["request_id"] == "abc-123"
    replaced = await client.get("/ok", headers={b"x-request-id": b"bad id\xc3\xa9<script>"})
    assert len(replaced.headers["x-request-id"]) == 36
    assert replaced.json()["request_id"] == replaced.headers["x-request-id"]
    made_up = await client.get("/ok")
    assert len(made_up.headers["x-request-id"]) == 36
    assert made_up.json()["request_id"] == made_up.headers["x-request-id"]


async def test_the_text_guard_still_refuses_inside_the_context(client: httpx.AsyncClient) -> None:
    refused = await client.get("/ok", params={"q": "a\x00b"})
    assert refused.status_code == 422
    assert refused.headers["x-request-id"]
