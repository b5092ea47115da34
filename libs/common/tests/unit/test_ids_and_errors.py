"""UUIDv7 ordering, and problem details that never leak a stack trace."""

from uuid import UUID

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from common.errors import NotFound, install_problem_handlers
from contracts.ids import uuid7


class TestUuid7:
    def test_version_and_variant(self) -> None:
        value = uuid7()
        assert value.version == 7
        assert value.variant == "specified in RFC 4122"

    def test_ids_minted_in_sequence_sort_in_sequence(self) -> None:
        ids = [uuid7() for _ in range(5000)]
        assert ids == sorted(ids)
        assert len(set(ids)) == len(ids)


class Body(BaseModel):
    name: str
    size: int


def problem_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/missing")
    async def missing() -> None:
        raise NotFound("No such ticket.")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @app.post("/things")
    async def things(body: Body) -> Body:
        return body

    @app.put("/things/{thing_id}")
    async def put_thing(thing_id: UUID, body: Body) -> Body:
        return body

    @app.get("/things/{thing_id}/versions/{version}")
    async def thing_version(thing_id: UUID, version: int) -> dict[str, str]:
        return {"thing_id": str(thing_id), "version": str(version)}

    return app


class TestProblemDetails:
    async def test_domain_error(self) -> None:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=problem_app()), base_url="http://t"
        ) as c:
            response = await c.get("/missing")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == "No such ticket."

    async def test_validation_lists_every_problem(self) -> None:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=problem_app()), base_url="http://t"
        ) as c:
            response = await c.post("/things", json={"size": "big"})
        assert response.status_code == 422
        locs = sorted(tuple(e["loc"]) for e in response.json()["errors"])
        assert locs == [("body", "name"), ("body", "size")]

    async def test_a_malformed_id_in_the_path_is_not_found(self) -> None:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=problem_app()), base_url="http://t"
        ) as c:
            response = await c.get("/things/not-a-uuid/versions/1")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["title"] == "Not found"
        assert body["type"].endswith("/not-found")
        assert body["instance"] == "/things/not-a-uuid/versions/1"
        assert [e["loc"] for e in body["errors"]] == [["path", "thing_id"]]

    async def test_a_path_number_that_is_no_number_is_not_found(self) -> None:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=problem_app()), base_url="http://t"
        ) as c:
            response = await c.get("/things/0190a0b0-0000-7000-8000-00000000dead/versions/latest")
            valid = await c.get("/things/0190a0b0-0000-7000-8000-00000000dead/versions/2")
        assert response.status_code == 404
        assert [e["loc"] for e in response.json()["errors"]] == [["path", "version"]]
        assert valid.status_code == 200

    async def test_a_malformed_path_id_wins_over_a_bad_body_and_names_only_the_path(self) -> None:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=problem_app()), base_url="http://t"
        ) as c:
            response = await c.put("/things/123", json={"size": "big"})
            body_only = await c.put("/things/0190a0b0-0000-7000-8000-00000000dead", json={"size": "big"})
        assert response.status_code == 404
        assert [e["loc"] for e in response.json()["errors"]] == [["path", "thing_id"]]
        # With a well-formed id the body's problems are still a 422 naming each field.
        assert body_only.status_code == 422
        assert sorted(tuple(e["loc"]) for e in body_only.json()["errors"]) == [
            ("body", "name"),
            ("body", "size"),
        ]

    async def test_unexpected_error_hides_its_internals(self) -> None:
        transport = httpx.ASGITransport(app=problem_app(), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            response = await c.get("/boom")
        assert response.status_code == 500
        assert "secret internals" not in response.text
        assert "Traceback" not in response.text
        assert response.json()["title"] == "Internal error"
