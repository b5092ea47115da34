"""End-to-end fixtures: the whole system (every service and the gateway as real processes, on the
test Postgres and Kafka) started once per test session, and helpers to act as users."""

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from common.embedded import free_port
from common.testing.infra import create_database, private_kafka
from devstack.stack import DEFAULT_PORTS, Infra, Stack


@dataclass
class RunningSystem:
    stack: Stack
    base_url: str
    data_dir: Path

    @property
    def mailbox(self) -> Path:
        return self.data_dir / "mailbox"

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30.0)


@pytest.fixture(scope="session")
def system(pg_admin_url: str) -> Iterator[RunningSystem]:
    data_dir = Path(os.environ.get("TF_TEST_DATA_DIR") or tempfile.mkdtemp(prefix="tf-e2e-")) / "e2e"
    ports = {name: free_port() for name in DEFAULT_PORTS}
    # The services read their topics from the beginning: a broker of their own keeps the other
    # suites' events out of their way.
    with private_kafka() as kafka:
        infra = Infra(create_database(pg_admin_url, "e2e"), kafka)
        stack = Stack(infra=infra, data_dir=data_dir, ports=ports, say=lambda m: None)
        stack.extra_env.update(
            {
                "TF_ENV": "test",
                "IDENTITY_LOGIN_RATE_LIMIT_PER_MINUTE": "1000",
                "ACTIONS_ALLOW_PRIVATE_TARGETS": "true",
            }
        )
        try:
            stack.migrate()
            stack.start()
            stack.wait_ready(timeout=180)
            yield RunningSystem(stack, f"http://127.0.0.1:{ports['gateway']}", data_dir)
        finally:
            stack.stop()


@dataclass
class Member:
    """A signed-in user of a company, as the tests drive them."""

    email: str
    password: str
    token: str
    user: dict[str, Any]
    system: RunningSystem

    @property
    def company_id(self) -> str:
        return str(self.user["company_id"])

    def client(self) -> httpx.Client:
        return self.system.client(self.token)


def unique_email(prefix: str) -> str:
    return f"{prefix}-{os.urandom(4).hex()}@example.com"


STRONG_PASSWORD = "Correct-Horse-Battery-9"


def sign_up_company(system: RunningSystem, name: str = "Acme") -> Member:
    """Sign up a new company; its first user is an admin."""
    email = unique_email("admin")
    with system.client() as client:
        response = client.post(
            "/api/identity/signup",
            json={
                "company_name": f"{name} {os.urandom(3).hex()}",
                "email": email,
                "password": STRONG_PASSWORD,
                "first_name": "Ada",
                "last_name": "Admin",
            },
        )
    assert response.status_code == 201, response.text
    body = response.json()
    return Member(email, STRONG_PASSWORD, body["access_token"], body["user"], system)


def add_member(admin: Member, roles: list[str], company_roles: list[str] | None = None) -> Member:
    """An admin creates a user with `roles`; the test sets the password through the reset mail
    flow's API and signs them in."""
    email = unique_email("member")
    with admin.client() as client:
        created = client.post(
            "/api/identity/users",
            json={
                "email": email,
                "first_name": "Max",
                "last_name": "Member",
                "system_roles": roles,
                "company_roles": company_roles or ["user"],
                "password": STRONG_PASSWORD,
            },
        )
        assert created.status_code == 201, created.text
    with admin.system.client() as client:
        login = client.post("/api/identity/login", json={"email": email, "password": STRONG_PASSWORD})
    assert login.status_code == 200, login.text
    body = login.json()
    return Member(email, STRONG_PASSWORD, body["access_token"], body["user"], admin.system)


@pytest.fixture
def company_a(system: RunningSystem) -> Member:
    return sign_up_company(system, "Company A")


@pytest.fixture
def company_b(system: RunningSystem) -> Member:
    return sign_up_company(system, "Company B")
