"""Helpers the identity test suites share: signing up, creating members, reading the mailbox."""

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from fastapi import FastAPI

from common.testing.infra import claims_headers
from identity.runtime import IdentityRuntime

STRONG_PASSWORD = "Correct-Horse-Battery-9"


@dataclass
class Account:
    """A signed-up user as the tests drive them."""

    email: str
    password: str
    session: dict[str, Any]

    @property
    def user(self) -> dict[str, Any]:
        return dict(self.session["user"])

    @property
    def user_id(self) -> UUID:
        return UUID(self.user["id"])

    @property
    def company_id(self) -> UUID:
        return UUID(self.user["company_id"])

    def headers(self) -> dict[str, str]:
        """The claims headers the gateway would inject for this user's access token."""
        return claims_headers(
            self.company_id,
            self.user_id,
            roles=self.user["system_roles"],
            company_roles=self.user["company_roles"],
        )


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{os.urandom(4).hex()}@Example.com"


async def sign_up(client: httpx.AsyncClient, company: str = "Acme", **overrides: Any) -> Account:
    body = {
        "company_name": company,
        "email": unique_email("admin"),
        "password": STRONG_PASSWORD,
        "first_name": "Ada",
        "last_name": "Admin",
        "cookie": False,
        **overrides,
    }
    response = await client.post("/api/identity/signup", json=body)
    assert response.status_code == 201, response.text
    return Account(body["email"], body["password"], response.json())


async def create_member(
    client: httpx.AsyncClient, admin: Account, roles: list[str] | None = None, **overrides: Any
) -> Account:
    body = {
        "email": unique_email("member"),
        "first_name": "Max",
        "last_name": "Member",
        "system_roles": roles or ["user"],
        "password": STRONG_PASSWORD,
        **overrides,
    }
    created = await client.post("/api/identity/users", json=body, headers=admin.headers())
    assert created.status_code == 201, created.text
    login = await client.post(
        "/api/identity/login", json={"email": body["email"], "password": STRONG_PASSWORD, "cookie": False}
    )
    assert login.status_code == 200, login.text
    return Account(body["email"], STRONG_PASSWORD, login.json())


async def read_mailbox(app: FastAPI, mailbox_dir: Path) -> list[dict[str, Any]]:
    runtime: IdentityRuntime = app.state.identity
    await runtime.postman.drain()
    return mails_in(mailbox_dir)


def mails_in(mailbox_dir: Path) -> list[dict[str, Any]]:
    if not mailbox_dir.exists():
        return []
    return [json.loads(p.read_text()) for p in sorted(mailbox_dir.glob("*.json"))]


def problem_locs(response: httpx.Response) -> list[list[str]]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    return [e["loc"] for e in response.json().get("errors", [])]
