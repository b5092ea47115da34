"""Ingest keys and inbound rejections through the API."""

from collections.abc import Callable

import httpx

from ..tickets_test_support import Caller


async def create_key(client: httpx.AsyncClient, admin: Caller, name: str = "ERP") -> httpx.Response:
    return await client.post("/api/tickets/ingest-keys", json={"name": name}, headers=admin.headers)


class TestCreateIngestKey:
    async def test_the_secret_is_shown_once(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        admin = make_caller(roles=["admin"])
        created = await create_key(client, admin)
        assert created.status_code == 201
        assert created.json()["secret"].startswith("tfik_")
        listed = (await client.get("/api/tickets/ingest-keys", headers=admin.headers)).json()
        assert [k["id"] for k in listed] == [created.json()["id"]]
        assert "secret" not in listed[0]

    async def test_only_admins(self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]) -> None:
        assert (await create_key(client, make_caller(roles=["ticket_admin"]))).status_code == 403

    async def test_a_name_is_required(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        response = await create_key(client, make_caller(roles=["admin"]), name="")
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "name"]


class TestRotateIngestKey:
    async def test_gives_a_new_secret(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        admin = make_caller(roles=["admin"])
        created = (await create_key(client, admin)).json()
        rotated = await client.post(f"/api/tickets/ingest-keys/{created['id']}/rotate", headers=admin.headers)
        assert rotated.status_code == 200
        assert rotated.json()["generation"] == 2
        assert rotated.json()["secret"] != created["secret"]
        assert rotated.json()["previous_valid_until"] is not None

    async def test_another_companys_key_is_404(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        from contracts.ids import uuid7

        created = (await create_key(client, make_caller(roles=["admin"]))).json()
        outsider = make_caller(roles=["admin"], company_id=uuid7())
        response = await client.post(
            f"/api/tickets/ingest-keys/{created['id']}/rotate", headers=outsider.headers
        )
        assert response.status_code == 404


class TestRevokeIngestKey:
    async def test_a_revoked_key_cannot_be_rotated(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        admin = make_caller(roles=["admin"])
        created = (await create_key(client, admin)).json()
        revoked = await client.post(f"/api/tickets/ingest-keys/{created['id']}/revoke", headers=admin.headers)
        assert revoked.status_code == 200
        assert revoked.json()["revoked_at"] is not None
        again = await client.post(f"/api/tickets/ingest-keys/{created['id']}/rotate", headers=admin.headers)
        assert again.status_code == 409


class TestListInboundRejections:
    async def test_only_admins(self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]) -> None:
        response = await client.get("/api/tickets/inbound-rejections", headers=make_caller().headers)
        assert response.status_code == 403

    async def test_empty_for_a_new_company(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        page = (
            await client.get("/api/tickets/inbound-rejections", headers=make_caller(roles=["admin"]).headers)
        ).json()
        assert page == {"items": [], "total": 0, "page": 1, "page_size": 20}
