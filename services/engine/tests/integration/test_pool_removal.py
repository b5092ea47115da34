"""A worker taken out of the pool a task's rule narrows to (removed from its group, or no longer
holding its company role) gives back the open tasks they held by that rule: each goes to whom
the rule picks now (shortest queue among who remains), or waits in the queue. Tasks under any
other rule stay with them."""

from typing import Any
from uuid import UUID

from sqlalchemy import select

from contracts.assignment import AssignmentStrategy, CompanyRoleRule
from contracts.definitions import TaskDefinitionSpec
from contracts.identity import UserCreated, UserRolesChanged
from contracts.ids import uuid7
from engine.models import TaskInstance

from ..conftest import EngineHarness, form


class People:
    """Workers of the engine's company, by first name, as identity's events describe them."""

    def __init__(self, engine: EngineHarness) -> None:
        self.engine = engine
        self.ids: dict[str, UUID] = {}

    def _state(self, name: str, company_roles: list[str]) -> dict[str, Any]:
        user_id = self.ids.setdefault(name, uuid7())
        return {
            "user_id": user_id,
            "email": f"{name.lower()}-{user_id.hex[:6]}@example.com",
            "first_name": name,
            "last_name": "Example",
            "is_active": True,
            "system_roles": ["user", "task_worker"],
            "company_roles": ["user", *company_roles],
        }

    async def add(self, name: str, *company_roles: str) -> UUID:
        await self.engine.feed(UserCreated(**self._state(name, list(company_roles))))
        return self.ids[name]

    async def set_company_roles(self, name: str, *company_roles: str) -> None:
        await self.engine.feed(UserRolesChanged(**self._state(name, list(company_roles))))


async def create_group(engine: EngineHarness, key: str, name: str, members: list[UUID]) -> str:
    async with engine.admin() as client:
        response = await client.post(
            "/api/engine/assignment/groups",
            json={"key": key, "name": name, "members": [str(m) for m in members]},
        )
    assert response.status_code == 201, response.text
    group_id: str = response.json()["id"]
    return group_id


async def set_members(engine: EngineHarness, group_id: str, members: list[UUID]) -> None:
    async with engine.admin() as client:
        response = await client.patch(
            f"/api/engine/assignment/groups/{group_id}", json={"members": [str(m) for m in members]}
        )
    assert response.status_code == 200, response.text


async def put_task_rule(
    engine: EngineHarness, workflow_key: str, task_key: str, rule: dict[str, Any]
) -> None:
    async with engine.admin() as client:
        response = await client.put(
            f"/api/engine/assignment/rules/tasks/{workflow_key}/{task_key}", json=rule
        )
    assert response.status_code == 200, response.text


async def start(engine: EngineHarness, task: TaskInstance) -> None:
    assert task.assignee_id is not None
    async with engine.worker(task.assignee_id) as client:
        response = await client.post(f"/api/engine/tasks/{task.id}/start")
    assert response.status_code == 200, response.text


async def history(engine: EngineHarness, task_id: UUID) -> list[tuple[str, str]]:
    async with engine.admin() as client:
        response = await client.get(f"/api/engine/tasks/{task_id}")
    assert response.status_code == 200, response.text
    return [(h["action"], h["detail"]) for h in response.json()["history"]]


async def submit_task(engine: EngineHarness, key: str) -> TaskInstance:
    return await engine.current_task(await engine.submit({}, key=key))


async def task_by_id(engine: EngineHarness, task_id: UUID) -> TaskInstance:
    async with engine.db.unit_of_work(engine.company_id) as uow:
        found = await uow.session.scalar(select(TaskInstance).where(TaskInstance.id == task_id))
    assert found is not None
    return found


async def reassign_by_hand(engine: EngineHarness, task: TaskInstance, assignee_id: UUID) -> None:
    async with engine.admin() as client:
        response = await client.post(
            f"/api/engine/tasks/{task.id}/reassign", json={"assignee_id": str(assignee_id)}
        )
    assert response.status_code == 200, response.text


class TestRemovedFromAGroup:
    async def test_their_tasks_of_the_group_go_to_the_shortest_queue_of_who_remains(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([form("approve")], [], key="grouped")
        await engine.publish_workflow([form("review")], [], key="plain")
        people = People(engine)
        ann, bob, cid = [await people.add(n) for n in ("Ann", "Bob", "Cid")]
        group_id = await create_group(engine, "finance", "Finance", [ann, bob, cid])
        await put_task_rule(engine, "grouped", "approve", {"strategy": "group", "group": "finance"})
        grouped = [await submit_task(engine, "grouped") for _ in range(5)]
        assert [t.assignee_id for t in grouped] == [ann, bob, cid, ann, bob]
        await start(engine, grouped[3])  # worked on already: given back all the same
        outsider = await people.add("Dee")  # not in the group, with the shortest queue of all
        plain = await submit_task(engine, "plain")
        assert plain.assignee_id == outsider
        await reassign_by_hand(engine, plain, ann)

        await set_members(engine, group_id, [bob, cid])

        after = [await task_by_id(engine, t.id) for t in grouped]
        # Ann's two, oldest first: to Cid (one open task against Bob's two), then to Bob (both
        # at two now, and Bob was assigned longer ago than Cid just was).
        assert [t.assignee_id for t in after] == [cid, bob, cid, bob, bob]
        assert (after[0].status, after[3].status) == ("ASSIGNED", "ASSIGNED")
        assert (await task_by_id(engine, plain.id)).assignee_id == ann  # another rule's task stays
        assert after[3].assignment is not None
        assert after[3].assignment["explanation"] == (
            "in group Finance: fewest open tasks (2), ties broken by least recently assigned"
        )
        assert ("task.unassigned", "The assignee left group Finance") in await history(engine, grouped[3].id)

    async def test_with_nobody_left_in_the_group_the_task_waits_then_goes_to_a_new_member(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([form("approve")], [], key="grouped")
        people = People(engine)
        ann = await people.add("Ann")
        await people.add("Outsider")
        group_id = await create_group(engine, "finance", "Finance", [ann])
        await put_task_rule(engine, "grouped", "approve", {"strategy": "group", "group": "finance"})
        task = await submit_task(engine, "grouped")
        assert task.assignee_id == ann

        await set_members(engine, group_id, [])

        waiting = await task_by_id(engine, task.id)
        assert (waiting.status, waiting.assignee_id) == ("PENDING", None)
        assert (await history(engine, task.id))[-2:] == [
            ("task.unassigned", "The assignee left group Finance"),
            ("task.queued", "Nobody in group Finance is available; the task waits in the queue"),
        ]
        newcomer = await people.add("Newcomer")
        await set_members(engine, group_id, [newcomer])
        assert (await task_by_id(engine, task.id)).assignee_id == newcomer

    async def test_members_who_stay_keep_their_tasks(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([form("approve")], [], key="grouped")
        people = People(engine)
        ann, bob = await people.add("Ann"), await people.add("Bob")
        group_id = await create_group(engine, "finance", "Finance", [ann, bob])
        await put_task_rule(engine, "grouped", "approve", {"strategy": "group", "group": "finance"})
        tasks = [await submit_task(engine, "grouped") for _ in range(2)]
        renamed_only = await self._rename(engine, group_id)
        await set_members(engine, group_id, [bob, ann])
        assert renamed_only == 200
        assert [(await task_by_id(engine, t.id)).assignee_id for t in tasks] == [ann, bob]

    @staticmethod
    async def _rename(engine: EngineHarness, group_id: str) -> int:
        async with engine.admin() as client:
            response = await client.patch(f"/api/engine/assignment/groups/{group_id}", json={"name": "Fin"})
        return response.status_code


class TestCompanyRoleLost:
    async def test_their_tasks_of_that_role_go_to_another_holder_and_the_rest_stay(
        self, engine: EngineHarness
    ) -> None:
        payroll = TaskDefinitionSpec(
            **form("payroll").model_dump(exclude={"assignment"}),
            assignment=CompanyRoleRule(strategy=AssignmentStrategy.COMPANY_ROLE, company_role="hr"),
        )
        await engine.publish_workflow([payroll], [], key="hr")
        await engine.publish_workflow([form("review")], [], key="plain")
        people = People(engine)
        hana = await people.add("Hana", "hr", "legal")
        role_task = await submit_task(engine, "hr")
        plain_task = await submit_task(engine, "plain")
        assert (role_task.assignee_id, plain_task.assignee_id) == (hana, hana)
        hal = await people.add("Hal", "hr")
        await people.add("Plain")

        await people.set_company_roles("Hana", "legal")

        assert (await task_by_id(engine, role_task.id)).assignee_id == hal
        assert (await task_by_id(engine, plain_task.id)).assignee_id == hana
        assert ("task.unassigned", "The assignee no longer has company role hr") in await history(
            engine, role_task.id
        )

    async def test_losing_another_role_changes_nothing(self, engine: EngineHarness) -> None:
        payroll = TaskDefinitionSpec(
            **form("payroll").model_dump(exclude={"assignment"}),
            assignment=CompanyRoleRule(strategy=AssignmentStrategy.COMPANY_ROLE, company_role="hr"),
        )
        await engine.publish_workflow([payroll], [], key="hr")
        people = People(engine)
        hana = await people.add("Hana", "hr", "legal")
        task = await submit_task(engine, "hr")
        await people.add("Hal", "hr")

        await people.set_company_roles("Hana", "hr")

        assert (await task_by_id(engine, task.id)).assignee_id == hana
