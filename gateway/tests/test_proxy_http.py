"""The proxy over real HTTP: uvicorn in front (the gateway as it runs) and real upstream
servers behind it that close connections, cut bodies and go away. `/api/callbacks/...` is a
public route to the actions service, so these need no token."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from gateway.config import GatewaySettings
from gateway.main import create_app

from .gateway_testkit import SigningKey
from .http_servers import RawRequest, RawUpstream, free_port, response, uvicorn_server


@contextlib.asynccontextmanager
async def gateway_before(upstream_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway under uvicorn in front of `upstream_url`, and a client of it."""
    settings = GatewaySettings(
        env="test", spa_dir=tmp_path, actions_url=upstream_url, identity_url=upstream_url
    )
    async with uvicorn_server(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        yield client


def echo_app() -> FastAPI:
    app = FastAPI()

    @app.api_route("/api/callbacks/{rest:path}", methods=["GET", "POST", "PUT", "HEAD"])
    async def echo(rest: str, request: Request) -> Response:
        if rest == "download":
            return Response(b"x" * 1_000_000, media_type="application/octet-stream")
        if rest == "empty":
            return Response(status_code=204)
        body = await request.body()
        return JSONResponse(
            {
                "raw_path": request.scope["raw_path"].decode(),
                "query": request.scope["query_string"].decode(),
                "headers": dict(request.headers),
                "body_length": len(body),
            }
        )

    return app


class TestPaths:
    @pytest.mark.parametrize(
        "target",
        [
            "/api/callbacks/%1AM%04",
            "/api/identity/users/%00",
            "/api/callbacks/%7F",
            "/api/callbacks/%C2%85",
            "/api/callbacks/%FF%FE",
            "/api/callbacks/%2e%2e/actions/internal",
            "/api/callbacks/../actions/internal",
            "/api/callbacks/./x",
        ],
    )
    async def test_a_path_that_cannot_be_decoded_or_forwarded_is_400(
        self, tmp_path: Path, target: str
    ) -> None:
        upstream = RawUpstream(self._never)
        async with upstream.running() as upstream_url, gateway_before(upstream_url, tmp_path) as client:
            port = client.base_url.port
            assert port is not None
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"POST {target} HTTP/1.1\r\nhost: gw\r\ncontent-length: 0\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ")[1])
            length = int(
                next(
                    v
                    for k, _, v in (line.partition(b":") for line in head.split(b"\r\n"))
                    if k.lower() == b"content-length"
                )
            )
            body = json.loads(await reader.readexactly(length))
            writer.close()
        assert status == 400
        assert body["status"] == 400
        assert body["detail"]
        assert upstream.requests == []

    async def test_the_path_is_forwarded_as_the_client_encoded_it(self, tmp_path: Path) -> None:
        async with (
            uvicorn_server(echo_app()) as upstream_url,
            gateway_before(upstream_url, tmp_path) as client,
        ):
            answer = await client.get("/api/callbacks/a%2Fb%20c%25?q=%26x&y=%C3%A9")
        assert answer.status_code == 200
        assert answer.json()["raw_path"] == "/api/callbacks/a%2Fb%20c%25"
        assert answer.json()["query"] == "q=%26x&y=%C3%A9"

    @staticmethod
    async def _never(request: RawRequest, writer: asyncio.StreamWriter) -> bool:
        writer.write(response("200 OK", b"{}"))
        return True


class TestClosedConnections:
    async def test_a_pooled_connection_the_service_dropped_is_not_failed_on_the_next_caller(
        self, tmp_path: Path
    ) -> None:
        """The service answers the first request, then drops the connection just as the gateway
        reuses it (as uvicorn does after a 500, or at its keep-alive timeout)."""

        async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> bool:
            if request.number_on_connection == 2:
                return False
            writer.write(response("500 Internal Server Error", b'{"status": 500}'))
            return True

        upstream = RawUpstream(handler)
        async with upstream.running() as upstream_url, gateway_before(upstream_url, tmp_path) as client:
            first = await client.get("/api/callbacks/one")
            second = await client.get("/api/callbacks/two")
        assert first.status_code == 500
        assert second.status_code == 500  # the service's own answer, from a fresh connection
        assert [r.target for r in upstream.requests] == [
            "/api/callbacks/one",
            "/api/callbacks/two",
            "/api/callbacks/two",
        ]
        assert upstream.connections == 2

    async def test_a_post_that_may_have_reached_the_service_is_not_sent_twice(self, tmp_path: Path) -> None:
        async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> bool:
            if request.number_on_connection == 2:
                return False
            writer.write(response("200 OK", b"{}"))
            return True

        upstream = RawUpstream(handler)
        async with upstream.running() as upstream_url, gateway_before(upstream_url, tmp_path) as client:
            await client.post("/api/callbacks/one", json={})
            second = await client.post("/api/callbacks/two", json={"a": 1})
        assert second.status_code == 502
        assert second.headers["content-type"] == "application/problem+json"
        assert second.json()["detail"]
        assert [r.target for r in upstream.requests].count("/api/callbacks/two") == 1

    async def test_connection_close_from_the_service_is_honoured(self, tmp_path: Path) -> None:
        """The service says `Connection: close` but is slow to actually close: the gateway must
        not send the next request down that connection."""

        async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> bool:
            writer.write(response("200 OK", b"{}", headers={"connection": "close"}))
            await writer.drain()
            await asyncio.sleep(0.3)
            return False

        upstream = RawUpstream(handler)
        async with upstream.running() as upstream_url, gateway_before(upstream_url, tmp_path) as client:
            answers = [await client.post(f"/api/callbacks/{i}", json={}) for i in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert all(r.number_on_connection == 1 for r in upstream.requests)


class TestBrokenResponses:
    async def test_a_body_cut_short_is_502_never_a_success(self, tmp_path: Path) -> None:
        async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> bool:
            writer.write(response("201 Created", b'{"id": "HR-', length=562))
            return False

        async with (
            RawUpstream(handler).running() as upstream_url,
            gateway_before(upstream_url, tmp_path) as client,
        ):
            answer = await client.post("/api/callbacks/tickets", json={"title": "x"})
        assert answer.status_code == 502
        assert answer.headers["connection"] == "close"
        assert answer.json()["type"].endswith("/bad-gateway")

    async def test_headers_then_nothing_is_502(self, tmp_path: Path) -> None:
        async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> bool:
            writer.write(b"HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n")
            return False

        async with (
            RawUpstream(handler).running() as upstream_url,
            gateway_before(upstream_url, tmp_path) as client,
        ):
            answer = await client.post("/api/callbacks/tickets", json={})
        assert answer.status_code == 502

    async def test_a_large_download_streams_with_its_length(self, tmp_path: Path) -> None:
        async with (
            uvicorn_server(echo_app()) as upstream_url,
            gateway_before(upstream_url, tmp_path) as client,
            client.stream("GET", "/api/callbacks/download") as answer,
        ):
            body = b"".join([chunk async for chunk in answer.aiter_raw()])
        assert answer.status_code == 200
        assert answer.headers["content-length"] == "1000000"
        assert "transfer-encoding" not in answer.headers
        assert body == b"x" * 1_000_000

    @pytest.mark.parametrize("framing", ["length", "chunked"])
    async def test_a_download_cut_midway_reaches_the_client_as_cut(
        self, tmp_path: Path, framing: str
    ) -> None:
        part = b"y" * 600_000

        async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> bool:
            if framing == "length":
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2000000\r\n\r\n" + part)
            else:
                writer.write(
                    b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n%x\r\n%s\r\n" % (len(part), part)
                )
            await writer.drain()
            return False

        async with (
            RawUpstream(handler).running() as upstream_url,
            gateway_before(upstream_url, tmp_path) as client,
            client.stream("GET", "/api/callbacks/file") as answer,
        ):
            assert answer.status_code == 200
            with pytest.raises(httpx.RemoteProtocolError):
                await answer.aread()

    async def test_small_answers_carry_their_length_and_empty_ones_none(self, tmp_path: Path) -> None:
        async with (
            uvicorn_server(echo_app()) as upstream_url,
            gateway_before(upstream_url, tmp_path) as client,
        ):
            small = await client.get("/api/callbacks/x")
            empty = await client.get("/api/callbacks/empty")
            head = await client.head("/api/callbacks/download")
        assert small.headers["content-length"] == str(len(small.content))
        assert empty.status_code == 204
        assert empty.content == b""
        assert head.status_code == 200
        assert head.headers["content-length"] == "1000000"


class TestRequestBodies:
    async def test_a_small_body_reaches_the_service_with_its_length_not_chunked(self, tmp_path: Path) -> None:
        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"a": '
            yield b"1}"

        async with (
            uvicorn_server(echo_app()) as upstream_url,
            gateway_before(upstream_url, tmp_path) as client,
        ):
            streamed = await client.post("/api/callbacks/x", content=chunks())
            plain = await client.post("/api/callbacks/x", json={"a": 1})
        for answer in (streamed, plain):
            seen = answer.json()["headers"]
            assert "transfer-encoding" not in seen
            assert seen["content-length"] == str(answer.json()["body_length"])

    async def test_a_large_body_streams_with_the_length_the_client_gave(self, tmp_path: Path) -> None:
        async with (
            uvicorn_server(echo_app()) as upstream_url,
            gateway_before(upstream_url, tmp_path) as client,
        ):
            answer = await client.put("/api/callbacks/x", content=b"z" * 3_000_000)
        seen = answer.json()
        assert seen["body_length"] == 3_000_000
        assert seen["headers"]["content-length"] == "3000000"
        assert "transfer-encoding" not in seen["headers"]


class TestUnreachable:
    async def test_a_service_that_refuses_connections_is_503_with_retry_after(self, tmp_path: Path) -> None:
        closed = f"http://127.0.0.1:{free_port()}"
        async with gateway_before(closed, tmp_path) as client:
            answer = await client.post("/api/callbacks/x", json={})
        assert answer.status_code == 503
        assert int(answer.headers["retry-after"]) > 0
        assert answer.json()["detail"]

    async def test_an_unreachable_identity_is_503_with_retry_after_for_signed_in_calls(
        self, tmp_path: Path
    ) -> None:
        token = SigningKey.generate().token()
        async with gateway_before(f"http://127.0.0.1:{free_port()}", tmp_path) as client:
            answer = await client.get("/api/tickets/tickets", headers={"authorization": f"Bearer {token}"})
        assert answer.status_code == 503
        assert int(answer.headers["retry-after"]) > 0
