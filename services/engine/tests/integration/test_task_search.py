"""Text search in the task lists: the task's name and its ticket's number, title and data."""

from uuid import UUID

from contracts.ids import uuid7

from ..conftest import APPROVAL_SCHEMA, EngineHarness, action, form, transition


async def two_tickets(engine: EngineHarness) -> tuple[UUID, UUID, UUID]:
    """A worker with a review task for a laptop ticket and one for a monitor ticket."""
    await engine.publish_workflow(
        [form("security_review", APPROVAL_SCHEMA), action("provision")],
        [transition("security_review", "provision")],
    )
    worker = await engine.add_worker("Wendy")
    laptop = await engine.submit({"device": "laptop", "owner": "Zoltan Kovacs"})
    monitor = await engine.submit({"device": "monitor", "size": 27})
    return worker, laptop, monitor


class TestTeamTaskSearch:
    async def test_finds_tasks_by_ticket_data_number_and_task_name(self, engine: EngineHarness) -> None:
        _, laptop, monitor = await two_tickets(engine)
        number = (await engine.instance_of(laptop)).ticket_number

        async def tickets_found(q: str) -> set[UUID]:
            async with engine.admin() as client:
                response = await client.get("/api/engine/tasks", params={"q": q})
            assert response.status_code == 200, response.text
            return {UUID(t["ticket_id"]) for t in response.json()["items"]}

        assert await tickets_found("zolt") == {laptop}
        assert await tickets_found("27") == {monitor}
        assert await tickets_found(number) == {laptop}
        assert await tickets_found("secur rev") == {laptop, monitor}
        assert await tickets_found("laptop monitor") == set()

    async def test_never_finds_another_companys_tasks(self, engine: EngineHarness) -> None:
        await two_tickets(engine)
        other = EngineHarness(engine.db, engine.settings)
        async with other.admin() as client:
            response = await client.get("/api/engine/tasks", params={"q": "laptop"})
        assert response.json()["total"] == 0

    async def test_a_query_of_only_operators_filters_nothing(self, engine: EngineHarness) -> None:
        await two_tickets(engine)
        async with engine.admin() as client:
            response = await client.get("/api/engine/tasks", params={"q": "&|!"})
        assert response.json()["total"] == 2


class TestMyTaskSearch:
    async def test_searches_only_my_tasks(self, engine: EngineHarness) -> None:
        worker, laptop, _ = await two_tickets(engine)
        async with engine.worker(worker) as client:
            mine = (await client.get("/api/engine/tasks/mine", params={"q": "laptop"})).json()
        async with engine.worker(uuid7()) as client:
            theirs = (await client.get("/api/engine/tasks/mine", params={"q": "laptop"})).json()
        assert [UUID(t["ticket_id"]) for t in mine["items"]] == [laptop]
        assert theirs["total"] == 0
