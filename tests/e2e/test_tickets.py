"""Tickets through the gateway: ticket types arrive from the definitions service by events; a
user submits, sees My tickets, is refused a type they may not use and bad data; a ticket admin
finds the ticket by search; another company sees none of it."""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Member, add_member

pytestmark = pytest.mark.slow

PROPERTIES = {
    "laptop": {"type": "string", "enum": ["mac", "linux"]},
    "reason": {"type": "string", "minLength": 5},
    "start_date": {"type": "string", "format": "date"},
}


def bundle(suffix: str) -> dict[str, Any]:
    return {
        "workflow": {
            "key": f"equipment_{suffix}",
            "name": "Equipment",
            "start_task": "approve",
            "tasks": [
                {
                    "key": "approve",
                    "name": "Approve",
                    "task_type": "FORM",
                    "output_schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
                }
            ],
            "transitions": [],
        },
        "ticket_types": [
            {
                "key": f"equipment_{suffix}",
                "name": "Equipment request",
                "prefix": "EQ",
                "fields": {
                    "type": "object",
                    "required": ["laptop", "reason", "start_date"],
                    "properties": PROPERTIES,
                },
                "company_role_access": ["user"],
            },
            {
                "key": f"payroll_{suffix}",
                "name": "Payroll change",
                "prefix": "PAY",
                "fields": {"type": "object"},
                "company_role_access": ["payroll_clerk"],
            },
        ],
    }


def wait_for_type(client: httpx.Client, key: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get("/api/tickets/ticket-types")
        assert response.status_code == 200, response.text
        if any(t["key"] == key for t in response.json()):
            return
        time.sleep(0.5)
    pytest.fail(f"ticket type {key} never reached the tickets service")


@pytest.fixture
def suffix() -> str:
    return os.urandom(3).hex()


@pytest.fixture
def published(company_a: Member, suffix: str) -> str:
    with company_a.client() as client:
        response = client.post("/api/definitions/bundles", json=bundle(suffix))
        assert response.status_code == 201, response.text
        wait_for_type(client, f"equipment_{suffix}")
    return suffix


def submit(client: httpx.Client, key: str, **overrides: Any) -> httpx.Response:
    body = {
        "ticket_type_key": key,
        "title": "Laptop for the new designer",
        "ticket_data": {"laptop": "mac", "reason": "new hire in design", "start_date": "2026-04-01"},
        **overrides,
    }
    return client.post("/api/tickets/tickets", json=body)


class TestTicketsThroughTheGateway:
    def test_submit_and_see_it_in_my_tickets(self, company_a: Member, published: str) -> None:
        user = add_member(company_a, ["user"])
        with user.client() as client:
            created = submit(client, f"equipment_{published}")
            assert created.status_code == 201, created.text
            assert created.json()["number"].startswith("EQ-")
            mine = client.get("/api/tickets/tickets/mine").json()
        assert [t["id"] for t in mine["items"]] == [created.json()["id"]]

    def test_a_type_the_user_may_not_use_is_403(self, company_a: Member, published: str) -> None:
        user = add_member(company_a, ["user"])
        with user.client() as client:
            types = [t["key"] for t in client.get("/api/tickets/ticket-types").json()]
            response = submit(client, f"payroll_{published}", ticket_data={})
        assert f"payroll_{published}" not in types
        assert response.status_code == 403

    def test_bad_data_is_422_listing_every_problem_and_writes_nothing(
        self, company_a: Member, published: str
    ) -> None:
        user = add_member(company_a, ["user"])
        with user.client() as client:
            response = submit(
                client,
                f"equipment_{published}",
                ticket_data={"laptop": "windows", "reason": "x", "start_date": "someday"},
            )
            mine = client.get("/api/tickets/tickets/mine").json()
        assert response.status_code == 422
        assert {tuple(e["loc"]) for e in response.json()["errors"]} == {
            ("body", "ticket_data", "laptop"),
            ("body", "ticket_data", "reason"),
            ("body", "ticket_data", "start_date"),
        }
        assert mine["total"] == 0

    def test_a_ticket_admin_finds_it_by_search(self, company_a: Member, published: str) -> None:
        user = add_member(company_a, ["user"])
        ticket_admin = add_member(company_a, ["user", "ticket_admin"])
        word = f"zebra{published}"
        with user.client() as client:
            created = submit(client, f"equipment_{published}", title=f"Monitor {word}").json()
        with ticket_admin.client() as client:
            found = client.get("/api/tickets/tickets", params={"q": word[:-2], "view": "active"}).json()
        with add_member(company_a, ["user"]).client() as client:
            as_user = client.get("/api/tickets/tickets")
        assert [t["id"] for t in found["items"]] == [created["id"]]
        assert as_user.status_code == 403

    def test_company_b_gets_404_for_company_a_ticket_and_attachment(
        self, company_a: Member, company_b: Member, published: str
    ) -> None:
        with company_a.client() as client:
            ticket = submit(client, f"equipment_{published}").json()
            attachment = client.post(
                f"/api/tickets/tickets/{ticket['id']}/attachments",
                files={"file": ("offer.pdf", b"%PDF-1.7 offer", "application/pdf")},
            )
            assert attachment.status_code == 201, attachment.text
            own = client.get(f"/api/tickets/tickets/{ticket['id']}/attachments/{attachment.json()['id']}")
            assert own.content == b"%PDF-1.7 offer"
        with company_b.client() as client:
            other_ticket = client.get(f"/api/tickets/tickets/{ticket['id']}")
            other_file = client.get(
                f"/api/tickets/tickets/{ticket['id']}/attachments/{attachment.json()['id']}"
            )
            search = client.get("/api/tickets/tickets", params={"q": "designer"}).json()
        assert other_ticket.status_code == 404
        assert other_file.status_code == 404
        assert ticket["id"] not in [t["id"] for t in search["items"]]


class TestWatchingATicketThroughTheGateway:
    def test_a_waiting_read_answers_when_the_ticket_changes(self, company_a: Member, published: str) -> None:
        with company_a.client() as client:
            ticket = submit(client, f"equipment_{published}").json()
            path = f"/api/tickets/tickets/{ticket['id']}"
            # The workflow starts and stops at its form task: the detail settles.
            deadline = time.monotonic() + 60
            while True:
                read = client.get(path)
                assert read.status_code == 200
                if read.json()["current_task_name"] == "Approve" or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert read.json()["current_task_name"] == "Approve"
            etag = read.headers["etag"]
            unchanged = client.get(path, headers={"if-none-match": etag})
            assert unchanged.status_code == 304
            assert unchanged.content == b""

            def attach_soon() -> int:
                time.sleep(0.5)
                with company_a.client() as other:
                    return other.post(
                        f"{path}/attachments", files={"file": ("note.txt", b"a note", "text/plain")}
                    ).status_code

            with ThreadPoolExecutor(1) as pool:
                attached = pool.submit(attach_soon)
                started = time.monotonic()
                changed = client.get(path, headers={"if-none-match": etag, "prefer": "wait=20"}, timeout=30)
                waited = time.monotonic() - started
                assert attached.result() == 201
        assert changed.status_code == 200
        assert [a["filename"] for a in changed.json()["attachments"]] == ["note.txt"]
        assert changed.headers["preference-applied"] == "wait=20"
        assert waited < 15, "the read waited its whole time instead of answering the change"
