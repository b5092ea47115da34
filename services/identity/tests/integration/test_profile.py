"""GET/PATCH /api/identity/me, POST /api/identity/me/password"""

import httpx

from ..identity_testkit import STRONG_PASSWORD, create_member, problem_locs, sign_up

NEW_PASSWORD = "Another-Strong-Pass-7"


class TestReadProfile:
    async def test_returns_the_caller(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        response = await client.get("/api/identity/me", headers=account.headers())
        assert response.status_code == 200
        assert response.json() == account.user

    async def test_without_gateway_claims_is_401(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/identity/me")
        assert response.status_code == 401


class TestEditProfile:
    async def test_changes_names_and_email_and_the_new_email_signs_in(
        self, client: httpx.AsyncClient
    ) -> None:
        account = await sign_up(client)
        response = await client.patch(
            "/api/identity/me",
            json={"first_name": " Grace ", "last_name": "Hopper", "email": "grace.hopper@Navy.MIL"},
            headers=account.headers(),
        )
        assert response.status_code == 200, response.text
        assert response.json()["first_name"] == "Grace"
        assert response.json()["email"] == "grace.hopper@navy.mil"
        new = await client.post(
            "/api/identity/login", json={"email": "GRACE.HOPPER@navy.mil", "password": STRONG_PASSWORD}
        )
        old = await client.post(
            "/api/identity/login", json={"email": account.email, "password": STRONG_PASSWORD}
        )
        assert (new.status_code, old.status_code) == (200, 401)

    async def test_email_of_another_account_is_a_conflict(self, client: httpx.AsyncClient) -> None:
        first = await sign_up(client)
        second = await sign_up(client)
        response = await client.patch(
            "/api/identity/me", json={"email": first.email}, headers=second.headers()
        )
        assert response.status_code == 409

    async def test_invalid_fields_are_listed_and_nothing_changes(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        response = await client.patch(
            "/api/identity/me",
            json={"first_name": "", "email": "nope", "is_active": False},
            headers=account.headers(),
        )
        assert response.status_code == 422
        assert problem_locs(response) == [["body", "email"], ["body", "first_name"], ["body", "is_active"]]
        me = await client.get("/api/identity/me", headers=account.headers())
        assert me.json() == account.user


class TestChangePassword:
    async def test_needs_the_current_password(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        response = await client.post(
            "/api/identity/me/password",
            json={"current_password": "Wrong-password-1", "new_password": NEW_PASSWORD},
            headers=account.headers(),
        )
        assert response.status_code == 422
        assert problem_locs(response) == [["body", "current_password"]]

    async def test_weak_new_password_is_refused_with_the_rule(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        response = await client.post(
            "/api/identity/me/password",
            json={"current_password": STRONG_PASSWORD, "new_password": "password"},
            headers=account.headers(),
        )
        assert response.status_code == 422
        assert problem_locs(response) == [["body", "new_password"]]
        assert "at least 10 characters" in response.json()["errors"][0]["msg"]

    async def test_new_password_works_and_other_sessions_end(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin)
        other_device = member.session["refresh_token"]
        this_device = (
            await client.post(
                "/api/identity/login",
                json={"email": member.email, "password": STRONG_PASSWORD, "cookie": False},
            )
        ).json()["refresh_token"]
        client.cookies.set("tf_refresh", this_device, path="/api/identity")
        response = await client.post(
            "/api/identity/me/password",
            json={"current_password": STRONG_PASSWORD, "new_password": NEW_PASSWORD},
            headers=member.headers(),
        )
        client.cookies.clear()
        assert response.status_code == 204, response.text
        refresh = "/api/identity/refresh"
        assert (await client.post(refresh, json={"refresh_token": other_device})).status_code == 401
        assert (await client.post(refresh, json={"refresh_token": this_device})).status_code == 200
        login = "/api/identity/login"
        assert (
            await client.post(login, json={"email": member.email, "password": NEW_PASSWORD})
        ).status_code == 200
        assert (
            await client.post(login, json={"email": member.email, "password": STRONG_PASSWORD})
        ).status_code == 401
