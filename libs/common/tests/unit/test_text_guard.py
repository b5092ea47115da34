"""Text Postgres cannot store is refused with a 422 naming the field, before any route runs."""

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from common.errors import install_problem_handlers
from common.text_guard import MAX_JSON_BODY_BYTES, TextGuardMiddleware, json_problems, text_problem


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(TextGuardMiddleware)

    @app.post("/echo")
    async def echo(body: dict[str, Any]) -> dict[str, Any]:
        return body

    @app.get("/search")
    async def search(q: str = "") -> dict[str, str]:
        return {"q": q}

    @app.get("/items/{key}")
    async def item(key: str) -> dict[str, str]:
        return {"key": key}

    return app


@pytest.fixture
async def client() -> Any:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def _post_json(text: str) -> dict[str, Any]:
    return {"content": text.encode("utf-8"), "headers": {"content-type": "application/json"}}


class TestBodies:
    async def test_a_nul_in_a_string_is_refused_naming_the_field(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/echo", **_post_json('{"ticket": {"title": "a\\u0000b"}}'))
        assert response.status_code == 422
        body = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["loc"] for e in body["errors"]] == [["body", "ticket", "title"]]
        assert body["errors"][0]["type"] == "invalid_text"

    async def test_a_lone_surrogate_is_refused(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/echo", **_post_json('{"items": ["ok", "\\ud800"]}'))
        assert response.status_code == 422
        assert [e["loc"] for e in response.json()["errors"]] == [["body", "items", 1]]

    async def test_a_bad_key_names_its_object(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/echo", **_post_json('{"data": {"k\\u0000": 1}}'))
        assert response.status_code == 422
        assert [e["loc"] for e in response.json()["errors"]] == [["body", "data"]]

    async def test_a_surrogate_pair_is_ordinary_text(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/echo", **_post_json('{"title": "\\ud83d\\ude00"}'))
        assert response.status_code == 200
        assert response.json() == {"title": "\U0001f600"}

    async def test_deep_json_is_refused(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/echo", **_post_json('{"a": ' + "[" * 10_000 + "]" * 10_000 + "}"))
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "too_deep"

    async def test_an_oversized_json_body_is_413(self, client: httpx.AsyncClient) -> None:
        blob = json.dumps({"a": "x" * (MAX_JSON_BODY_BYTES + 1)})
        response = await client.post("/echo", **_post_json(blob))
        assert response.status_code == 413

    async def test_ordinary_json_reaches_the_route_intact(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/echo", **_post_json('{"title": "Laptop für Zoë", "n": [1, {"b": null}]}')
        )
        assert response.status_code == 200
        assert response.json() == {"title": "Laptop für Zoë", "n": [1, {"b": None}]}

    async def test_broken_json_is_left_to_the_route(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/echo", **_post_json("{nope"))
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "json_invalid"


class TestQueryAndPath:
    async def test_a_nul_in_a_query_parameter(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/search?q=a%00b")
        assert response.status_code == 422
        assert [e["loc"] for e in response.json()["errors"]] == [["query", "q"]]

    async def test_a_nul_in_the_path(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/items/a%00b")
        assert response.status_code == 422
        assert [e["loc"] for e in response.json()["errors"]] == [["path"]]

    async def test_ordinary_query(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/search?q=caf%C3%A9")
        assert response.json() == {"q": "café"}


def test_text_problem() -> None:
    assert text_problem("plain") is None
    assert text_problem("a\x00") is not None
    assert text_problem("\udfff") is not None


def test_json_problems_reports_depth_once() -> None:
    deep: Any = "x"
    for _ in range(150):
        deep = [deep]
    problems = json_problems({"a": deep, "b": "\x00"}, ["body"])
    assert [p["type"] for p in problems] == ["too_deep", "invalid_text"]
