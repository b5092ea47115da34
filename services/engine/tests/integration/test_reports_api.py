"""The engine's dashboard figures and reports: each aggregate over task and workflow instances
placed at known times, and none of another company's numbers in any of them."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from common.reporting import week_start
from contracts.ids import uuid7
from engine.models import TaskInstance, Worker, WorkflowInstance

from ..conftest import EngineHarness

DAY_1 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RANGE = "from=2026-03-01&to=2026-03-31"


class Company:
    """Writes a company's instances directly, as months of work would have left them."""

    def __init__(self, engine: EngineHarness, company_id: UUID | None = None) -> None:
        self.engine = engine
        self.company_id = company_id or engine.company_id

    async def worker(self, name: str) -> UUID:
        user_id = uuid7()
        async with self.engine.db.unit_of_work(self.company_id) as uow:
            uow.session.add(
                Worker(
                    company_id=self.company_id,
                    user_id=user_id,
                    email=f"{name.lower()}@example.com",
                    display_name=name,
                    is_active=True,
                    is_task_worker=True,
                )
            )
        return user_id

    async def instance(self, status: str = "RUNNING", **extra: Any) -> UUID:
        instance_id = uuid7()
        async with self.engine.db.unit_of_work(self.company_id) as uow:
            uow.session.add(
                WorkflowInstance(
                    company_id=self.company_id,
                    id=instance_id,
                    ticket_id=uuid7(),
                    ticket_number=extra.pop("ticket_number", f"T-{instance_id.hex[-4:]}"),
                    ticket_title=extra.pop("ticket_title", "A ticket"),
                    ticket_definition_key="tt",
                    workflow_definition_id=uuid7(),
                    workflow_key="wf",
                    workflow_version=1,
                    status=status,
                    workflow_data={},
                    **extra,
                )
            )
        return instance_id

    async def task(
        self,
        key: str,
        *,
        created: datetime,
        took: timedelta | None = None,
        assignee: UUID | None = None,
        waited: timedelta = timedelta(0),
        task_type: str = "FORM",
        status: str | None = None,
        instance_id: UUID | None = None,
    ) -> UUID:
        """A task created at `created`, assigned `waited` later, completed `took` after its creation."""
        task_id = uuid7()
        instance_id = instance_id or await self.instance()
        async with self.engine.db.unit_of_work(self.company_id) as uow:
            uow.session.add(
                TaskInstance(
                    company_id=self.company_id,
                    id=task_id,
                    workflow_instance_id=instance_id,
                    sequence=1,
                    task_key=key,
                    name=key.title(),
                    task_type=task_type,
                    status=status or ("COMPLETED" if took is not None else "ASSIGNED"),
                    assignee_id=assignee,
                    assigned_at=created + waited if assignee else None,
                    created_at=created,
                    completed_at=created + took if took is not None else None,
                )
            )
        return task_id


class TestEngineReport:
    async def test_time_per_task_definition(self, engine: EngineHarness) -> None:
        company = Company(engine)
        for minutes in (10, 20, 30, 40, 100):
            await company.task("review", created=DAY_1, took=timedelta(minutes=minutes))
        await company.task("provision", created=DAY_1, took=timedelta(seconds=2), task_type="SYNC_ACTION")
        await company.task("review", created=DAY_1 - timedelta(days=5), took=timedelta(minutes=1))  # before
        await company.task("review", created=DAY_1, status="ASSIGNED")  # not completed
        async with engine.admin() as client:
            response = await client.get(f"/api/engine/metrics/report?{RANGE}")
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-31")
        assert body["time_per_task_definition"] == [
            {
                "task_key": "provision",
                "name": "Provision",
                "task_type": "SYNC_ACTION",
                "completed": 1,
                "total_seconds": 2.0,
                "mean_seconds": 2.0,
                "p50_seconds": 2.0,
                "p90_seconds": 2.0,
            },
            {
                "task_key": "review",
                "name": "Review",
                "task_type": "FORM",
                "completed": 5,
                "total_seconds": 200 * 60.0,
                "mean_seconds": 40 * 60.0,
                "p50_seconds": 30 * 60.0,
                # Between the 4th (40 min) and the 5th (100 min): 40 + 0.6 * 60 minutes.
                "p90_seconds": 76 * 60.0,
            },
        ]

    async def test_worker_throughput_counts_form_tasks_per_worker(self, engine: EngineHarness) -> None:
        company = Company(engine)
        wendy, otto = await company.worker("Wendy"), await company.worker("Otto")
        for hours in (1, 2, 3):
            await company.task(
                "review",
                created=DAY_1,
                took=timedelta(hours=hours + 1),
                waited=timedelta(hours=1),
                assignee=wendy,
            )
        await company.task("review", created=DAY_1, took=timedelta(hours=5), assignee=otto)
        await company.task("review", created=DAY_1, assignee=otto)  # still open
        async with engine.client(roles=["ticket_admin"]) as client:
            body = (await client.get(f"/api/engine/metrics/report?{RANGE}")).json()
        assert body["worker_throughput"] == [
            {"user_id": str(wendy), "display_name": "Wendy", "completed": 3, "median_seconds": 2 * 3600.0},
            {"user_id": str(otto), "display_name": "Otto", "completed": 1, "median_seconds": 5 * 3600.0},
        ]

    async def test_another_company_sees_none_of_the_numbers(self, engine: EngineHarness) -> None:
        company = Company(engine)
        wendy = await company.worker("Wendy")
        await company.task("review", created=DAY_1, took=timedelta(hours=1), assignee=wendy)
        await company.instance(status="INCIDENT", incident={"reason": "no transition"})
        other = EngineHarness(engine.db, engine.settings)
        async with other.admin() as client:
            report = (await client.get(f"/api/engine/metrics/report?{RANGE}")).json()
            overview = (await client.get("/api/engine/metrics/overview")).json()
        assert report["time_per_task_definition"] == []
        assert report["worker_throughput"] == []
        assert overview == {
            "workflows_by_status": {},
            "incidents": 0,
            "recent_incidents": [],
            "unassigned": 0,
            "queue_by_worker": [],
        }

    async def test_a_bad_range_is_a_problem_and_the_team_only_may_read(self, engine: EngineHarness) -> None:
        async with engine.admin() as client:
            response = await client.get("/api/engine/metrics/report?from=2026-04-01&to=2026-03-01")
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert [tuple(e["loc"]) for e in response.json()["errors"]] == [("query", "from")]
        async with engine.worker(uuid7()) as client:
            assert (await client.get("/api/engine/metrics/report")).status_code == 403
            assert (await client.get("/api/engine/metrics/overview")).status_code == 403


class TestOverview:
    async def test_incidents_unassigned_and_queue_by_worker(self, engine: EngineHarness) -> None:
        company = Company(engine)
        wendy = await company.worker("Wendy")
        await company.task("review", created=DAY_1, assignee=wendy)
        await company.task("review", created=DAY_1, status="PENDING")
        await company.instance(
            status="INCIDENT",
            incident={"reason": "no transition holds"},
            ticket_number="IT-7",
            ticket_title="Laptop",
        )
        async with engine.admin() as client:
            body = (await client.get("/api/engine/metrics/overview")).json()
        assert body["workflows_by_status"] == {"RUNNING": 2, "INCIDENT": 1}
        assert body["incidents"] == 1
        assert [(i["ticket_number"], i["ticket_title"], i["reason"]) for i in body["recent_incidents"]] == [
            ("IT-7", "Laptop", "no transition holds")
        ]
        assert body["unassigned"] == 1
        assert body["queue_by_worker"] == [{"user_id": str(wendy), "display_name": "Wendy", "open_tasks": 1}]


class TestMyPerformance:
    async def test_my_weeks_beside_the_teams_medians_and_oldest_open(self, engine: EngineHarness) -> None:
        company = Company(engine)
        me, otto, rita = (
            await company.worker("Me"),
            await company.worker("Otto"),
            await company.worker("Rita"),
        )
        this_week = week_start(datetime.now(UTC))
        last_week = this_week - timedelta(weeks=1)
        # Last week: me 2 tasks (1 h, 3 h), Otto 4 tasks (2 h each); this week Rita 1 (10 h).
        for hours in (1, 3):
            await company.task("review", created=last_week, took=timedelta(hours=hours), assignee=me)
        for _ in range(4):
            await company.task("review", created=last_week, took=timedelta(hours=2), assignee=otto)
        await company.task("review", created=this_week, took=timedelta(minutes=1), assignee=rita)
        # Long ago: outside the eight weeks.
        await company.task(
            "review", created=this_week - timedelta(weeks=20), took=timedelta(hours=50), assignee=me
        )
        newer = await company.task("review", created=datetime.now(UTC) - timedelta(hours=1), assignee=me)
        older = await company.task("review", created=datetime.now(UTC) - timedelta(days=2), assignee=me)
        await company.task("review", created=datetime.now(UTC) - timedelta(days=9), assignee=otto)

        async with engine.worker(me) as client:
            response = await client.get("/api/engine/metrics/me")
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["weeks"]) == 8
        assert body["weeks"][-1]["week_start"] == this_week.date().isoformat()
        assert body["weeks"][-2] == {
            "week_start": last_week.date().isoformat(),
            "mine": 2,
            "team_per_worker": 3.0,
        }
        assert body["weeks"][-1] == {
            "week_start": this_week.date().isoformat(),
            "mine": 0,
            "team_per_worker": 1.0,
        }
        assert sum(w["mine"] for w in body["weeks"]) == 2
        assert body["my_median_seconds"] == 2 * 3600.0
        assert body["team_median_seconds"] == 2 * 3600.0
        assert body["open_total"] == 2
        assert [t["id"] for t in body["oldest_open"]] == [str(older), str(newer)]
        assert body["oldest_open"][0]["age_seconds"] > 2 * 86400 - 60

    async def test_another_company_with_the_same_user_id_sees_nothing(self, engine: EngineHarness) -> None:
        company = Company(engine)
        me = await company.worker("Me")
        await company.task(
            "review", created=datetime.now(UTC) - timedelta(hours=3), took=timedelta(hours=1), assignee=me
        )
        await company.task("review", created=datetime.now(UTC), assignee=me)
        other = EngineHarness(engine.db, engine.settings)
        async with other.worker(me) as client:
            body = (await client.get("/api/engine/metrics/me")).json()
        assert sum(w["mine"] for w in body["weeks"]) == 0
        assert body["my_median_seconds"] is None
        assert body["team_median_seconds"] is None
        assert (body["open_total"], body["oldest_open"]) == (0, [])

    async def test_a_plain_user_is_refused(self, engine: EngineHarness) -> None:
        async with engine.client() as client:
            assert (await client.get("/api/engine/metrics/me")).status_code == 403
