"""The company's own page: its members read its details and counts, its admins edit them, bad
input is a 422 that writes nothing, and another company's members see only their own."""

import httpx

from ..identity_testkit import Account, create_member, problem_locs, sign_up


async def read(client: httpx.AsyncClient, account: Account) -> httpx.Response:
    return await client.get("/api/identity/company", headers=account.headers())


class TestReadCompany:
    async def test_name_created_status_and_counts(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client, "Northwind Traders")
        await create_member(client, admin, ["user"])
        worker = await create_member(client, admin, ["task_worker"])
        response = await read(client, worker)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["id"] == str(admin.company_id)
        assert body["name"] == "Northwind Traders"
        assert body["status"] == "active"
        assert body["timezone"] == "UTC"
        assert body["created_at"]
        assert body["counts"] == {"users": 3, "active_users": 3, "admins": 1, "company_roles": 1}

    async def test_each_company_reads_its_own(self, client: httpx.AsyncClient) -> None:
        first = await sign_up(client, "First Co")
        second = await sign_up(client, "Second Co")
        assert (await read(client, first)).json()["name"] == "First Co"
        assert (await read(client, second)).json()["name"] == "Second Co"
        assert (await read(client, second)).json()["counts"]["users"] == 1


class TestUpdateCompany:
    async def test_an_admin_edits_the_details(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client, "Old Name")
        response = await client.patch(
            "/api/identity/company",
            json={"name": "  New Name  ", "contact_email": "ops@Example.COM", "timezone": "Europe/Berlin"},
            headers=admin.headers(),
        )
        assert response.status_code == 200, response.text
        assert response.json()["name"] == "New Name"
        assert response.json()["contact_email"] == "ops@example.com"
        assert (await read(client, admin)).json()["timezone"] == "Europe/Berlin"

    async def test_the_contact_email_can_be_cleared(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        await client.patch(
            "/api/identity/company", json={"contact_email": "a@example.com"}, headers=admin.headers()
        )
        cleared = await client.patch(
            "/api/identity/company", json={"contact_email": None}, headers=admin.headers()
        )
        assert cleared.json()["contact_email"] is None

    async def test_bad_input_lists_every_field_and_writes_nothing(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client, "Kept Name")
        response = await client.patch(
            "/api/identity/company",
            json={"name": "   ", "contact_email": "not-an-email", "timezone": "Mars/Olympus"},
            headers=admin.headers(),
        )
        assert response.status_code == 422, response.text
        locs = problem_locs(response)
        assert ["body", "name"] in locs
        assert ["body", "contact_email"] in locs
        assert ["body", "timezone"] in locs
        timezone = next(e for e in response.json()["errors"] if e["loc"] == ["body", "timezone"])
        assert timezone["msg"] == "must be an IANA time zone, like Europe/Berlin or UTC"
        assert (await read(client, admin)).json()["name"] == "Kept Name"

    async def test_unknown_fields_and_a_null_name_are_422(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        unknown = await client.patch(
            "/api/identity/company", json={"status": "suspended"}, headers=admin.headers()
        )
        null_name = await client.patch("/api/identity/company", json={"name": None}, headers=admin.headers())
        assert unknown.status_code == 422
        assert null_name.status_code == 422
        assert (await read(client, admin)).json()["status"] == "active"

    async def test_a_member_who_is_no_admin_is_403(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client, "Admins Only")
        member = await create_member(client, admin, ["user", "ticket_admin"])
        response = await client.patch(
            "/api/identity/company", json={"name": "Taken"}, headers=member.headers()
        )
        assert response.status_code == 403
        assert (await read(client, admin)).json()["name"] == "Admins Only"
