"""SLA breaches per task definition: tasks completed after their due time or still open past
it, over the tasks due in the range, and none of another company's."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from contracts.ids import uuid7
from engine.models import TaskInstance

from ..conftest import EngineHarness
from .test_reports_api import Company

DUE = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
RANGE = "from=2026-03-01&to=2026-03-31"


async def due_task(
    company: Company,
    key: str,
    *,
    due: datetime,
    completed: datetime | None = None,
    status: str | None = None,
) -> UUID:
    """A task due at `due`, completed at `completed` (or still assigned)."""
    task_id = uuid7()
    instance_id = await company.instance()
    async with company.engine.db.unit_of_work(company.company_id) as uow:
        uow.session.add(
            TaskInstance(
                company_id=company.company_id,
                id=task_id,
                workflow_instance_id=instance_id,
                sequence=1,
                task_key=key,
                name=key.title(),
                task_type="FORM",
                status=status or ("COMPLETED" if completed is not None else "ASSIGNED"),
                created_at=due - timedelta(days=1),
                completed_at=completed,
                due_at=due,
            )
        )
    return task_id


class TestEngineSla:
    async def test_counts_breaches_per_definition_with_the_due_time_itself_on_time(
        self, engine: EngineHarness
    ) -> None:
        company = Company(engine)
        await due_task(company, "review", due=DUE, completed=DUE)  # at the due time: on time
        await due_task(company, "review", due=DUE, completed=DUE + timedelta(seconds=1))  # breached
        await due_task(company, "review", due=DUE, completed=DUE - timedelta(hours=1))  # on time
        await due_task(company, "review", due=DUE)  # open past its due time: breached
        # Cancelled and skipped owe nothing; due outside the range does not count.
        await due_task(company, "review", due=DUE, status="CANCELLED")
        await due_task(company, "review", due=DUE, completed=DUE + timedelta(days=1), status="SKIPPED")
        await due_task(company, "review", due=DUE - timedelta(days=10))
        await company.task("review", created=DUE, took=timedelta(days=3))  # no due date
        await due_task(company, "approve", due=DUE + timedelta(days=25), completed=DUE + timedelta(days=30))
        await due_task(company, "approve", due=datetime.now(UTC) + timedelta(days=1))  # not due yet
        async with engine.admin() as client:
            march = await client.get(f"/api/engine/metrics/sla?{RANGE}")
            today = datetime.now(UTC).date()
            soon = await client.get(
                f"/api/engine/metrics/sla?from={today.isoformat()}&to={(today + timedelta(days=2)).isoformat()}"
            )
        assert march.status_code == 200, march.text
        assert (march.json()["from"], march.json()["to"]) == ("2026-03-01", "2026-03-31")
        assert march.json()["per_task_definition"] == [
            {
                "task_key": "approve",
                "name": "Approve",
                "task_type": "FORM",
                "due": 1,
                "breached": 1,
                "open_breached": 0,
                "breach_rate": 1.0,
            },
            {
                "task_key": "review",
                "name": "Review",
                "task_type": "FORM",
                "due": 4,
                "breached": 2,
                "open_breached": 1,
                "breach_rate": 0.5,
            },
        ]
        assert [(r["task_key"], r["due"], r["breached"]) for r in soon.json()["per_task_definition"]] == [
            ("approve", 1, 0)
        ]

    async def test_another_company_sees_none_of_the_numbers(self, engine: EngineHarness) -> None:
        await due_task(Company(engine), "review", due=DUE)
        other = EngineHarness(engine.db, engine.settings)
        async with other.admin() as client:
            theirs = (await client.get(f"/api/engine/metrics/sla?{RANGE}")).json()
        async with engine.admin() as client:
            ours = (await client.get(f"/api/engine/metrics/sla?{RANGE}")).json()
        assert theirs["per_task_definition"] == []
        assert [(r["due"], r["breached"]) for r in ours["per_task_definition"]] == [(1, 1)]

    async def test_a_bad_range_is_a_problem_and_the_team_only_may_read(self, engine: EngineHarness) -> None:
        async with engine.admin() as client:
            backwards = await client.get("/api/engine/metrics/sla?from=2026-04-01&to=2026-03-01")
            too_long = await client.get("/api/engine/metrics/sla?from=2024-01-01&to=2026-01-01")
        for response, loc in ((backwards, "from"), (too_long, "to")):
            assert response.status_code == 422
            assert response.headers["content-type"] == "application/problem+json"
            assert [tuple(e["loc"]) for e in response.json()["errors"]] == [("query", loc)]
        async with engine.worker(uuid7()) as client:
            assert (await client.get("/api/engine/metrics/sla")).status_code == 403
