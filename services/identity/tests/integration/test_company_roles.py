"""Admin CRUD of company roles: /api/identity/company-roles..."""

import httpx
from sqlalchemy import text

from common.db import Database

from ..identity_testkit import Account, create_member, problem_locs, sign_up

ROLES = "/api/identity/company-roles"


async def create_role(client: httpx.AsyncClient, admin: Account, name: str) -> httpx.Response:
    return await client.post(
        ROLES, json={"name": name, "description": f"The {name} team"}, headers=admin.headers()
    )


async def default_role(client: httpx.AsyncClient, admin: Account) -> dict[str, object]:
    roles = (await client.get(ROLES, headers=admin.headers())).json()
    return next(r for r in roles if r["is_default"])


class TestListRoles:
    async def test_a_new_company_has_the_user_role(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        roles = (await client.get(ROLES, headers=admin.headers())).json()
        assert [(r["name"], r["is_default"]) for r in roles] == [("user", True)]


class TestCreateRole:
    async def test_creates_a_role(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        response = await create_role(client, admin, "Finance")
        assert response.status_code == 201
        assert response.json()["name"] == "Finance"
        assert response.json()["is_default"] is False

    async def test_names_are_unique_case_insensitively(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        await create_role(client, admin, "Finance")
        duplicate = await create_role(client, admin, "FINANCE")
        assert duplicate.status_code == 409
        assert problem_locs(duplicate) == [["body", "name"]]

    async def test_the_same_name_in_another_company_is_fine(self, client: httpx.AsyncClient) -> None:
        first = await sign_up(client)
        second = await sign_up(client)
        await create_role(client, first, "Finance")
        assert (await create_role(client, second, "Finance")).status_code == 201

    async def test_blank_name_is_422(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        response = await client.post(ROLES, json={"name": "  "}, headers=admin.headers())
        assert response.status_code == 422
        assert problem_locs(response) == [["body", "name"]]


class TestUpdateRole:
    async def test_rename_shows_on_holders(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        role = (await create_role(client, admin, "Finance")).json()
        member = await create_member(client, admin, company_roles=["user", "Finance"])
        renamed = await client.patch(
            f"{ROLES}/{role['id']}", json={"name": "Accounting"}, headers=admin.headers()
        )
        assert renamed.status_code == 200
        user = (await client.get(f"/api/identity/users/{member.user_id}", headers=admin.headers())).json()
        assert sorted(user["company_roles"]) == ["Accounting", "user"]

    async def test_the_user_role_cannot_be_renamed(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        role = await default_role(client, admin)
        response = await client.patch(
            f"{ROLES}/{role['id']}", json={"name": "member"}, headers=admin.headers()
        )
        assert response.status_code == 409


class TestDeleteRole:
    async def test_deletes_and_takes_it_from_holders(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        role = (await create_role(client, admin, "Finance")).json()
        member = await create_member(client, admin, company_roles=["user", "Finance"])
        assert (await client.delete(f"{ROLES}/{role['id']}", headers=admin.headers())).status_code == 204
        assert (await client.get(f"{ROLES}/{role['id']}", headers=admin.headers())).status_code == 404
        user = (await client.get(f"/api/identity/users/{member.user_id}", headers=admin.headers())).json()
        assert user["company_roles"] == ["user"]

    async def test_the_user_role_cannot_be_deleted(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        role = await default_role(client, admin)
        response = await client.delete(f"{ROLES}/{role['id']}", headers=admin.headers())
        assert response.status_code == 409
        assert "cannot be deleted" in response.json()["detail"]


class TestDeletedRoleIsSoftDeleted:
    async def test_the_row_stays_and_the_name_is_free_again(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        admin = await sign_up(client)
        role = (await create_role(client, admin, "Finance")).json()
        assert (await client.delete(f"{ROLES}/{role['id']}", headers=admin.headers())).status_code == 204

        roles = (await client.get(ROLES, headers=admin.headers())).json()
        assert [r["name"] for r in roles] == ["user"]
        async with db.unit_of_work(admin.company_id) as uow:
            deleted_at = await uow.session.scalar(
                text("SELECT deleted_at FROM identity.company_roles WHERE id = :id"), {"id": role["id"]}
            )
        assert deleted_at is not None

        again = await create_role(client, admin, "finance")
        assert again.status_code == 201
        assert again.json()["id"] != role["id"]

    async def test_a_deleted_role_cannot_be_given_or_deleted_again(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        role = (await create_role(client, admin, "Finance")).json()
        await client.delete(f"{ROLES}/{role['id']}", headers=admin.headers())
        assert (await client.delete(f"{ROLES}/{role['id']}", headers=admin.headers())).status_code == 404
        patched = await client.patch(f"{ROLES}/{role['id']}", json={"name": "Money"}, headers=admin.headers())
        assert patched.status_code == 404
        member = await client.post(
            "/api/identity/users",
            json={
                "email": "late@example.com",
                "first_name": "Late",
                "last_name": "Comer",
                "system_roles": ["user"],
                "company_roles": ["user", "Finance"],
            },
            headers=admin.headers(),
        )
        assert member.status_code == 422
