"""Assignment rules per company and per task definition, groups of workers, the company-role
filter, round robin across restarts, the queue view, assignment by hand, and the record of
why every assignment was made."""

from collections import Counter
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import func, select

from contracts.assignment import AssignmentStrategy, CompanyRoleRule
from contracts.definitions import TaskDefinitionSpec
from contracts.identity import UserCreated, UserUpdated
from contracts.ids import uuid7
from engine.definitions.service import PLANS
from engine.models import AssignmentRecord, AssignmentRuleRow, TaskInstance, WorkerGroup

from ..conftest import EngineHarness, form


async def add_person(
    engine: EngineHarness, name: str, *, company_roles: list[str] | None = None, worker: bool = True
) -> UUID:
    user_id = uuid7()
    await engine.feed(
        UserCreated(
            user_id=user_id,
            email=f"{name.lower()}-{user_id.hex[:6]}@example.com",
            first_name=name,
            last_name="Example",
            is_active=True,
            system_roles=["user", "task_worker"] if worker else ["user", "admin"],
            company_roles=["user", *(company_roles or [])],
        )
    )
    return user_id


async def give_roles(engine: EngineHarness, user_id: UUID, name: str, company_roles: list[str]) -> None:
    await engine.feed(
        UserUpdated(
            user_id=user_id,
            email=f"{name.lower()}-{user_id.hex[:6]}@example.com",
            first_name=name,
            last_name="Example",
            is_active=True,
            system_roles=["user", "task_worker"],
            company_roles=["user", *company_roles],
        )
    )


async def assignees(engine: EngineHarness) -> Counter[UUID | None]:
    async with engine.db.unit_of_work(engine.company_id) as uow:
        return Counter((await uow.session.scalars(select(TaskInstance.assignee_id))).all())


async def put_company_rule(engine: EngineHarness, rule: dict[str, Any]) -> httpx.Response:
    async with engine.admin() as client:
        return await client.put("/api/engine/assignment/rules/company", json=rule)


async def create_group(engine: EngineHarness, key: str, name: str, members: list[UUID]) -> dict[str, Any]:
    async with engine.admin() as client:
        response = await client.post(
            "/api/engine/assignment/groups",
            json={"key": key, "name": name, "members": [str(m) for m in members]},
        )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def set_worker_available(engine: EngineHarness, user_id: UUID, available: bool) -> None:
    async with engine.worker(user_id) as client:
        response = await client.post("/api/engine/workers/me/availability", json={"available": available})
    assert response.status_code == 200


async def row_count(engine: EngineHarness, model: Any) -> int:
    async with engine.db.unit_of_work(engine.company_id) as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def task_by_id(engine: EngineHarness, task_id: UUID) -> TaskInstance:
    async with engine.db.unit_of_work(engine.company_id) as uow:
        found = await uow.session.scalar(select(TaskInstance).where(TaskInstance.id == task_id))
    assert found is not None
    return found


async def complete(engine: EngineHarness, task: TaskInstance) -> None:
    assert task.assignee_id is not None
    async with engine.worker(task.assignee_id) as client:
        response = await client.post(
            f"/api/engine/tasks/{task.id}/complete", json={"output": {}, "expected_version": task.version}
        )
    assert response.status_code == 200, response.text


class TestShortestQueueStaysTheDefault:
    async def test_without_a_rule_the_fewest_open_tasks_win_and_say_so(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([form("review")], [])
        ann, bob = await add_person(engine, "Ann"), await add_person(engine, "Bob")
        first = await engine.current_task(await engine.submit({}))
        second = await engine.current_task(await engine.submit({}))
        third = await engine.current_task(await engine.submit({}))
        assert [first.assignee_id, second.assignee_id] == [ann, bob]
        assert third.assignee_id == ann  # both had one; Ann was assigned longer ago
        assert third.assignment is not None
        assert (
            third.assignment["explanation"] == "fewest open tasks (1), ties broken by least recently assigned"
        )
        async with engine.admin() as client:
            rules = (await client.get("/api/engine/assignment/rules")).json()
        assert rules["company"]["source"] == "default"
        assert rules["company"]["rule"] == {"strategy": "shortest_queue"}
        assert [(t["task_key"], t["source"], t["description"]) for t in rules["tasks"]] == [
            ("review", "default", "shortest queue")
        ]


class TestRoundRobin:
    async def test_turns_continue_in_order_after_a_restart(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([form("review")], [])
        ann, bob, cid = [await add_person(engine, n) for n in ("Ann", "Bob", "Cid")]
        assert (await put_company_rule(engine, {"strategy": "round_robin"})).status_code == 200
        tasks = [await engine.current_task(await engine.submit({})) for _ in range(3)]
        assert [t.assignee_id for t in tasks] == [ann, bob, cid]
        # Bob empties his queue: shortest queue would now pick him; round robin is at Ann's turn.
        await complete(engine, tasks[1])

        PLANS.clear()  # a new process: nothing kept in memory
        restarted = EngineHarness(engine.db, engine.settings)
        restarted.company_id = engine.company_id
        after = [await restarted.current_task(await restarted.submit({})) for _ in range(4)]

        assert [t.assignee_id for t in after] == [ann, bob, cid, ann]
        assert after[0].assignment is not None
        assert after[0].assignment["explanation"] == "next in turn (round robin), least recently assigned"


class TestGroups:
    async def test_only_members_receive_the_task_and_the_reason_names_the_group(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([form("approve")], [])
        await add_person(engine, "Outsider")
        ann, bob = await add_person(engine, "Ann"), await add_person(engine, "Bob")
        await create_group(engine, "finance", "Finance approvers", [ann, bob])
        assert (await put_company_rule(engine, {"strategy": "group", "group": "finance"})).status_code == 200
        for _ in range(6):
            await engine.submit({})
        counts = await assignees(engine)
        assert (counts[ann], counts[bob], sum(counts.values())) == (3, 3, 6)
        task = await engine.current_task(await engine.submit({}))
        assert task.assignment is not None
        assert task.assignment["explanation"] == (
            "in group Finance approvers: fewest open tasks (3), ties broken by least recently assigned"
        )

    async def test_with_nobody_of_the_group_available_the_task_waits_then_goes_to_a_new_member(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([form("approve")], [])
        await add_person(engine, "Outsider")
        away = await add_person(engine, "Away")
        await set_worker_available(engine, away, False)
        group = await create_group(engine, "finance", "Finance", [away])
        await put_company_rule(engine, {"strategy": "group", "group": "finance", "pick": "round_robin"})
        ticket_id = await engine.submit({})
        waiting = await engine.current_task(ticket_id)
        assert (waiting.status, waiting.assignee_id) == ("PENDING", None)
        async with engine.admin() as client:
            history = (await client.get(f"/api/engine/tasks/{waiting.id}")).json()["history"]
        assert [(h["action"], h["detail"]) for h in history][-1] == (
            "task.queued",
            "Nobody in group Finance is available; the task waits in the queue",
        )

        newcomer = await add_person(engine, "Newcomer")
        async with engine.admin() as client:
            response = await client.patch(
                f"/api/engine/assignment/groups/{group['id']}",
                json={"members": [str(away), str(newcomer)]},
            )
        assert response.status_code == 200, response.text
        assert [m["display_name"] for m in response.json()["members"]] == ["Away Example", "Newcomer Example"]
        assigned = await engine.current_task(ticket_id)
        assert assigned.assignee_id == newcomer
        assert assigned.assignment is not None
        assert (
            assigned.assignment["explanation"]
            == "in group Finance: next in turn (round robin), least recently assigned"
        )

    async def test_a_task_waiting_for_its_group_lets_later_tasks_go_to_others(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([form("approve")], [], key="grouped")
        await engine.publish_workflow([form("review")], [], key="plain")
        member = await add_person(engine, "Member")
        other = await add_person(engine, "Other")
        for user_id in (member, other):
            await set_worker_available(engine, user_id, False)
        await create_group(engine, "finance", "Finance", [member])
        async with engine.admin() as client:
            put = await client.put(
                "/api/engine/assignment/rules/tasks/grouped/approve",
                json={"strategy": "group", "group": "finance"},
            )
        assert put.status_code == 200, put.text
        grouped = await engine.submit({}, key="grouped")  # older: first in the queue
        plain = await engine.submit({}, key="plain")

        await set_worker_available(engine, other, True)

        assert (await engine.current_task(grouped)).assignee_id is None
        assert (await engine.current_task(plain)).assignee_id == other

    async def test_a_group_a_rule_names_cannot_be_deleted(self, engine: EngineHarness) -> None:
        group = await create_group(engine, "finance", "Finance", [])
        await put_company_rule(engine, {"strategy": "group", "group": "finance"})
        async with engine.admin() as client:
            refused = await client.delete(f"/api/engine/assignment/groups/{group['id']}")
            await client.put("/api/engine/assignment/rules/company", json={"strategy": "shortest_queue"})
            deleted = await client.delete(f"/api/engine/assignment/groups/{group['id']}")
            gone = await client.get(f"/api/engine/assignment/groups/{group['id']}")
        assert refused.status_code == 409
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert (deleted.status_code, gone.status_code) == (204, 404)


class TestCompanyRoleFilter:
    async def test_only_holders_of_the_role_receive_it_and_a_new_holder_takes_the_queue(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([form("payroll")], [])
        await add_person(engine, "Plain")
        hr = await add_person(engine, "Hana", company_roles=["hr"])
        first = await engine.current_task(await engine.submit({}))
        assert first.assignee_id is not None  # no rule yet: anyone
        await put_company_rule(engine, {"strategy": "company_role", "company_role": "hr"})
        await set_worker_available(engine, hr, False)
        ticket_id = await engine.submit({})
        assert (await engine.current_task(ticket_id)).assignee_id is None

        late = await add_person(engine, "Lars")
        assert (await engine.current_task(ticket_id)).assignee_id is None  # not an hr member
        await give_roles(engine, late, "Lars", ["hr"])

        task = await engine.current_task(ticket_id)
        assert task.assignee_id == late
        assert task.assignment is not None
        assert task.assignment["explanation"] == "has company role hr: fewest open tasks (0)"


class TestPerTaskDefinition:
    async def test_the_admins_task_rule_beats_the_definition_which_beats_the_company(
        self, engine: EngineHarness
    ) -> None:
        designed = TaskDefinitionSpec(
            **form("sign_off").model_dump(exclude={"assignment"}),
            assignment=CompanyRoleRule(strategy=AssignmentStrategy.COMPANY_ROLE, company_role="legal"),
        )
        await engine.publish_workflow([form("triage"), designed], [], key="wf")
        plain = await add_person(engine, "Plain")
        lawyer = await add_person(engine, "Lena", company_roles=["legal"])
        boss = await add_person(engine, "Bo")
        await create_group(engine, "bosses", "Bosses", [boss])
        await put_company_rule(engine, {"strategy": "round_robin"})
        async with engine.admin() as client:
            overview = (await client.get("/api/engine/assignment/rules")).json()
        by_key = {t["task_key"]: t for t in overview["tasks"]}
        assert (by_key["triage"]["source"], by_key["triage"]["description"]) == ("company", "round robin")
        assert (by_key["sign_off"]["source"], by_key["sign_off"]["description"]) == (
            "task_definition",
            "company role legal, then shortest queue",
        )

        async with engine.admin() as client:
            put = await client.put(
                "/api/engine/assignment/rules/tasks/wf/sign_off",
                json={"strategy": "group", "group": "bosses"},
            )
        assert put.status_code == 200, put.text
        assert (put.json()["source"], put.json()["description"]) == (
            "task_rule",
            "group Bosses, then shortest queue",
        )
        assert put.json()["definition_rule"] == {
            "strategy": "company_role",
            "company_role": "legal",
            "pick": "shortest_queue",
        }

        # Starting at sign_off directly: publish a second workflow whose first task is the designed one.
        await engine.publish_workflow([designed], [], key="wf2")
        async with engine.admin() as client:
            await client.put(
                "/api/engine/assignment/rules/tasks/wf2/sign_off",
                json={"strategy": "group", "group": "bosses"},
            )
        overridden = await engine.current_task(await engine.submit({}, key="wf2"))
        async with engine.admin() as client:
            cleared = await client.delete("/api/engine/assignment/rules/tasks/wf2/sign_off")
        by_definition = await engine.current_task(await engine.submit({}, key="wf2"))
        assert cleared.status_code == 204
        assert overridden.assignee_id == boss
        assert overridden.assignment is not None
        assert overridden.assignment["source"] == "task_rule"
        assert by_definition.assignee_id == lawyer
        assert by_definition.assignment is not None
        assert by_definition.assignment["source"] == "task_definition"
        assert plain not in (overridden.assignee_id, by_definition.assignee_id)


class TestRuleValidation:
    async def test_bad_rules_are_422_problems_and_write_nothing(self, engine: EngineHarness) -> None:
        await engine.publish_workflow(
            [
                form("review"),
                TaskDefinitionSpec(
                    key="call",
                    name="Call",
                    task_type="SYNC_ACTION",
                    action_url="http://127.0.0.1:9/x",
                    timeout_seconds=5,
                ),
            ],
            [],
        )
        bad_bodies: list[tuple[str, Any, list[Any]]] = [
            ("company", {"strategy": "random"}, ["body"]),
            ("company", {"strategy": "group"}, ["body", "group", "group"]),
            ("company", {"strategy": "group", "group": "Not a key"}, ["body", "group", "group"]),
            ("company", {"strategy": "group", "group": "nosuch"}, ["body", "group"]),
            (
                "company",
                {"strategy": "company_role", "company_role": ""},
                ["body", "company_role", "company_role"],
            ),
            (
                "company",
                {"strategy": "round_robin", "pick": "shortest_queue"},
                ["body", "round_robin", "pick"],
            ),
            ("company", {"strategy": "group", "group": "x", "pick": "random"}, ["body", "group", "pick"]),
            ("company", [1, 2], ["body"]),
            ("tasks/wf/review", {"strategy": "company_role"}, ["body", "company_role", "company_role"]),
        ]
        async with engine.admin() as client:
            for scope, body, loc in bad_bodies:
                response = await client.put(f"/api/engine/assignment/rules/{scope}", json=body)
                assert response.status_code == 422, (scope, body, response.text)
                assert response.headers["content-type"].startswith("application/problem+json")
                problem = response.json()
                assert loc in [e["loc"][: len(loc)] for e in problem["errors"]], (body, problem["errors"])
            not_a_form = await client.put(
                "/api/engine/assignment/rules/tasks/wf/call", json={"strategy": "round_robin"}
            )
            no_task = await client.put(
                "/api/engine/assignment/rules/tasks/wf/nope", json={"strategy": "round_robin"}
            )
            no_rule = await client.delete("/api/engine/assignment/rules/tasks/wf/review")
        assert (not_a_form.status_code, no_task.status_code, no_rule.status_code) == (404, 404, 404)
        assert await row_count(engine, AssignmentRuleRow) == 0

    async def test_only_an_admin_sets_rules(self, engine: EngineHarness) -> None:
        async with engine.client(roles=["user", "ticket_admin"]) as team:
            read = await team.get("/api/engine/assignment/rules")
            write = await team.put("/api/engine/assignment/rules/company", json={"strategy": "round_robin"})
            group = await team.post("/api/engine/assignment/groups", json={"key": "g", "name": "G"})
        assert (read.status_code, write.status_code, group.status_code) == (200, 403, 403)
        assert await row_count(engine, AssignmentRuleRow) == 0

    async def test_bad_groups_are_refused_and_write_nothing(self, engine: EngineHarness) -> None:
        admin_only = await add_person(engine, "Ada", worker=False)
        worker = await add_person(engine, "Wes")
        await create_group(engine, "desk", "Desk", [worker])
        async with engine.admin() as client:
            not_workers = await client.post(
                "/api/engine/assignment/groups",
                json={"key": "ops", "name": "Ops", "members": [str(worker), str(admin_only), str(uuid7())]},
            )
            bad_key = await client.post(
                "/api/engine/assignment/groups", json={"key": "Ops Team", "name": "Ops"}
            )
            taken = await client.post("/api/engine/assignment/groups", json={"key": "desk", "name": "Desk 2"})
        assert not_workers.status_code == 422
        assert [e["loc"] for e in not_workers.json()["errors"]] == [
            ["body", "members", 1],
            ["body", "members", 2],
        ]
        assert bad_key.status_code == 422
        assert bad_key.json()["errors"][0]["loc"] == ["body", "key"]
        assert taken.status_code == 409
        assert await row_count(engine, WorkerGroup) == 1


class TestManualAssignment:
    async def test_the_queue_shows_waiting_tasks_and_an_admin_assigns_one_by_hand_with_a_reason(
        self, engine: EngineHarness
    ) -> None:
        await engine.publish_workflow([form("review")], [])
        ann = await add_person(engine, "Ann")
        admin = await add_person(engine, "Ada", worker=False)
        queued_ticket = await engine.submit({})  # Ann takes it
        await set_worker_available(engine, ann, False)
        waiting_ticket = await engine.submit({})  # nobody available
        async with engine.client(admin, roles=["user", "admin"]) as client:
            queue = (await client.get("/api/engine/assignment/queue")).json()
            unassigned = (
                await client.get("/api/engine/assignment/queue", params={"state": "unassigned"})
            ).json()
            roster = (await client.get("/api/engine/workers")).json()
            waiting = await engine.current_task(waiting_ticket)
            assigned = await client.post(
                f"/api/engine/tasks/{waiting.id}/reassign",
                json={
                    "assignee_id": str(ann),
                    "expected_version": waiting.version,
                    "note": "  back at 2pm  ",
                },
            )
            after = (await client.get("/api/engine/assignment/queue", params={"state": "unassigned"})).json()
        assert [(t["ticket_id"], t["state"], t["assignee_name"]) for t in queue["items"]] == [
            (str(queued_ticket), "queued", "Ann Example"),
            (str(waiting_ticket), "unassigned", None),
        ]
        assert queue["items"][1]["rule"] == "shortest queue"
        assert unassigned["total"] == 1
        assert [(w["display_name"], w["open_tasks"], w["available"]) for w in roster] == [
            ("Ann Example", 1, False)
        ]
        assert assigned.status_code == 200, assigned.text
        body = assigned.json()
        assert body["assignee_id"] == str(ann)
        assert body["assignment_explanation"] == "assigned by hand by Ada Example: back at 2pm"
        assert [
            (r["made_by"], r["actor_name"], r["assignee_name"], r["explanation"]) for r in body["assignments"]
        ] == [("person", "Ada Example", "Ann Example", "assigned by hand by Ada Example: back at 2pm")]
        assert body["history"][-1]["action"] == "task.reassigned"
        assert after["total"] == 0

    async def test_every_assignment_is_recorded_with_who_or_what_and_why(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([form("review")], [])
        ann, bob = await add_person(engine, "Ann"), await add_person(engine, "Bob")
        admin = await add_person(engine, "Ada", worker=False)
        task = await engine.current_task(await engine.submit({}))
        assert task.assignee_id == ann
        async with engine.client(admin, roles=["user", "ticket_admin"]) as client:
            await client.post(f"/api/engine/tasks/{task.id}/reassign", json={"assignee_id": str(bob)})
            detail = (await client.get(f"/api/engine/tasks/{task.id}")).json()
        records = detail["assignments"]
        assert [
            (r["made_by"], r["strategy"], r["assignee_id"], r["previous_assignee_id"]) for r in records
        ] == [
            ("strategy", "shortest_queue", str(ann), None),
            ("person", "manual", str(bob), str(ann)),
        ]
        assert [r["explanation"] for r in records] == [
            "fewest open tasks (0), ties broken by least recently assigned",
            "assigned by hand by Ada Example",
        ]
        assert records[1]["previous_assignee_name"] == "Ann Example"
        assert records[1]["actor_id"] == str(admin)
        assert await row_count(engine, AssignmentRecord) == 2


class TestTenantIsolation:
    async def test_another_company_reads_and_changes_nothing(self, engine: EngineHarness) -> None:
        await engine.publish_workflow([form("review")], [])
        ann = await add_person(engine, "Ann")
        group = await create_group(engine, "desk", "Desk", [ann])
        await put_company_rule(engine, {"strategy": "group", "group": "desk"})
        await set_worker_available(engine, ann, False)
        waiting = await engine.current_task(await engine.submit({}))
        other = EngineHarness(engine.db, engine.settings)
        other_worker = await add_person(other, "Mallory")
        async with other.admin() as client:
            answers = [
                await client.get(f"/api/engine/assignment/groups/{group['id']}"),
                await client.patch(f"/api/engine/assignment/groups/{group['id']}", json={"name": "Taken"}),
                await client.delete(f"/api/engine/assignment/groups/{group['id']}"),
                await client.put(
                    "/api/engine/assignment/rules/tasks/wf/review", json={"strategy": "round_robin"}
                ),
                await client.delete("/api/engine/assignment/rules/tasks/wf/review"),
                await client.post(
                    f"/api/engine/tasks/{waiting.id}/reassign", json={"assignee_id": str(other_worker)}
                ),
            ]
            lists = [
                (await client.get("/api/engine/assignment/groups")).json(),
                (await client.get("/api/engine/assignment/queue")).json()["items"],
                (await client.get("/api/engine/assignment/rules")).json()["tasks"],
            ]
            own = await client.put("/api/engine/assignment/rules/company", json={"strategy": "round_robin"})
        assert [a.status_code for a in answers] == [404] * len(answers)
        assert lists == [[], [], []]
        assert own.status_code == 200
        async with engine.admin() as client:
            mine = (await client.get(f"/api/engine/assignment/groups/{group['id']}")).json()
            rules = (await client.get("/api/engine/assignment/rules")).json()
        assert mine["name"] == "Desk"
        assert rules["company"]["rule"] == {"strategy": "group", "group": "desk", "pick": "shortest_queue"}
        assert (await task_by_id(engine, waiting.id)).assignee_id is None
