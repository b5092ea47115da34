"""POST /api/identity/login, /refresh, /logout"""

import httpx

from identity.config import IdentitySettings

from ..identity_testkit import STRONG_PASSWORD, Account, create_member, sign_up


async def login(
    client: httpx.AsyncClient, email: str, password: str = STRONG_PASSWORD, **extra: object
) -> httpx.Response:
    return await client.post("/api/identity/login", json={"email": email, "password": password, **extra})


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/identity/refresh", json={"refresh_token": token, "cookie": False})


class TestLogin:
    async def test_right_password_opens_a_session(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        response = await login(client, account.email, cookie=False)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["user"]["id"] == str(account.user_id)
        assert body["refresh_token"] != account.session["refresh_token"]
        assert response.headers["cache-control"] == "no-store"

    async def test_email_is_matched_case_insensitively(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        assert (await login(client, account.email.upper())).status_code == 200

    async def test_wrong_password_and_unknown_email_answer_alike(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        wrong = await login(client, account.email, "Wrong-password-1")
        unknown = await login(client, "nobody-here@example.com")
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json()["detail"] == unknown.json()["detail"]
        assert wrong.headers["content-type"] == "application/problem+json"

    async def test_missing_fields_are_listed(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/identity/login", json={})
        assert response.status_code == 422
        assert [e["loc"] for e in response.json()["errors"]] == [["body", "email"], ["body", "password"]]

    async def test_deactivated_user_cannot_sign_in(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin)
        deactivated = await client.post(
            f"/api/identity/users/{member.user_id}/deactivate", headers=admin.headers()
        )
        assert deactivated.status_code == 200
        assert (await login(client, member.email)).status_code == 401


class TestLoginRateLimit:
    async def test_failed_attempts_on_one_account_are_limited_with_retry_after(
        self, client: httpx.AsyncClient, settings: IdentitySettings
    ) -> None:
        account = await sign_up(client)
        for _ in range(settings.login_rate_limit_per_minute):
            assert (await login(client, account.email, "Wrong-password-1")).status_code == 401
        limited = await login(client, account.email)
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert "Too many attempts for this account" in limited.json()["detail"]

    async def test_other_accounts_are_not_locked_by_someone_elses_failures(
        self, client: httpx.AsyncClient, settings: IdentitySettings
    ) -> None:
        victim = await sign_up(client)
        other = await sign_up(client)
        for _ in range(settings.login_rate_limit_per_minute):
            await login(client, victim.email, "Wrong-password-1")
        assert (await login(client, other.email)).status_code == 200

    async def test_one_address_is_limited_across_accounts(
        self, client: httpx.AsyncClient, settings: IdentitySettings
    ) -> None:
        for i in range(settings.address_rate_limit_per_minute):
            await login(client, f"guess-{i}@example.com", "Wrong-password-1")
        limited = await login(client, "guess-last@example.com", "Wrong-password-1")
        assert limited.status_code == 429
        assert "your address" in limited.json()["detail"]

    async def test_address_comes_from_the_gateways_forwarded_for(
        self, client: httpx.AsyncClient, settings: IdentitySettings
    ) -> None:
        for i in range(settings.address_rate_limit_per_minute):
            await client.post(
                "/api/identity/login",
                json={"email": f"guess-{i}@example.com", "password": "Wrong-password-1"},
                headers={"x-forwarded-for": "198.51.100.1"},
            )
        elsewhere = await client.post(
            "/api/identity/login",
            json={"email": "guess-x@example.com", "password": "Wrong-password-1"},
            headers={"x-forwarded-for": "198.51.100.2"},
        )
        assert elsewhere.status_code == 401


class TestRefresh:
    async def test_rotates_the_refresh_token(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        first = await refresh(client, account.session["refresh_token"])
        assert first.status_code == 200, first.text
        body = first.json()
        assert body["refresh_token"] != account.session["refresh_token"]
        assert body["access_token"]
        second = await refresh(client, body["refresh_token"])
        assert second.status_code == 200

    async def test_reusing_a_spent_token_revokes_the_whole_family(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        spent = account.session["refresh_token"]
        successor = (await refresh(client, spent)).json()["refresh_token"]
        reuse = await refresh(client, spent)
        assert reuse.status_code == 401
        assert "already used" in reuse.json()["detail"]
        assert (await refresh(client, successor)).status_code == 401

    async def test_reuse_revokes_only_that_family(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        other_device = (await login(client, account.email, cookie=False)).json()["refresh_token"]
        spent = account.session["refresh_token"]
        await refresh(client, spent)
        await refresh(client, spent)
        assert (await refresh(client, other_device)).status_code == 200

    async def test_cookie_refresh_needs_the_csrf_header(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        await login(client, account.email)
        assert "tf_refresh" in client.cookies
        refused = await client.post("/api/identity/refresh")
        assert refused.status_code == 403
        assert "X-TF-CSRF" in refused.json()["detail"]
        accepted = await client.post("/api/identity/refresh", headers={"X-TF-CSRF": "1"})
        assert accepted.status_code == 200, accepted.text
        assert "refresh_token" not in accepted.json()
        assert accepted.headers["set-cookie"].startswith("tf_refresh=")

    async def test_without_any_token_is_unauthorized(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/identity/refresh", headers={"X-TF-CSRF": "1"})
        assert response.status_code == 401

    async def test_forged_token_is_unauthorized(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        forged = f"{account.company_id.hex}.{'A' * 43}"
        for token in (forged, "garbage", "0" * 32 + ".x"):
            assert (await refresh(client, token)).status_code == 401

    async def test_deactivated_users_refresh_fails(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin)
        await client.post(f"/api/identity/users/{member.user_id}/deactivate", headers=admin.headers())
        assert (await refresh(client, member.session["refresh_token"])).status_code == 401

    async def test_new_access_token_carries_current_roles(self, client: httpx.AsyncClient) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin)
        await client.put(
            f"/api/identity/users/{member.user_id}/roles",
            json={"system_roles": ["task_worker"], "company_roles": ["user"]},
            headers=admin.headers(),
        )
        body = (await refresh(client, member.session["refresh_token"])).json()
        assert set(body["user"]["system_roles"]) == {"user", "task_worker"}


class TestLogout:
    async def test_revokes_the_session_and_clears_the_cookie(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        response = await client.post(
            "/api/identity/logout", json={"refresh_token": account.session["refresh_token"]}
        )
        assert response.status_code == 204
        assert 'tf_refresh=""' in response.headers["set-cookie"]
        assert (await refresh(client, account.session["refresh_token"])).status_code == 401

    async def test_cookie_logout_needs_the_csrf_header(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        await login(client, account.email)
        assert (await client.post("/api/identity/logout")).status_code == 403
        assert (await client.post("/api/identity/logout", headers={"X-TF-CSRF": "1"})).status_code == 204
        assert (await client.post("/api/identity/refresh", headers={"X-TF-CSRF": "1"})).status_code == 401

    async def test_without_a_session_still_answers_204(self, client: httpx.AsyncClient) -> None:
        assert (await client.post("/api/identity/logout")).status_code == 204

    async def test_other_sessions_stay_signed_in(self, client: httpx.AsyncClient) -> None:
        account: Account = await sign_up(client)
        other = (await login(client, account.email, cookie=False)).json()["refresh_token"]
        await client.post("/api/identity/logout", json={"refresh_token": account.session["refresh_token"]})
        assert (await refresh(client, other)).status_code == 200
