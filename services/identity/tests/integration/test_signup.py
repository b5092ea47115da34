"""POST /api/identity/signup"""

import httpx
import jwt

from ..identity_testkit import STRONG_PASSWORD, problem_locs, sign_up, unique_email


class TestSignUp:
    async def test_creates_company_admin_and_session(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client, "Acme")
        session = account.session
        assert session["token_type"] == "bearer"
        assert session["expires_in"] == 900
        assert session["refresh_token"]
        user = session["user"]
        assert user["email"] == account.email.replace("Example.com", "example.com")
        assert set(user["system_roles"]) == {"admin", "user"}
        assert user["company_roles"] == ["user"]
        assert user["is_active"] is True

    async def test_access_token_carries_the_claims(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        token = account.session["access_token"]
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
        assert header["alg"] == "EdDSA"
        assert header["kid"]
        assert claims["sub"] == str(account.user_id)
        assert claims["company_id"] == str(account.company_id)
        assert set(claims["roles"]) == {"admin", "user"}
        assert claims["company_roles"] == ["user"]
        assert {"iss", "aud", "exp", "iat", "nbf", "jti"} <= claims.keys()
        assert claims["exp"] - claims["iat"] == 900

    async def test_browser_sign_up_sets_the_refresh_cookie_not_the_body(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.post(
            "/api/identity/signup",
            json={
                "company_name": "Acme",
                "email": unique_email(),
                "password": STRONG_PASSWORD,
                "first_name": "Ada",
                "last_name": "Admin",
            },
        )
        assert response.status_code == 201
        assert "refresh_token" not in response.json()
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("tf_refresh=")
        assert "HttpOnly" in cookie
        assert "Path=/api/identity" in cookie
        assert "SameSite=strict" in cookie

    async def test_email_taken_in_any_case_is_a_conflict(self, client: httpx.AsyncClient) -> None:
        first = await sign_up(client)
        response = await client.post(
            "/api/identity/signup",
            json={
                "company_name": "Other",
                "email": first.email.upper(),
                "password": STRONG_PASSWORD,
                "first_name": "Eve",
                "last_name": "Other",
            },
        )
        assert response.status_code == 409
        assert problem_locs(response) == [["body", "email"]]

    async def test_every_invalid_field_is_listed_and_nothing_is_created(
        self, client: httpx.AsyncClient
    ) -> None:
        email = unique_email()
        response = await client.post(
            "/api/identity/signup",
            json={
                "company_name": "",
                "email": "not-an-email",
                "password": "short",
                "first_name": "",
                "last_name": "X",
            },
        )
        assert response.status_code == 422
        assert problem_locs(response) == [
            ["body", "company_name"],
            ["body", "email"],
            ["body", "password"],
            ["body", "first_name"],
        ]
        assert "at least 10 characters" in response.text
        login = await client.post("/api/identity/login", json={"email": email, "password": STRONG_PASSWORD})
        assert login.status_code == 401
