"""Platform operators: created from the command line's service, signed in with a token of their
own audience that names no company; they list companies, read status and counts, suspend and
reactivate. A suspended company's users cannot sign in or refresh; a tenant's claims do not
open the operator API, and an operator's claims open no tenant endpoint."""

import time
from datetime import datetime
from uuid import UUID

import httpx
import jwt
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from common.auth import OperatorClaims, sign_operator_claims
from common.db import Database
from common.settings import DEV_CLAIMS_SECRET
from contracts.envelope import Envelope
from contracts.ids import uuid7
from identity.operators import service as operators
from identity.operators.schemas import OperatorRead
from identity.runtime import IdentityRuntime

from ..identity_testkit import STRONG_PASSWORD, Account, create_member, sign_up, unique_email

OPERATOR_PASSWORD = "Platform-Operator-Pass-7"


def operator_headers(operator_id: UUID) -> dict[str, str]:
    return sign_operator_claims(
        OperatorClaims(operator_id=operator_id, iat=int(time.time())), DEV_CLAIMS_SECRET
    )


@pytest.fixture
async def operator(app: FastAPI, db: Database) -> OperatorRead:
    runtime: IdentityRuntime = app.state.identity
    async with db.unit_of_work() as uow:
        return await operators.create(
            uow,
            runtime,
            email=unique_email("operator"),
            display_name="Olga Operator",
            password=OPERATOR_PASSWORD,
        )


async def login(client: httpx.AsyncClient, account: Account) -> httpx.Response:
    return await client.post(
        "/api/identity/login", json={"email": account.email, "password": STRONG_PASSWORD, "cookie": False}
    )


async def published_types(db: Database) -> list[Envelope]:
    outbox = db.tables.outbox
    async with db.unit_of_work() as uow:
        rows = (await uow.session.execute(select(outbox.c.payload).order_by(outbox.c.position))).scalars()
        return [Envelope.model_validate(payload) for payload in rows]


class TestCreateOperator:
    async def test_a_second_operator_with_the_same_email_is_refused(
        self, app: FastAPI, db: Database, operator: OperatorRead
    ) -> None:
        runtime: IdentityRuntime = app.state.identity
        with pytest.raises(operators.OperatorExists):
            async with db.unit_of_work() as uow:
                await operators.create(
                    uow, runtime, email=operator.email.upper(), display_name="", password=OPERATOR_PASSWORD
                )

    async def test_a_weak_password_is_refused(self, app: FastAPI, db: Database) -> None:
        runtime: IdentityRuntime = app.state.identity
        with pytest.raises(ValueError, match="password"):
            async with db.unit_of_work() as uow:
                await operators.create(
                    uow, runtime, email=unique_email("op"), display_name="", password="short"
                )


class TestOperatorLogin:
    async def test_the_token_has_the_operator_audience_and_no_company(
        self, client: httpx.AsyncClient, operator: OperatorRead
    ) -> None:
        response = await client.post(
            "/api/identity/operator/login", json={"email": operator.email, "password": OPERATOR_PASSWORD}
        )
        assert response.status_code == 200, response.text
        claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
        assert claims["aud"] == "ticketflower-operator"
        assert claims["scope"] == "platform_operator"
        assert claims["sub"] == str(operator.id)
        assert "company_id" not in claims
        assert "roles" not in claims

    async def test_a_wrong_password_is_401(self, client: httpx.AsyncClient, operator: OperatorRead) -> None:
        response = await client.post(
            "/api/identity/operator/login", json={"email": operator.email, "password": "Wrong-Password-123"}
        )
        assert response.status_code == 401

    async def test_a_company_admin_cannot_sign_in_as_operator(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        response = await client.post(
            "/api/identity/operator/login", json={"email": admin.email, "password": STRONG_PASSWORD}
        )
        assert response.status_code == 401


class TestCompaniesForTheOperator:
    async def test_lists_every_company_without_tenant_data(
        self, client: httpx.AsyncClient, operator: OperatorRead
    ) -> None:
        first = await sign_up(client, "Zeta Widgets")
        second = await sign_up(client, "Alpha Gadgets")
        response = await client.get(
            "/api/identity/operator/companies",
            params={"page_size": 100},
            headers=operator_headers(operator.id),
        )
        assert response.status_code == 200, response.text
        items = {item["id"]: item for item in response.json()["items"]}
        assert {str(first.company_id), str(second.company_id)} <= set(items)
        assert set(items[str(first.company_id)]) == {"id", "name", "status", "created_at", "suspended_at"}

    async def test_search_by_name(self, client: httpx.AsyncClient, operator: OperatorRead) -> None:
        await sign_up(client, "Unique Searchable Pottery")
        response = await client.get(
            "/api/identity/operator/companies",
            params={"q": "searchable pot"},
            headers=operator_headers(operator.id),
        )
        assert [c["name"] for c in response.json()["items"]] == ["Unique Searchable Pottery"]

    async def test_detail_has_status_and_counts(
        self, client: httpx.AsyncClient, operator: OperatorRead
    ) -> None:
        admin = await sign_up(client, "Counted Co")
        await create_member(client, admin, ["user"])
        response = await client.get(
            f"/api/identity/operator/companies/{admin.company_id}", headers=operator_headers(operator.id)
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "active"
        assert body["counts"] == {"users": 2, "active_users": 2, "admins": 1, "company_roles": 1}
        assert "users" not in body
        assert "email" not in str(body)

    async def test_an_unknown_company_is_404(self, client: httpx.AsyncClient, operator: OperatorRead) -> None:
        response = await client.get(
            f"/api/identity/operator/companies/{uuid7()}", headers=operator_headers(operator.id)
        )
        assert response.status_code == 404


class TestSuspension:
    async def test_a_suspended_company_cannot_sign_in_and_its_sessions_end(
        self, client: httpx.AsyncClient, db: Database, operator: OperatorRead
    ) -> None:
        admin = await sign_up(client, "Suspended Co")
        other = await sign_up(client, "Bystander Co")
        suspended = await client.post(
            f"/api/identity/operator/companies/{admin.company_id}/suspend",
            headers=operator_headers(operator.id),
        )
        assert suspended.status_code == 200, suspended.text
        assert suspended.json()["status"] == "suspended"

        refused = await login(client, admin)
        assert refused.status_code == 403
        assert "suspended" in refused.json()["detail"]
        refresh = await client.post(
            "/api/identity/refresh", json={"refresh_token": admin.session["refresh_token"], "cookie": False}
        )
        assert refresh.status_code == 401
        assert (await login(client, other)).status_code == 200

        events = [e for e in await published_types(db) if e.type == "company.suspended"]
        assert [e.company_id for e in events] == [admin.company_id]
        assert events[0].data["tokens_valid_after"] is not None

    async def test_reactivation_lets_users_sign_in_with_tokens_after_the_cut(
        self, client: httpx.AsyncClient, db: Database, operator: OperatorRead
    ) -> None:
        admin = await sign_up(client, "Back Again Co")
        headers = operator_headers(operator.id)
        await client.post(f"/api/identity/operator/companies/{admin.company_id}/suspend", headers=headers)
        again = await client.post(
            f"/api/identity/operator/companies/{admin.company_id}/reactivate", headers=headers
        )
        assert again.json()["status"] == "active"
        response = await login(client, admin)
        assert response.status_code == 200, response.text
        events = await published_types(db)
        assert [e.type for e in events if e.type.startswith("company.") and e.type != "company.created"] == [
            "company.suspended",
            "company.reactivated",
        ]
        cut = next(e for e in events if e.type == "company.suspended").data["tokens_valid_after"]
        iat = jwt.decode(response.json()["access_token"], options={"verify_signature": False})["iat"]
        assert iat >= datetime.fromisoformat(cut).timestamp()


class TestSeparationOfTokens:
    async def test_tenant_claims_do_not_open_the_operator_api(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        for method, path in [
            ("GET", "/api/identity/operator/companies"),
            ("GET", f"/api/identity/operator/companies/{admin.company_id}"),
            ("POST", f"/api/identity/operator/companies/{admin.company_id}/suspend"),
            ("GET", "/api/identity/operator/me"),
        ]:
            response = await client.request(method, path, headers=admin.headers())
            assert response.status_code == 401, (path, response.text)
        assert (await login(client, admin)).status_code == 200

    async def test_operator_claims_open_no_tenant_endpoint(
        self, client: httpx.AsyncClient, operator: OperatorRead
    ) -> None:
        headers = operator_headers(operator.id)
        for path in [
            "/api/identity/users",
            "/api/identity/company",
            "/api/identity/me",
            "/api/identity/company-roles",
        ]:
            response = await client.get(path, headers=headers)
            assert response.status_code == 401, (path, response.text)

    async def test_an_operator_that_no_longer_exists_is_401(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/identity/operator/companies", headers=operator_headers(uuid7()))
        assert response.status_code == 401
