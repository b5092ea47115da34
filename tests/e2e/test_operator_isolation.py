"""The platform operator through the gateway: created by the command line, signed in with a
token that names no company; it lists companies, reads one's status and counts, suspends and
reactivates it. A tenant token never reaches the operator API, an operator token reads no
tenant record, and a suspended company's users are signed out and cannot sign in."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx
import pytest

from .conftest import STRONG_PASSWORD, Member, RunningSystem, add_member, sign_up_company, unique_email
from .tenant_records import CompanyRecords, build_company_records

pytestmark = pytest.mark.slow

OPERATOR_PASSWORD = "Platform-Operator-Pass-7"


@dataclass(frozen=True)
class Operator:
    email: str
    token: str


def create_operator(system: RunningSystem) -> str:
    email = unique_email("operator")
    result = subprocess.run(
        [sys.executable, "-m", "identity", "operator", "create", "--email", email, "--password-stdin"],
        input=OPERATOR_PASSWORD + "\n",
        env=system.stack.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert email.split("@")[0] in result.stdout
    return email


@pytest.fixture(scope="module")
def operator(system: RunningSystem) -> Operator:
    email = create_operator(system)
    with system.client() as client:
        response = client.post(
            "/api/identity/operator/login", json={"email": email, "password": OPERATOR_PASSWORD}
        )
    assert response.status_code == 200, response.text
    return Operator(email, response.json()["access_token"])


@pytest.fixture(scope="module")
def records(system: RunningSystem) -> CompanyRecords:
    return build_company_records(sign_up_company(system, "Operated"))


def login(system: RunningSystem, email: str) -> httpx.Response:
    with system.client() as client:
        return client.post(
            "/api/identity/login", json={"email": email, "password": STRONG_PASSWORD, "cookie": False}
        )


def wait_for_status(client: httpx.Client, path: str, status: int, timeout: float = 30.0) -> int:
    """The gateway learns of a suspension from identity's events, seconds after it."""
    deadline = time.monotonic() + timeout
    got = client.get(path).status_code
    while got != status and time.monotonic() < deadline:
        time.sleep(0.3)
        got = client.get(path).status_code
    return got


class TestCommandLine:
    def test_the_same_email_twice_is_refused(self, system: RunningSystem, operator: Operator) -> None:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "identity",
                "operator",
                "create",
                "--email",
                operator.email,
                "--password-stdin",
            ],
            input=OPERATOR_PASSWORD + "\n",
            env=system.stack.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2
        assert "already" in result.stderr


class TestTheOperatorConsoleApi:
    def test_lists_companies_and_reads_counts(
        self, system: RunningSystem, operator: Operator, records: CompanyRecords
    ) -> None:
        company_id = records.admin.company_id
        with system.client(operator.token) as client:
            found = client.get("/api/identity/operator/companies", params={"q": "Operated", "page_size": 100})
            detail = client.get(f"/api/identity/operator/companies/{company_id}")
            me = client.get("/api/identity/operator/me")
        assert found.status_code == 200, found.text
        assert company_id in [c["id"] for c in found.json()["items"]]
        assert detail.status_code == 200, detail.text
        assert detail.json()["status"] == "active"
        assert detail.json()["counts"]["users"] == 2
        assert me.json()["email"] == operator.email


class TestTenantTokensCannotReachTheOperatorApi:
    def test_every_operator_route_refuses_a_tenant_admin(
        self, system: RunningSystem, records: CompanyRecords
    ) -> None:
        company_id = records.admin.company_id
        with records.admin.client() as client:
            answers = {
                path: client.request(method, path).status_code
                for method, path in [
                    ("GET", "/api/identity/operator/companies"),
                    ("GET", "/api/identity/operator/me"),
                    ("GET", f"/api/identity/operator/companies/{company_id}"),
                    ("POST", f"/api/identity/operator/companies/{company_id}/suspend"),
                    ("POST", f"/api/identity/operator/companies/{company_id}/reactivate"),
                ]
            }
            assert set(answers.values()) == {401}, answers
            # Still active and signed in: the refused suspend did nothing.
            assert client.get("/api/identity/me").status_code == 200

    def test_forged_operator_headers_are_stripped(
        self, system: RunningSystem, records: CompanyRecords
    ) -> None:
        forged = {"x-tf-operator": "eyJvcGVyYXRvcl9pZCI6IjAifQ", "x-tf-operator-signature": "00" * 32}
        with system.client() as client:
            response = client.get("/api/identity/operator/companies", headers=forged)
        assert response.status_code == 401


class TestOperatorTokensReadNoTenantRecord:
    def test_every_tenant_record_is_refused(
        self, system: RunningSystem, operator: Operator, records: CompanyRecords
    ) -> None:
        paths = [
            "/api/identity/me",
            "/api/identity/company",
            "/api/identity/users",
            f"/api/identity/users/{records.member.user['id']}",
            "/api/identity/company-roles",
            "/api/definitions/workflows",
            f"/api/definitions/workflows/{records.workflow_key}",
            f"/api/definitions/ticket-types/{records.ticket_type_key}",
            "/api/tickets/tickets",
            f"/api/tickets/tickets/{records.ticket_id}",
            f"/api/tickets/tickets/{records.ticket_id}/attachments/{records.attachment_id}",
            "/api/tickets/ticket-types",
            f"/api/engine/tasks/{records.task_id}",
            f"/api/engine/instances/{records.instance_id}",
            "/api/actions/allowlist",
        ]
        with system.client(operator.token) as client:
            answers = {path: client.get(path) for path in paths}
        refused = {path: r.status_code for path, r in answers.items() if r.status_code != 401}
        assert not refused, refused
        for path, response in answers.items():
            # A problem document and nothing else (its `instance` repeats the path asked for).
            assert response.headers["content-type"].startswith("application/problem+json"), path
            assert set(response.json()) <= {"type", "title", "status", "detail", "instance", "errors"}, path
            assert records.admin.email not in response.text, path


class TestSuspension:
    def test_suspended_users_are_signed_out_and_cannot_sign_in(
        self, system: RunningSystem, operator: Operator
    ) -> None:
        suspended = sign_up_company(system, "To Suspend")
        member = add_member(suspended, ["user"])
        bystander = sign_up_company(system, "Bystander")
        with system.client(operator.token) as client:
            answer = client.post(f"/api/identity/operator/companies/{suspended.company_id}/suspend")
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "suspended"

        refused = login(system, member.email)
        assert refused.status_code == 403
        assert "suspended" in refused.json()["detail"]
        with suspended.client() as client:
            assert wait_for_status(client, "/api/identity/me", 401) == 401
        with bystander.client() as client:
            assert client.get("/api/identity/me").status_code == 200
        assert login(system, bystander.email).status_code == 200

        with system.client(operator.token) as client:
            back = client.post(f"/api/identity/operator/companies/{suspended.company_id}/reactivate")
        assert back.json()["status"] == "active"
        again = login(system, member.email)
        assert again.status_code == 200, again.text
        with system.client(again.json()["access_token"]) as client:
            assert client.get("/api/identity/me").status_code == 200


class TestCompanyPage:
    def test_each_company_reads_and_edits_only_its_own(self, system: RunningSystem) -> None:
        first: Member = sign_up_company(system, "Page One")
        second: Member = sign_up_company(system, "Page Two")
        new_name = f"Renamed {os.urandom(2).hex()}"
        with first.client() as client:
            edited = client.patch(
                "/api/identity/company", json={"name": new_name, "timezone": "Europe/Paris"}
            )
            bad = client.patch("/api/identity/company", json={"timezone": "Nowhere/Else"})
        assert edited.status_code == 200, edited.text
        assert bad.status_code == 422
        with second.client() as client:
            mine = client.get("/api/identity/company").json()
        assert mine["id"] == second.company_id
        assert mine["name"] != new_name
        assert mine["timezone"] == "UTC"
