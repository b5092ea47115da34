"""The actions report: failures by target host over a date range, one company's alone."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from actions.config import ActionsSettings
from actions.main import create_app
from actions.models import ActionJob, JobStatus
from common.db import Database
from common.testing.infra import claims_headers
from contracts.ids import uuid7

DAY_1 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def app(db: Database, settings: ActionsSettings) -> FastAPI:
    app = create_app(settings)
    app.state.db = db
    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


async def job(
    db: Database,
    company_id: UUID,
    host: str,
    status: JobStatus,
    finished_at: datetime | None,
    *,
    error: str | None = None,
    http_calls: int = 1,
) -> None:
    """A job as a runner leaves it when its request has ended (or not yet, `finished_at` None)."""
    async with db.unit_of_work(company_id) as uow:
        uow.session.add(
            ActionJob(
                company_id=company_id,
                task_instance_id=uuid7(),
                request_id=uuid7(),
                workflow_instance_id=uuid7(),
                attempt=1,
                task_type="SYNC_ACTION",
                host=host,
                request={},
                status=status,
                http_calls=http_calls,
                finished_at=finished_at,
                error=error,
            )
        )


class TestActionReport:
    async def test_failures_by_host_with_the_newest_error(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        company = uuid7()
        await job(db, company, "erp.example", JobStatus.SUCCEEDED, DAY_1)
        await job(db, company, "erp.example", JobStatus.FAILED, DAY_1, error="HTTP 500", http_calls=3)
        await job(
            db,
            company,
            "erp.example",
            JobStatus.FAILED,
            DAY_1 + timedelta(days=1),
            error="timeout",
            http_calls=3,
        )
        await job(db, company, "erp.example", JobStatus.FAILED, DAY_1 + timedelta(days=30), error="later")
        await job(db, company, "erp.example", JobStatus.RUNNING, None)  # not ended: not counted
        await job(db, company, "hr.example", JobStatus.SUCCEEDED, DAY_1)
        response = await client.get(
            "/api/actions/reports?from=2026-03-01&to=2026-03-07",
            headers=claims_headers(company, roles=["admin"]),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-07")
        assert [
            (h["host"], h["finished"], h["failed"], h["failure_rate"], h["http_calls"], h["last_error"])
            for h in body["hosts"]
        ] == [
            ("erp.example", 3, 2, 0.6667, 7, "timeout"),
            ("hr.example", 1, 0, 0.0, 1, None),
        ]
        assert body["hosts"][0]["last_failure_at"].startswith("2026-03-03")

    async def test_another_company_sees_none_of_the_numbers(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        company, other = uuid7(), uuid7()
        await job(db, company, "erp.example", JobStatus.FAILED, DAY_1, error="HTTP 500")
        response = await client.get(
            "/api/actions/reports?from=2026-03-01&to=2026-03-07",
            headers=claims_headers(other, roles=["admin"]),
        )
        assert response.status_code == 200
        assert response.json()["hosts"] == []

    async def test_a_bad_range_is_a_problem(self, client: httpx.AsyncClient) -> None:
        response = await client.get(
            "/api/actions/reports?from=2026-03-08&to=2026-03-01",
            headers=claims_headers(uuid7(), roles=["admin"]),
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert [tuple(e["loc"]) for e in response.json()["errors"]] == [("query", "from")]

    async def test_only_admins_read_it(self, client: httpx.AsyncClient) -> None:
        response = await client.get(
            "/api/actions/reports", headers=claims_headers(uuid7(), roles=["ticket_admin"])
        )
        assert response.status_code == 403
