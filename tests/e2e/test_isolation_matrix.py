"""The tenant isolation matrix, generated from the gateway's OpenAPI route list: every operation
on a path that takes an id is called with company A's real ids by every role of company B, and
must answer exactly as it does for an id that exists nowhere: 404 (or, for a role the operation
is not open to at all, the same 403 it gives for any id). Afterwards A's records are as they
were.

The matrix knows, for every templated path, where a real id comes from. A route it does not
know fails the suite, so a new route is covered the day it is added."""

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from contracts.ids import uuid7

from .conftest import Member, RunningSystem, add_member, sign_up_company
from .tenant_records import (
    ALL_SYSTEM_ROLES,
    CompanyRecords,
    build_company_records,
    merged_openapi,
    ticket_type_spec,
    workflow_spec,
)

PathValues = Callable[[CompanyRecords], dict[str, str]]

# For every templated path: the values of its parameters that name company A's records.
REAL_IDS: dict[str, PathValues] = {
    "/api/identity/users/{user_id}": lambda r: {"user_id": str(r.member.user["id"])},
    "/api/identity/users/{user_id}/deactivate": lambda r: {"user_id": str(r.member.user["id"])},
    "/api/identity/users/{user_id}/roles": lambda r: {"user_id": str(r.member.user["id"])},
    "/api/identity/company-roles/{role_id}": lambda r: {"role_id": r.role_id},
    "/api/definitions/workflows/{key}": lambda r: {"key": r.workflow_key},
    "/api/definitions/workflows/{key}/versions": lambda r: {"key": r.workflow_key},
    "/api/definitions/workflows/{key}/versions/{version}": lambda r: {"key": r.workflow_key, "version": "1"},
    "/api/definitions/workflows/{key}/graph": lambda r: {"key": r.workflow_key},
    "/api/definitions/workflows/{key}/export": lambda r: {"key": r.workflow_key},
    "/api/definitions/workflows/{key}/archive": lambda r: {"key": r.workflow_key},
    "/api/definitions/workflows/{key}/diff": lambda r: {"key": r.workflow_key},
    "/api/definitions/ticket-types/{key}/diff": lambda r: {"key": r.ticket_type_key},
    "/api/definitions/ticket-types/{key}": lambda r: {"key": r.ticket_type_key},
    "/api/definitions/ticket-types/{key}/versions": lambda r: {"key": r.ticket_type_key},
    "/api/definitions/ticket-types/{key}/versions/{version}": lambda r: {
        "key": r.ticket_type_key,
        "version": "1",
    },
    "/api/definitions/ticket-types/{key}/archive": lambda r: {"key": r.ticket_type_key},
    "/api/tickets/tickets/{ticket_id}": lambda r: {"ticket_id": r.ticket_id},
    "/api/tickets/tickets/{ticket_id}/attachments": lambda r: {"ticket_id": r.ticket_id},
    "/api/tickets/tickets/{ticket_id}/attachments/{attachment_id}": lambda r: {
        "ticket_id": r.ticket_id,
        "attachment_id": r.attachment_id,
    },
    "/api/tickets/ingest-keys/{key_id}/rotate": lambda r: {"key_id": r.ingest_key_id},
    "/api/tickets/ingest-keys/{key_id}/revoke": lambda r: {"key_id": r.ingest_key_id},
    "/api/engine/tasks/{task_id}": lambda r: {"task_id": r.task_id},
    "/api/engine/tasks/{task_id}/start": lambda r: {"task_id": r.task_id},
    "/api/engine/tasks/{task_id}/complete": lambda r: {"task_id": r.task_id},
    "/api/engine/tasks/{task_id}/reassign": lambda r: {"task_id": r.task_id},
    "/api/engine/instances/{instance_id}": lambda r: {"instance_id": r.instance_id},
    "/api/engine/instances/{instance_id}/history": lambda r: {"instance_id": r.instance_id},
    "/api/engine/instances/{instance_id}/hold": lambda r: {"instance_id": r.instance_id},
    "/api/engine/instances/{instance_id}/resume": lambda r: {"instance_id": r.instance_id},
    "/api/engine/instances/{instance_id}/cancel": lambda r: {"instance_id": r.instance_id},
    "/api/engine/instances/{instance_id}/incident/retry": lambda r: {"instance_id": r.instance_id},
    "/api/engine/instances/{instance_id}/incident/skip": lambda r: {"instance_id": r.instance_id},
    "/api/engine/assignment/rules/tasks/{workflow_key}/{task_key}": lambda r: {
        "workflow_key": r.workflow_key,
        "task_key": "review",
    },
    "/api/engine/assignment/groups/{group_id}": lambda r: {"group_id": r.group_id},
    "/api/actions/allowlist/{entry_id}": lambda r: {"entry_id": r.allowlist_entry_id},
    "/api/identity/notifications/{notification_id}/read": lambda r: {"notification_id": r.notification_id},
}

# Templated paths that name no company record, and why.
NOT_COMPANY_RECORDS = {
    "/api/callbacks/{token}": "a signed, single-use callback token, not an id; covered by the actions tests",
    "/api/identity/operator/companies/{company_id}": "the platform operators' API, closed to every tenant "
    "token at the gateway (401); covered by test_operator_isolation.py",
    "/api/identity/operator/companies/{company_id}/suspend": "the platform operators' API; covered by "
    "test_operator_isolation.py",
    "/api/identity/operator/companies/{company_id}/reactivate": "the platform operators' API; covered by "
    "test_operator_isolation.py",
}

# Publishing under a key the caller's company does not have creates the caller's own definition
# (keys are per company), so these are called last, once every other operation has been; they
# may succeed, and A's definitions must stay at version 1.
CREATES_UNDER_THE_KEY = {
    ("PUT", "/api/definitions/workflows/{key}"),
    ("PUT", "/api/definitions/ticket-types/{key}"),
}


def request_body(method: str, path: str, values: dict[str, str], records: CompanyRecords) -> dict[str, Any]:
    """A valid body, so the answer is about the id and not about a malformed request."""
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("PATCH", "/api/identity/users/{user_id}"): {"json": {"first_name": "Mallory"}},
        ("PUT", "/api/identity/users/{user_id}/roles"): {
            "json": {"system_roles": ["user", "admin"], "company_roles": []}
        },
        ("PATCH", "/api/identity/company-roles/{role_id}"): {"json": {"description": "taken over"}},
        ("PUT", "/api/definitions/workflows/{key}"): {"json": workflow_spec(values.get("key", ""))},
        ("PUT", "/api/definitions/ticket-types/{key}"): {
            "json": ticket_type_spec(values.get("key", ""), records.workflow_key)
        },
        ("POST", "/api/tickets/tickets/{ticket_id}/attachments"): {
            "files": {"file": ("x.pdf", b"%PDF-1.7 from elsewhere", "application/pdf")}
        },
        ("POST", "/api/engine/tasks/{task_id}/complete"): {
            "json": {"output": {"ok": True}, "expected_version": 1}
        },
        ("POST", "/api/engine/tasks/{task_id}/reassign"): {"json": {"assignee_id": str(uuid7())}},
        ("POST", "/api/engine/instances/{instance_id}/incident/skip"): {"json": {"output": {}}},
        ("PUT", "/api/engine/assignment/rules/tasks/{workflow_key}/{task_key}"): {
            "json": {"strategy": "round_robin"}
        },
        ("PATCH", "/api/engine/assignment/groups/{group_id}"): {
            "json": {"name": "Taken over", "members": []}
        },
        # Version 1 against itself: the key is looked up before the versions are compared.
        ("GET", "/api/definitions/workflows/{key}/diff"): {"params": {"from": 1, "to": 1}},
        ("GET", "/api/definitions/ticket-types/{key}/diff"): {"params": {"from": 1, "to": 1}},
    }
    return bodies.get((method, path), {})


def nowhere(values: dict[str, str]) -> dict[str, str]:
    """The same parameters naming records that exist in no company."""
    out = {}
    for name, value in values.items():
        if name == "version":
            out[name] = value
        elif name == "key":
            out[name] = f"nowhere_{os.urandom(3).hex()}"
        else:
            out[name] = str(uuid7())
    return out


@dataclass(frozen=True)
class Operation:
    method: str
    path: str


def templated_operations(document: dict[str, Any]) -> list[Operation]:
    methods = ("get", "put", "post", "patch", "delete")
    return [
        Operation(method.upper(), path)
        for path, item in document["paths"].items()
        if "{" in path
        for method in methods
        if method in item
    ]


@pytest.fixture(scope="module")
def openapi(system: RunningSystem) -> dict[str, Any]:
    return merged_openapi(system.base_url)


@pytest.fixture(scope="module")
def records_of_a(system: RunningSystem) -> CompanyRecords:
    return build_company_records(sign_up_company(system, "Matrix A"))


@pytest.fixture(scope="module")
def callers_of_b(system: RunningSystem) -> dict[str, Member]:
    admin = sign_up_company(system, "Matrix B")
    callers = {"admin": admin, "every role": add_member(admin, ALL_SYSTEM_ROLES)}
    for role in ("user", "ticket_admin", "task_worker", "workflow_creator"):
        callers[role] = add_member(admin, ["user", role] if role != "user" else ["user"])
    return callers


def indistinguishable(operation: Operation, role: str, got: int, baseline: int) -> bool:
    """Whether B's answer for A's record says nothing a made-up id would not."""
    if (operation.method, operation.path) in CREATES_UNDER_THE_KEY:
        # B's own definition under that key (created by the first such call, then the same
        # again): nothing of A's is read or touched, which `assert_records_unchanged` checks.
        return got < 500
    if got != baseline:
        return False
    # A caller holding every role reaches every operation, so only 404 will do; a caller the
    # operation is closed to gets the same 403 for any id.
    return got == 404 or (got == 403 and role != "every role")


def call(client: httpx.Client, operation: Operation, values: dict[str, str], records: CompanyRecords) -> int:
    url = operation.path.format(**values)
    body = request_body(operation.method, operation.path, values, records)
    return client.request(operation.method, url, **body).status_code


def test_every_templated_route_is_in_the_matrix(openapi: dict[str, Any]) -> None:
    paths = {op.path for op in templated_operations(openapi)}
    unknown = sorted(paths - set(REAL_IDS) - set(NOT_COMPANY_RECORDS))
    assert not unknown, (
        "routes the isolation matrix does not know how to give a real id (add them to REAL_IDS): "
        + ", ".join(unknown)
    )
    stale = sorted(set(REAL_IDS) - paths)
    assert not stale, "REAL_IDS names routes the API no longer has: " + ", ".join(stale)


@pytest.mark.slow
def test_another_company_gets_404_for_every_record(
    openapi: dict[str, Any], records_of_a: CompanyRecords, callers_of_b: dict[str, Member]
) -> None:
    operations = [op for op in templated_operations(openapi) if op.path in REAL_IDS]
    creating = [op for op in operations if (op.method, op.path) in CREATES_UNDER_THE_KEY]
    reaching = [op for op in operations if op not in creating]
    leaks: list[str] = []
    calls = 0
    rounds = [(role, caller, reaching) for role, caller in callers_of_b.items()]
    rounds += [(role, caller, creating) for role, caller in callers_of_b.items()]
    for role, caller, batch in rounds:
        with caller.client() as client:
            for operation in batch:
                real = REAL_IDS[operation.path](records_of_a)
                got = call(client, operation, real, records_of_a)
                baseline = call(client, operation, nowhere(real), records_of_a)
                calls += 2
                where = (
                    f"{operation.method} {operation.path} as B's {role}: {got} (an unknown id: {baseline})"
                )
                if not indistinguishable(operation, role, got, baseline):
                    leaks.append(where)
    assert calls >= 2 * 6 * 30
    assert not leaks, f"{len(leaks)} of {calls // 2} calls told company A's records apart:\n" + "\n".join(
        leaks
    )
    assert_records_unchanged(records_of_a)


def assert_records_unchanged(records: CompanyRecords) -> None:
    """Nothing B called changed anything of A's."""
    with records.admin.client() as client:
        member = client.get(f"/api/identity/users/{records.member.user['id']}").json()
        assert member["is_active"] is True
        assert member["first_name"] == records.member.user["first_name"]
        assert member["system_roles"] == records.member.user["system_roles"]
        roles = {r["id"]: r for r in client.get("/api/identity/company-roles").json()}
        assert roles[records.role_id]["description"] == ""
        workflow = client.get(f"/api/definitions/workflows/{records.workflow_key}").json()
        assert workflow["archived"] is False
        assert workflow["latest_version"] == 1
        ticket_type = client.get(f"/api/definitions/ticket-types/{records.ticket_type_key}").json()
        assert ticket_type["archived"] is False
        assert ticket_type["latest_version"] == 1
        ticket = client.get(f"/api/tickets/tickets/{records.ticket_id}").json()
        assert [a["id"] for a in ticket["attachments"]] == [records.attachment_id]
        instance = client.get(f"/api/engine/instances/{records.instance_id}").json()
        assert instance["status"] == "RUNNING"
        task = client.get(f"/api/engine/tasks/{records.task_id}").json()
        assert task["status"] in ("PENDING", "ASSIGNED")
        keys = {k["id"]: k for k in client.get("/api/tickets/ingest-keys").json()}
        assert keys[records.ingest_key_id]["revoked_at"] is None
        assert keys[records.ingest_key_id]["generation"] == 1
        entries = [e["id"] for e in client.get("/api/actions/allowlist").json()]
        assert records.allowlist_entry_id in entries
        group = client.get(f"/api/engine/assignment/groups/{records.group_id}").json()
        assert group["name"] == "Isolated desk"
        assert [m["user_id"] for m in group["members"]] == [records.member.user["id"]]
        rules = client.get("/api/engine/assignment/rules").json()
        assert rules["company"]["source"] == "default"
        assert [t["task_rule"] for t in rules["tasks"] if t["workflow_key"] == records.workflow_key] == [None]
    with records.notified.client() as own:
        notes = {n["id"]: n for n in own.get("/api/identity/notifications").json()["items"]}
        assert notes[records.notification_id]["read_at"] is None
