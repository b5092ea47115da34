"""A company with one real record of every kind the API addresses by id, built through the
gateway as its users would: a member, a company role, a workflow and ticket type, a ticket with
an attachment, the workflow instance and form task the engine made for it, the assignee's
notification of that task, a group of workers, an ingest key and an allowlist entry."""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from .conftest import Member, add_member

T = TypeVar("T")

ALL_SYSTEM_ROLES = ["user", "admin", "ticket_admin", "task_worker", "workflow_creator"]


def eventually(check: Callable[[], T | None], what: str, timeout: float = 90.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


def merged_openapi(base_url: str) -> dict[str, Any]:
    """The gateway's merged document once every service is in it (a service building its own
    document for the first time, on a loaded machine, can miss the gateway's fetch)."""

    def complete() -> dict[str, Any] | None:
        document: dict[str, Any] = httpx.get(f"{base_url}/api/openapi.json", timeout=30).json()
        if "Services missing from this document: none" in document["info"]["description"]:
            return document
        return None

    return eventually(complete, "every service in the OpenAPI document", timeout=120)


def workflow_spec(key: str) -> dict[str, Any]:
    return {
        "key": key,
        "name": "Isolation check",
        "start_task": "review",
        "tasks": [
            {
                "key": "review",
                "name": "Review",
                "task_type": "FORM",
                "output_schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
            }
        ],
        "transitions": [],
    }


def ticket_type_spec(key: str, workflow_key: str) -> dict[str, Any]:
    return {
        "key": key,
        "name": "Isolation request",
        "prefix": "ISO",
        "fields": {"type": "object", "properties": {"note": {"type": "string", "maxLength": 200}}},
        "company_role_access": ["user"],
        "workflow_key": workflow_key,
    }


@dataclass
class CompanyRecords:
    admin: Member
    member: Member
    role_id: str
    workflow_key: str
    ticket_type_key: str
    ticket_id: str
    attachment_id: str
    instance_id: str
    task_id: str
    group_id: str
    ingest_key_id: str
    allowlist_entry_id: str
    # The assignee's notification of the form task, and who that is.
    notification_id: str
    notified: Member


def _ok(response: httpx.Response, *codes: int) -> Any:
    assert response.status_code in (codes or (200, 201)), f"{response.request.url}: {response.text}"
    return response.json() if response.content else None


def build_company_records(admin: Member) -> CompanyRecords:
    suffix = os.urandom(3).hex()
    member = add_member(admin, ["user", "task_worker"])
    workflow_key = f"iso_flow_{suffix}"
    ticket_type_key = f"iso_type_{suffix}"
    with admin.client() as client:
        role = _ok(client.post("/api/identity/company-roles", json={"name": f"iso-{suffix}"}))
        bundle = {
            "workflow": workflow_spec(workflow_key),
            "ticket_types": [
                {
                    k: v
                    for k, v in ticket_type_spec(ticket_type_key, workflow_key).items()
                    if k != "workflow_key"
                }
            ],
        }
        _ok(client.post("/api/definitions/bundles", json=bundle), 201)

        def submitted() -> dict[str, Any] | None:
            response = client.post(
                "/api/tickets/tickets",
                json={"ticket_type_key": ticket_type_key, "title": "Isolated", "ticket_data": {"note": "a"}},
            )
            if response.status_code == 201:
                body: dict[str, Any] = response.json()
                return body
            # Until the definitions event reaches the tickets service the type is unknown there.
            assert response.status_code == 422, response.text
            return None

        ticket = eventually(submitted, "the ticket type to reach the tickets service")
        attachment = _ok(
            client.post(
                f"/api/tickets/tickets/{ticket['id']}/attachments",
                files={"file": ("iso.pdf", b"%PDF-1.7 isolated", "application/pdf")},
            ),
            201,
        )

        def instance() -> dict[str, Any] | None:
            items = client.get("/api/engine/instances", params={"ticket_id": ticket["id"]}).json()["items"]
            return items[0] if items else None

        found_instance = eventually(instance, "the workflow instance")

        def task() -> dict[str, Any] | None:
            params = {"workflow_instance_id": found_instance["id"]}
            items: list[dict[str, Any]] = client.get("/api/engine/tasks", params=params).json()["items"]
            return items[0] if items else None

        found_task = eventually(task, "the form task")

        def group() -> dict[str, Any] | None:
            response = client.post(
                "/api/engine/assignment/groups",
                json={"key": f"iso-{suffix}", "name": "Isolated desk", "members": [member.user["id"]]},
            )
            if response.status_code == 201:
                body: dict[str, Any] = response.json()
                return body
            # Until the member's user event reaches the engine, they are not a worker there.
            assert response.status_code == 422, response.text
            return None

        found_group = eventually(group, "the member to reach the engine's roster")

        def assigned() -> dict[str, Any] | None:
            body: dict[str, Any] = client.get(f"/api/engine/tasks/{found_task['id']}").json()
            return body if body["assignee_id"] else None

        found_task = eventually(assigned, "the form task to be assigned")
        notified = member if found_task["assignee_id"] == member.user["id"] else admin

        def notification() -> dict[str, Any] | None:
            with notified.client() as own:
                items: list[dict[str, Any]] = own.get("/api/identity/notifications").json()["items"]
            return next((n for n in items if n["task_instance_id"] == found_task["id"]), None)

        found_notification = eventually(notification, "the assignee's notification of the task")
        ingest_key = _ok(client.post("/api/tickets/ingest-keys", json={"name": f"iso {suffix}"}), 201)
        entry = _ok(client.post("/api/actions/allowlist", json={"entry": "10.77.0.0/16"}), 201)
    return CompanyRecords(
        admin=admin,
        member=member,
        role_id=role["id"],
        workflow_key=workflow_key,
        ticket_type_key=ticket_type_key,
        ticket_id=ticket["id"],
        attachment_id=attachment["id"],
        instance_id=found_instance["id"],
        task_id=found_task["id"],
        group_id=found_group["id"],
        ingest_key_id=ingest_key["id"],
        allowlist_entry_id=entry["id"],
        notification_id=found_notification["id"],
        notified=notified,
    )
