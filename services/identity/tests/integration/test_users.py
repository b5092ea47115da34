"""Admin user management: /api/identity/users..."""

from uuid import UUID

import httpx
import pytest

from contracts.ids import uuid7

from ..identity_testkit import Account, create_member, problem_locs, sign_up, unique_email


async def new_user(client: httpx.AsyncClient, admin: Account, **body: object) -> httpx.Response:
    payload = {"email": unique_email(), "first_name": "Max", "last_name": "Member", **body}
    return await client.post("/api/identity/users", json=payload, headers=admin.headers())


class TestCreateUser:
    async def test_with_roles_and_default_company_role(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        response = await new_user(client, admin, system_roles=["task_worker"])
        assert response.status_code == 201, response.text
        user = response.json()
        assert user["system_roles"] == ["user", "task_worker"]
        assert user["company_roles"] == ["user"]
        assert user["company_id"] == str(admin.company_id)

    async def test_unknown_roles_are_listed(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        bad_system = await new_user(client, admin, system_roles=["user", "wizard"])
        assert bad_system.status_code == 422
        assert problem_locs(bad_system) == [["body", "system_roles", "1"]]
        bad_company = await new_user(client, admin, company_roles=["user", "ghosts", "goblins"])
        assert bad_company.status_code == 422
        assert problem_locs(bad_company) == [["body", "company_roles", "1"], ["body", "company_roles", "2"]]

    async def test_taken_email_is_a_conflict(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        other = await sign_up(client)
        assert (await new_user(client, admin, email=other.email.lower())).status_code == 409

    async def test_weak_initial_password_is_refused(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        response = await new_user(client, admin, password="1234567890")
        assert response.status_code == 422
        assert problem_locs(response) == [["body", "password"]]


class TestListUsers:
    async def test_pages_and_searches_the_company(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        for name in ("Alice", "Bob", "Carol"):
            await new_user(client, admin, first_name=name)
        await sign_up(client, first_name="Alice")
        page = (await client.get("/api/identity/users?page_size=2", headers=admin.headers())).json()
        assert page["total"] == 4
        assert len(page["items"]) == 2
        found = (await client.get("/api/identity/users?q=alic", headers=admin.headers())).json()
        assert [u["first_name"] for u in found["items"]] == ["Alice"]
        wildcard = (await client.get("/api/identity/users?q=%25", headers=admin.headers())).json()
        assert wildcard["total"] == 0

    async def test_bad_paging_is_422(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        response = await client.get("/api/identity/users?page=0&page_size=1000", headers=admin.headers())
        assert response.status_code == 422
        assert problem_locs(response) == [["query", "page"], ["query", "page_size"]]


class TestUpdateUser:
    async def test_changes_name(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin)
        response = await client.patch(
            f"/api/identity/users/{member.user_id}", json={"last_name": "Renamed"}, headers=admin.headers()
        )
        assert response.status_code == 200
        assert response.json()["last_name"] == "Renamed"

    async def test_unknown_user_is_404(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        response = await client.patch(f"/api/identity/users/{uuid7()}", json={}, headers=admin.headers())
        assert response.status_code == 404


class TestDeactivateUser:
    async def test_deactivates_and_ends_sessions(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin)
        response = await client.post(
            f"/api/identity/users/{member.user_id}/deactivate", headers=admin.headers()
        )
        assert response.status_code == 200
        assert response.json()["is_active"] is False
        refresh = await client.post(
            "/api/identity/refresh", json={"refresh_token": member.session["refresh_token"]}
        )
        assert refresh.status_code == 401

    async def test_oneself_is_a_conflict(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        response = await client.post(
            f"/api/identity/users/{admin.user_id}/deactivate", headers=admin.headers()
        )
        assert response.status_code == 409

    async def test_the_last_active_admin_stays(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        second = await create_member(client, admin, roles=["admin"])
        first_go = await client.post(
            f"/api/identity/users/{admin.user_id}/deactivate", headers=second.headers()
        )
        assert first_go.status_code == 200
        demote = await client.put(
            f"/api/identity/users/{second.user_id}/roles",
            json={"system_roles": ["user"], "company_roles": ["user"]},
            headers=second.headers(),
        )
        assert demote.status_code == 409
        assert "at least one active admin" in demote.json()["detail"]


class TestReplaceRoles:
    async def test_sets_system_and_company_roles(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        await client.post("/api/identity/company-roles", json={"name": "HR"}, headers=admin.headers())
        member = await create_member(client, admin)
        response = await client.put(
            f"/api/identity/users/{member.user_id}/roles",
            json={"system_roles": ["workflow_creator"], "company_roles": ["hr"]},
            headers=admin.headers(),
        )
        assert response.status_code == 200, response.text
        assert response.json()["system_roles"] == ["user", "workflow_creator"]
        assert response.json()["company_roles"] == ["HR", "user"]


class TestDefaultCompanyRole:
    async def test_a_user_created_with_other_company_roles_keeps_the_default(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await sign_up(client)
        await client.post("/api/identity/company-roles", json={"name": "finance"}, headers=admin.headers())
        response = await client.post(
            "/api/identity/users",
            json={
                "email": "fin@example.com",
                "first_name": "Fi",
                "last_name": "Nance",
                "company_roles": ["finance"],
            },
            headers=admin.headers(),
        )
        assert response.status_code == 201, response.text
        assert response.json()["company_roles"] == ["finance", "user"]

    async def test_replacing_roles_with_none_keeps_the_default(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin)
        response = await client.put(
            f"/api/identity/users/{member.user_id}/roles",
            json={"system_roles": [], "company_roles": []},
            headers=admin.headers(),
        )
        assert response.status_code == 200, response.text
        assert response.json()["company_roles"] == ["user"]


class TestAdminOnly:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("GET", "/api/identity/users"),
            ("POST", "/api/identity/users"),
            ("GET", "/api/identity/users/{id}"),
            ("PATCH", "/api/identity/users/{id}"),
            ("POST", "/api/identity/users/{id}/deactivate"),
            ("PUT", "/api/identity/users/{id}/roles"),
            ("GET", "/api/identity/company-roles"),
            ("POST", "/api/identity/company-roles"),
        ],
    )
    async def test_non_admin_gets_403(self, client: httpx.AsyncClient, method: str, path: str) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin, roles=["ticket_admin", "task_worker"])
        response = await client.request(
            method, path.format(id=admin.user_id), json={}, headers=member.headers()
        )
        assert response.status_code == 403
        assert UUID(admin.user["id"])
