"""The workflow engine end to end, through the gateway, with every service running: the sample
IT onboarding bundle walks form task → sync action → branch → async action with callback →
completed, the ticket's status following; other data takes the other branch. A local HTTP
server stands in for the external systems the actions call."""

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import Member, add_member

SAMPLE = Path(__file__).resolve().parents[2] / "services" / "definitions" / "samples" / "it_onboarding.yaml"


class ExternalSystem:
    """Answers the sample's action URLs and remembers what it was sent."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        system = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                system.calls.append((self.path, body))
                if self.path == "/accounts":
                    answer: dict[str, Any] = {"id": "acc-42", "email": "new.hire@example.com"}
                    code = 200
                elif self.path == "/laptops":
                    answer, code = {"accepted": True}, 202
                else:
                    answer, code = {}, 200
                payload = json.dumps(answer).encode()
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self) -> list[str]:
        return [path for path, _ in self.calls]

    def body_of(self, path: str) -> dict[str, Any]:
        return next(body for p, body in self.calls if p == path)


@pytest.fixture
def external() -> Iterator[ExternalSystem]:
    system = ExternalSystem()
    yield system
    system.server.shutdown()


def eventually(check: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


def upload_sample(admin: Member, external: ExternalSystem) -> None:
    bundle = SAMPLE.read_text().replace("127.0.0.1:9900", f"127.0.0.1:{external.port}")
    with admin.client() as client:
        response = client.post(
            "/api/definitions/bundles", content=bundle.encode(), headers={"content-type": "application/yaml"}
        )
    assert response.status_code in (200, 201), response.text


def submit(admin: Member, data: dict[str, Any]) -> dict[str, Any]:
    def attempt() -> dict[str, Any] | None:
        with admin.client() as client:
            response = client.post(
                "/api/tickets/tickets",
                json={"ticket_type_key": "it_onboarding", "title": "New hire", "ticket_data": data},
            )
        if response.status_code == 201:
            body: dict[str, Any] = response.json()
            return body
        # Until the definitions event reaches the tickets service the type is unknown there.
        assert response.status_code in (403, 404, 422), response.text
        if response.status_code == 422:
            assert response.json()["errors"][0]["type"] == "unknown_ticket_type", response.text
        return None

    ticket: dict[str, Any] = eventually(attempt, "the ticket type to reach the tickets service")
    return ticket


def my_form_task(worker: Member) -> dict[str, Any]:
    def attempt() -> dict[str, Any] | None:
        with worker.client() as client:
            items = client.get("/api/engine/tasks/mine").json()["items"]
        return items[0] if items else None

    task: dict[str, Any] = eventually(attempt, "the review task to be assigned")
    return task


def ticket_status(admin: Member, ticket_id: str) -> str:
    with admin.client() as client:
        status: str = client.get(f"/api/tickets/tickets/{ticket_id}").json()["status"]
    return status


def instance_of(admin: Member, ticket_id: str) -> dict[str, Any]:
    with admin.client() as client:
        found = client.get("/api/engine/instances", params={"ticket_id": ticket_id}).json()["items"]
        detail: dict[str, Any] = client.get(f"/api/engine/instances/{found[0]['id']}").json()
    return detail


NEW_HIRE = {"employee_name": "Grace Hopper", "start_date": "2030-01-06", "department": "Engineering"}


@pytest.mark.slow
class TestItOnboarding:
    def test_approved_request_walks_every_step_to_completed(
        self, company_a: Member, external: ExternalSystem
    ) -> None:
        worker = add_member(company_a, ["user", "task_worker"])
        upload_sample(company_a, external)
        ticket = submit(company_a, NEW_HIRE)
        task = my_form_task(worker)
        assert task["task_key"] == "review_request"
        eventually(lambda: ticket_status(company_a, ticket["id"]) == "IN_PROGRESS", "ticket in progress")

        with worker.client() as client:
            detail = client.get(f"/api/engine/tasks/{task['id']}").json()
            assert detail["data"]["employee_name"] == "Grace Hopper"
            invalid = client.post(
                f"/api/engine/tasks/{task['id']}/complete",
                json={"output": {"approved": "yes"}, "expected_version": detail["version"]},
            )
            assert invalid.status_code == 422
            done = client.post(
                f"/api/engine/tasks/{task['id']}/complete",
                json={
                    "output": {"approved": True, "laptop": "developer"},
                    "expected_version": detail["version"],
                },
            )
        assert done.status_code == 200, done.text

        eventually(lambda: "/laptops" in external.paths(), "the laptop order")
        assert external.body_of("/accounts")["name"] == "Grace Hopper"
        callback_url = external.body_of("/laptops")["callback_url"]
        assert ticket_status(company_a, ticket["id"]) == "IN_PROGRESS"
        with httpx.Client(timeout=30) as client:
            answered = client.post(callback_url, json={"order_id": "ord-7", "serial": "SN-1906"})
        assert answered.status_code < 300, answered.text

        eventually(lambda: ticket_status(company_a, ticket["id"]) == "COMPLETED", "the ticket to complete")
        instance = instance_of(company_a, ticket["id"])
        assert [step["task_key"] for step in instance["path"]] == [
            "review_request",
            "create_account",
            "order_laptop",
            "send_welcome",
        ]
        assert instance["workflow_data"]["account_id"] == "acc-42"
        assert instance["workflow_data"]["laptop_serial"] == "SN-1906"
        assert external.body_of("/welcome")["to"] == "new.hire@example.com"

    def test_refused_request_takes_the_other_branch(
        self, company_a: Member, external: ExternalSystem
    ) -> None:
        worker = add_member(company_a, ["user", "task_worker"])
        upload_sample(company_a, external)
        ticket = submit(company_a, NEW_HIRE)
        task = my_form_task(worker)
        with worker.client() as client:
            done = client.post(
                f"/api/engine/tasks/{task['id']}/complete",
                json={
                    "output": {"approved": False, "laptop": "none", "comment": "no budget"},
                    "expected_version": task["version"],
                },
            )
        assert done.status_code == 200, done.text
        eventually(lambda: ticket_status(company_a, ticket["id"]) == "COMPLETED", "the ticket to complete")
        instance = instance_of(company_a, ticket["id"])
        assert [step["task_key"] for step in instance["path"]] == ["review_request", "notify_rejection"]
        assert external.body_of("/notifications")["reason"] == "no budget"
        assert "/accounts" not in external.paths()

    def test_another_company_sees_none_of_it(
        self, company_a: Member, company_b: Member, external: ExternalSystem
    ) -> None:
        worker = add_member(company_a, ["user", "task_worker"])
        upload_sample(company_a, external)
        submit(company_a, NEW_HIRE)
        task = my_form_task(worker)
        with company_b.client() as client:
            assert client.get(f"/api/engine/tasks/{task['id']}").status_code == 404
            assert client.get(f"/api/engine/instances/{task['workflow_instance_id']}").status_code == 404
