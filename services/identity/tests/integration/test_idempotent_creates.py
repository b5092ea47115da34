"""Creating users and company roles again with the same `Idempotency-Key` answers the first
response and creates nothing more."""

import httpx

from ..identity_testkit import sign_up, unique_email


class TestIdempotentCreateUser:
    async def test_a_repeat_answers_the_first_response_and_another_body_is_422(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await sign_up(client)
        body = {"email": unique_email(), "first_name": "Max", "last_name": "Member"}
        headers = {**admin.headers(), "Idempotency-Key": "new-user-1"}
        first = await client.post("/api/identity/users", json=body, headers=headers)
        again = await client.post("/api/identity/users", json=body, headers=headers)
        assert first.status_code == 201, first.text
        assert (again.status_code, again.json()) == (201, first.json())
        other = await client.post(
            "/api/identity/users", json={**body, "first_name": "Maxine"}, headers=headers
        )
        assert other.status_code == 422
        users = (await client.get("/api/identity/users", headers=admin.headers())).json()
        assert [u["email"] for u in users["items"]].count(body["email"].lower()) == 1

    async def test_another_company_may_use_the_same_key(self, client: httpx.AsyncClient) -> None:
        answers = []
        for company in ("Acme", "Globex"):
            admin = await sign_up(client, company)
            body = {"email": unique_email(), "first_name": "Max", "last_name": "Member"}
            answers.append(
                await client.post(
                    "/api/identity/users", json=body, headers={**admin.headers(), "Idempotency-Key": "k"}
                )
            )
        assert [a.status_code for a in answers] == [201, 201]
        assert answers[0].json()["id"] != answers[1].json()["id"]


class TestIdempotentCreateCompanyRole:
    async def test_a_repeat_answers_the_first_response(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        headers = {**admin.headers(), "Idempotency-Key": "role-1"}
        body = {"name": "Finance", "description": "Money"}
        first = await client.post("/api/identity/company-roles", json=body, headers=headers)
        again = await client.post("/api/identity/company-roles", json=body, headers=headers)
        assert first.status_code == 201, first.text
        assert (again.status_code, again.json()) == (201, first.json())
        roles = (await client.get("/api/identity/company-roles", headers=admin.headers())).json()
        assert [r["name"] for r in roles].count("Finance") == 1
