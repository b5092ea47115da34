"""The admin API of the actions service: signing secret, allowlist, metrics."""

from collections.abc import AsyncIterator
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from actions.allowlist.service import allowlist_for
from actions.config import ActionsSettings
from actions.consumers import build_consumer
from actions.main import create_app
from actions.runner.pool import ActionPool
from common.db import Database
from common.testing.infra import claims_headers
from contracts.ids import uuid7

from ..conftest import Receiver, RequestFactory, RunnerFactory


@pytest.fixture
def app(db: Database, settings: ActionsSettings) -> FastAPI:
    app = create_app(settings)
    app.state.db = db
    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


def admin(company: UUID) -> dict[str, str]:
    return claims_headers(company, roles=["admin"])


class TestSigningSecret:
    async def test_the_secret_is_created_on_first_use_and_stays(self, client: httpx.AsyncClient) -> None:
        company = uuid7()
        first = await client.get("/api/actions/signing-secret", headers=admin(company))
        second = await client.get("/api/actions/signing-secret", headers=admin(company))

        assert first.status_code == 200, first.text
        assert first.json()["secret"].startswith("whsec_")
        assert second.json()["secret"] == first.json()["secret"]

    async def test_companies_have_different_secrets(self, client: httpx.AsyncClient) -> None:
        a = await client.get("/api/actions/signing-secret", headers=admin(uuid7()))
        b = await client.get("/api/actions/signing-secret", headers=admin(uuid7()))

        assert a.json()["secret"] != b.json()["secret"]

    async def test_rotation_keeps_the_previous_secret_for_a_grace_period(
        self, client: httpx.AsyncClient
    ) -> None:
        company = uuid7()
        old = (await client.get("/api/actions/signing-secret", headers=admin(company))).json()["secret"]

        rotated = await client.post("/api/actions/signing-secret/rotate", headers=admin(company))

        assert rotated.status_code == 200
        assert rotated.json()["secret"] not in (old, None)
        assert rotated.json()["previous_secret"] == old

    @pytest.mark.parametrize("roles", [["user"], ["workflow_creator", "task_worker"]])
    async def test_only_admins_see_it(self, client: httpx.AsyncClient, roles: list[str]) -> None:
        response = await client.get(
            "/api/actions/signing-secret", headers=claims_headers(uuid7(), roles=roles)
        )

        assert response.status_code == 403

    async def test_without_gateway_claims_it_is_refused(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/api/actions/signing-secret")).status_code == 401


class TestAllowlist:
    async def test_an_admin_adds_lists_and_removes_entries(self, client: httpx.AsyncClient) -> None:
        company = uuid7()
        cidr = await client.post(
            "/api/actions/allowlist", json={"entry": "10.1.2.3/16"}, headers=admin(company)
        )
        host = await client.post(
            "/api/actions/allowlist", json={"entry": "ERP.Internal."}, headers=admin(company)
        )

        assert cidr.status_code == 201, cidr.text
        assert (cidr.json()["entry"], cidr.json()["kind"]) == ("10.1.0.0/16", "cidr")
        assert (host.json()["entry"], host.json()["kind"]) == ("erp.internal", "host")
        listed = await client.get("/api/actions/allowlist", headers=admin(company))
        assert [e["entry"] for e in listed.json()] == ["10.1.0.0/16", "erp.internal"]

        removed = await client.delete(f"/api/actions/allowlist/{cidr.json()['id']}", headers=admin(company))
        assert removed.status_code == 204
        listed = await client.get("/api/actions/allowlist", headers=admin(company))
        assert [e["entry"] for e in listed.json()] == ["erp.internal"]

    async def test_a_duplicate_is_a_conflict(self, client: httpx.AsyncClient) -> None:
        company = uuid7()
        await client.post("/api/actions/allowlist", json={"entry": "10.0.0.0/8"}, headers=admin(company))

        again = await client.post(
            "/api/actions/allowlist", json={"entry": "10.0.0.0/8"}, headers=admin(company)
        )

        assert again.status_code == 409

    async def test_bad_input_lists_every_problem(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/api/actions/allowlist",
            json={"entry": "not a host!", "note": "x" * 400, "extra": 1},
            headers=admin(uuid7()),
        )

        assert response.status_code == 422
        locs = {tuple(e["loc"]) for e in response.json()["errors"]}
        assert locs == {("body", "entry"), ("body", "note"), ("body", "extra")}

    async def test_another_companys_entry_is_not_found(self, client: httpx.AsyncClient) -> None:
        owner = uuid7()
        created = await client.post(
            "/api/actions/allowlist", json={"entry": "10.0.0.0/8"}, headers=admin(owner)
        )

        response = await client.delete(
            f"/api/actions/allowlist/{created.json()['id']}", headers=admin(uuid7())
        )

        assert response.status_code == 404
        listed = await client.get("/api/actions/allowlist", headers=admin(owner))
        assert len(listed.json()) == 1


class TestMetrics:
    async def test_the_company_sees_its_hosts_and_the_runner_lag(
        self,
        client: httpx.AsyncClient,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
    ) -> None:
        company = uuid7()
        harness = await make_runner(allow_private_targets=True)
        for path in ("/echo", "/echo", "/status/400"):
            await harness.handle(new_request(company, receiver.url(path))[1])
        await harness.handle(new_request(uuid7(), receiver.url("/echo"))[1])

        response = await client.get("/api/actions/metrics", headers=admin(company))

        assert response.status_code == 200, response.text
        [host] = response.json()["hosts"]
        assert (host["host"], host["requests"], host["succeeded"], host["failed"]) == ("127.0.0.1", 3, 2, 1)
        assert response.json()["lag"]["group"] == "actions"
        assert response.json()["lag"]["total"] is not None

    async def test_the_prometheus_endpoint_counts_calls_by_host(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        db: Database,
        settings: ActionsSettings,
        receiver: Receiver,
        new_request: RequestFactory,
    ) -> None:
        company = uuid7()
        await client.post("/api/actions/allowlist", json={"entry": "127.0.0.0/8"}, headers=admin(company))
        runner = app.state.runner
        runner.settings = runner.settings.model_copy(update={"max_in_flight": 1})
        await build_consumer(db, settings, runner).handle(new_request(company, receiver.url("/echo"))[1])
        queued = await client.get("/metrics")
        await ActionPool(db, runner).drain()

        response = await client.get("/metrics")

        assert response.status_code == 200
        assert 'actions_calls_total{host="127.0.0.1",result="2xx"} 1' in response.text
        assert 'actions_outcomes_total{host="127.0.0.1",outcome="succeeded"} 1' in response.text
        assert 'actions_call_seconds_count{host="127.0.0.1"} 1' in response.text
        assert "actions_consumer_lag_total" in response.text
        # The autoscaler's figure: the job waited, then nothing was left.
        assert "actions_jobs_outstanding 1" in queued.text
        assert "actions_jobs_outstanding 0" in response.text


class TestRemovedEntriesAreSoftDeleted:
    async def test_the_row_stays_and_the_entry_can_be_added_again(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        company = uuid7()
        first = await client.post(
            "/api/actions/allowlist", json={"entry": "10.0.0.0/8"}, headers=admin(company)
        )
        removed = await client.delete(f"/api/actions/allowlist/{first.json()['id']}", headers=admin(company))
        assert removed.status_code == 204

        again = await client.delete(f"/api/actions/allowlist/{first.json()['id']}", headers=admin(company))
        assert again.status_code == 404
        async with db.unit_of_work(company) as uow:
            allowed = await allowlist_for(uow.session, company)
            deleted_at = await uow.session.scalar(
                text("SELECT deleted_at FROM actions.company_allowlist WHERE id = :id"),
                {"id": first.json()["id"]},
            )
        assert allowed.is_empty
        assert deleted_at is not None

        readded = await client.post(
            "/api/actions/allowlist", json={"entry": "10.0.0.0/8"}, headers=admin(company)
        )
        assert readded.status_code == 201
        assert readded.json()["id"] != first.json()["id"]
        listed = await client.get("/api/actions/allowlist", headers=admin(company))
        assert [e["id"] for e in listed.json()] == [readded.json()["id"]]
