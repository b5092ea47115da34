"""Outcomes and names through the gateway, every service a real process: a one-task workflow
ends with the outcome its end task names, the ticket carries it with its message, the lists
filter by it, and the ticket, the task and the history name people from identity's events.
Another company's callers, every role of it, see none of it: the outcome list and the outcome
filters (which take no id, so the isolation matrix does not reach them) answer empty."""

import os
from typing import Any

from .conftest import Member, RunningSystem, add_member, sign_up_company
from .tenant_records import ALL_SYSTEM_ROLES, _ok, eventually


def bundle(suffix: str) -> dict[str, Any]:
    return {
        "workflow": {
            "key": f"decide_{suffix}",
            "name": "Decide",
            "start_task": "decide",
            "tasks": [
                {
                    "key": "decide",
                    "name": "Decide",
                    "task_type": "FORM",
                    "output_schema": {
                        "type": "object",
                        "properties": {"reason": {"type": "string", "maxLength": 200}},
                        "required": ["reason"],
                    },
                    "outcome": {"key": "declined", "label": "Declined", "message": '"Declined: " & reason'},
                }
            ],
            "transitions": [],
        },
        "ticket_types": [
            {
                "key": f"ask_{suffix}",
                "name": "Ask",
                "prefix": "ASK",
                "fields": {"type": "object", "properties": {"what": {"type": "string", "maxLength": 200}}},
                "company_role_access": ["user"],
            }
        ],
    }


def declined_ticket(admin: Member) -> tuple[Member, Member, dict[str, Any]]:
    """A requester's ticket, declined by a worker; answers both and the finished ticket."""
    suffix = os.urandom(3).hex()
    worker = add_member(admin, ["user", "task_worker"])
    requester = add_member(admin, ["user"])
    with admin.client() as client:
        # Renamed after creation: the new name must be what every service shows.
        _ok(
            client.patch(
                f"/api/identity/users/{worker.user['id']}",
                json={"first_name": "Wendy", "last_name": "Worker"},
            )
        )
        _ok(client.post("/api/definitions/bundles", json=bundle(suffix)), 201)
    with requester.client() as client:

        def submitted() -> dict[str, Any] | None:
            response = client.post(
                "/api/tickets/tickets",
                json={
                    "ticket_type_key": f"ask_{suffix}",
                    "title": "May I?",
                    "ticket_data": {"what": "a desk"},
                },
            )
            if response.status_code == 201:
                body: dict[str, Any] = response.json()
                return body
            assert response.status_code == 422, response.text
            return None

        ticket = eventually(submitted, "the ticket type to reach the tickets service")
    with worker.client() as client:

        def task() -> dict[str, Any] | None:
            items: list[dict[str, Any]] = client.get("/api/engine/tasks/mine").json()["items"]
            return items[0] if items else None

        found = eventually(task, "the worker's task")
        _ok(
            client.post(
                f"/api/engine/tasks/{found['id']}/complete",
                json={"output": {"reason": "no room left"}, "expected_version": found["version"]},
            )
        )
    with requester.client() as client:

        def finished() -> dict[str, Any] | None:
            body: dict[str, Any] = client.get(f"/api/tickets/tickets/{ticket['id']}").json()
            return body if body["outcome"] else None

        done = eventually(finished, "the ticket's outcome")
    return worker, requester, done


def test_a_declined_ticket_carries_its_outcome_and_names_and_no_other_company_sees_it(
    system: RunningSystem,
) -> None:
    admin = sign_up_company(system, "Outcomes A")
    worker, requester, ticket = declined_ticket(admin)

    assert ticket["status"] == "COMPLETED"
    assert ticket["outcome"] == {"key": "declined", "label": "Declined", "message": "Declined: no room left"}
    assert ticket["submitted_by_name"] == "Max Member"
    assigned = [e for e in ticket["timeline"] if e["event_type"] == "task.assigned"]
    assert [e["assignee_name"] for e in assigned] == ["Wendy Worker"]
    with requester.client() as client:
        mine = client.get("/api/tickets/tickets/mine", params={"outcome": "declined"}).json()
        none = client.get("/api/tickets/tickets/mine", params={"outcome": "approved"}).json()
        outcomes = client.get("/api/tickets/tickets/outcomes").json()
    assert [t["id"] for t in mine["items"]] == [ticket["id"]]
    assert none["items"] == []
    assert outcomes == [{"key": "declined", "label": "Declined", "tickets": 1}]
    with admin.client() as client:
        team = client.get("/api/tickets/tickets", params={"outcome": "declined"}).json()
        instance_id = client.get("/api/engine/instances", params={"ticket_id": ticket["id"]}).json()["items"][
            0
        ]["id"]
        history = client.get(f"/api/engine/instances/{instance_id}/history").json()["items"]
    assert [t["id"] for t in team["items"]] == [ticket["id"]]
    by_name = {h["actor_id"]: h["actor_name"] for h in history if h["actor_kind"] == "user"}
    assert by_name == {requester.user["id"]: "Max Member", worker.user["id"]: "Wendy Worker"}, history

    other = sign_up_company(system, "Outcomes B")
    callers = [other, add_member(other, ALL_SYSTEM_ROLES)]
    for caller in callers:
        with caller.client() as client:
            assert client.get("/api/tickets/tickets/outcomes").json() == []
            assert (
                client.get("/api/tickets/tickets/mine", params={"outcome": "declined"}).json()["items"] == []
            )
            team_b = client.get("/api/tickets/tickets", params={"outcome": "declined"})
            assert team_b.status_code == 200
            assert team_b.json()["items"] == []
