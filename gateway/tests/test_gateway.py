"""The gateway in front of fake services: token checks, claims injection, routing, limits."""

import base64
import hashlib
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest

from common.auth import verify_claims
from common.settings import DEV_CLAIMS_SECRET

from .gateway_testkit import FakeServices, SigningKey, hs256_token, unsigned_token

PROTECTED = "/api/tickets/tickets"


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def assert_refused(response: httpx.Response, services: FakeServices, detail_part: str = "") -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert detail_part in response.json()["detail"]
    assert services.received == [], "a refused request must not reach the service"


class TestValidToken:
    async def test_reaches_the_service_with_signed_claims(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        claims = key.claims(roles=["user", "admin"], company_roles=["user", "hr"])
        response = await gateway.get(PROTECTED, headers=bearer(key.token(**claims)))
        assert response.status_code == 200, response.text
        seen = services.received[0]["headers"]
        verified = verify_claims(seen, DEV_CLAIMS_SECRET, 60)
        assert str(verified.user_id) == claims["sub"]
        assert str(verified.company_id) == claims["company_id"]
        assert verified.roles == ["user", "admin"]
        assert verified.company_roles == ["user", "hr"]

    async def test_passes_status_problem_body_and_every_cookie_through(
        self, gateway: httpx.AsyncClient, key: SigningKey
    ) -> None:
        missing = await gateway.get("/api/tickets/missing", headers=bearer(key.token()))
        assert missing.status_code == 404
        assert missing.json()["detail"] == "No such thing."
        ok = await gateway.get(PROTECTED, headers=bearer(key.token()))
        assert ok.headers.get_list("set-cookie") == ["a=1; Path=/; SameSite=lax", "b=2; Path=/; SameSite=lax"]

    async def test_jwks_is_cached_between_requests(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        for _ in range(3):
            assert (await gateway.get(PROTECTED, headers=bearer(key.token()))).status_code == 200
        assert services.jwks_fetches == 1

    async def test_a_rotated_key_is_fetched_on_first_sight(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        assert (await gateway.get(PROTECTED, headers=bearer(key.token()))).status_code == 200
        new_key = SigningKey.generate()
        services.keys.append(new_key)
        assert (await gateway.get(PROTECTED, headers=bearer(new_key.token()))).status_code == 200
        assert (await gateway.get(PROTECTED, headers=bearer(key.token()))).status_code == 200
        assert services.jwks_fetches == 2


class TestJwtAttacks:
    async def test_missing_token(self, gateway: httpx.AsyncClient, services: FakeServices) -> None:
        assert_refused(await gateway.get(PROTECTED), services, "Authorization")

    @pytest.mark.parametrize("value", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer not.a.jwt", "Bearer a.b"])
    async def test_malformed_authorization(
        self, gateway: httpx.AsyncClient, services: FakeServices, value: str
    ) -> None:
        assert_refused(await gateway.get(PROTECTED, headers={"authorization": value}), services)

    async def test_alg_none(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        token = unsigned_token({"alg": "none", "typ": "JWT", "kid": key.kid}, key.claims(roles=["admin"]))
        assert_refused(await gateway.get(PROTECTED, headers=bearer(token)), services, "algorithm")

    async def test_hs256_signed_with_the_public_key(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
        for secret in (key.public_pem(), key.jwk()["x"].encode()):
            token = hs256_token(secret, header, key.claims(roles=["admin"]))
            assert_refused(await gateway.get(PROTECTED, headers=bearer(token)), services, "algorithm")

    async def test_signed_by_another_key_under_a_known_kid(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        impostor = SigningKey.generate(kid=key.kid)
        assert_refused(await gateway.get(PROTECTED, headers=bearer(impostor.token())), services, "not valid")

    async def test_signed_by_an_unknown_key(self, gateway: httpx.AsyncClient, services: FakeServices) -> None:
        stranger = SigningKey.generate()
        assert_refused(
            await gateway.get(PROTECTED, headers=bearer(stranger.token())), services, "unknown key"
        )

    async def test_expired(self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey) -> None:
        past = int(time.time()) - 3600
        token = key.token(iat=past, nbf=past, exp=past + 900)
        assert_refused(await gateway.get(PROTECTED, headers=bearer(token)), services, "expired")

    async def test_not_yet_valid(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        future = int(time.time()) + 3600
        token = key.token(nbf=future, exp=future + 900)
        assert_refused(await gateway.get(PROTECTED, headers=bearer(token)), services, "not valid yet")

    async def test_wrong_audience(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        token = key.token(aud="some-other-api")
        assert_refused(
            await gateway.get(PROTECTED, headers=bearer(token)), services, "not meant for this API"
        )

    async def test_wrong_issuer(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        token = key.token(iss="https://evil.example.com")
        assert_refused(await gateway.get(PROTECTED, headers=bearer(token)), services, "not issued")

    async def test_tampered_payload(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        header, _, signature = key.token().split(".")
        forged = unsigned_token({}, key.claims(roles=["admin"])).split(".")[1]
        token = f"{header}.{forged}.{signature}"
        assert_refused(await gateway.get(PROTECTED, headers=bearer(token)), services, "not valid")

    @pytest.mark.parametrize("missing", ["exp", "aud", "sub", "jti"])
    async def test_missing_required_claim(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey, missing: str
    ) -> None:
        claims: dict[str, Any] = key.claims()
        del claims[missing]
        token = jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})
        assert_refused(await gateway.get(PROTECTED, headers=bearer(token)), services)

    async def test_token_without_company(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        token = key.token(company_id="not-a-uuid")
        assert_refused(await gateway.get(PROTECTED, headers=bearer(token)), services, "company")


class TestHeaderHygiene:
    async def test_client_claim_headers_are_stripped_on_protected_calls(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        forged = {"x-tf-claims": "forged", "x-tf-claims-signature": "00", "x-tf-anything": "1"}
        await gateway.get(PROTECTED, headers={**forged, **bearer(key.token())})
        seen = services.received[0]["headers"]
        assert seen["x-tf-claims"] != "forged"
        assert "x-tf-anything" not in seen

    async def test_client_claim_headers_are_stripped_on_public_calls(
        self, gateway: httpx.AsyncClient, services: FakeServices
    ) -> None:
        forged = {"x-tf-claims": "forged", "x-tf-claims-signature": "00", "x-tf-csrf": "1"}
        response = await gateway.post("/api/identity/login", json={}, headers=forged)
        assert response.status_code == 200
        seen = services.received[0]["headers"]
        assert "x-tf-claims" not in seen
        assert "x-tf-claims-signature" not in seen
        assert seen["x-tf-csrf"] == "1"

    async def test_forwarded_for_is_overwritten_with_the_client_address(
        self, gateway: httpx.AsyncClient, services: FakeServices
    ) -> None:
        await gateway.post("/api/identity/login", json={}, headers={"x-forwarded-for": "10.9.9.9, 1.2.3.4"})
        assert services.received[0]["headers"]["x-forwarded-for"] == "192.0.2.10"

    async def test_request_id_is_kept_when_plain_and_made_up_otherwise(
        self, gateway: httpx.AsyncClient, services: FakeServices
    ) -> None:
        kept = await gateway.post("/api/identity/login", json={}, headers={"x-request-id": "abc-123"})
        assert kept.headers["x-request-id"] == "abc-123"
        assert services.received[0]["headers"]["x-request-id"] == "abc-123"
        replaced = await gateway.post(
            "/api/identity/login", json={}, headers={"x-request-id": "bad id <script>"}
        )
        assert replaced.headers["x-request-id"] != "bad id"
        assert len(replaced.headers["x-request-id"]) == 36


class TestPublicRoutes:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("POST", "/api/identity/signup"),
            ("POST", "/api/identity/login"),
            ("POST", "/api/identity/refresh"),
            ("POST", "/api/identity/logout"),
            ("POST", "/api/identity/password-reset/request"),
            ("POST", "/api/identity/password-reset/confirm"),
            ("GET", "/api/identity/.well-known/jwks.json"),
            ("POST", "/api/callbacks/abc/def"),
        ],
    )
    async def test_need_no_token(self, gateway: httpx.AsyncClient, method: str, path: str) -> None:
        assert (await gateway.request(method, path)).status_code == 200

    @pytest.mark.parametrize(
        ("method", "path"),
        [("GET", "/api/identity/me"), ("GET", "/api/identity/login"), ("POST", "/api/identity/users")],
    )
    async def test_everything_else_does(self, gateway: httpx.AsyncClient, method: str, path: str) -> None:
        assert (await gateway.request(method, path)).status_code == 401

    async def test_unknown_service_is_404(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get("/api/nothing/here")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


class TestBodyLimit:
    async def test_declared_oversized_body_is_413(
        self, gateway: httpx.AsyncClient, services: FakeServices
    ) -> None:
        response = await gateway.post("/api/identity/login", content=b"x" * 1001)
        assert response.status_code == 413
        assert response.json()["status"] == 413
        assert services.received == []

    async def test_streamed_oversized_body_is_413(
        self, gateway: httpx.AsyncClient, services: FakeServices
    ) -> None:
        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(5):
                yield b"x" * 400

        response = await gateway.post("/api/identity/login", content=chunks())
        assert response.status_code == 413

    async def test_body_within_the_limit_passes(
        self, gateway: httpx.AsyncClient, services: FakeServices
    ) -> None:
        response = await gateway.post("/api/identity/login", content=b"x" * 1000)
        assert response.status_code == 200
        assert services.received[0]["body_length"] == 1000


class TestCors:
    async def test_preflight_from_the_configured_origin(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.options(
            PROTECTED,
            headers={
                "origin": "https://app.example.com",
                "access-control-request-method": "POST",
                "access-control-request-headers": "authorization, x-tf-csrf",
            },
        )
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "https://app.example.com"
        assert response.headers["access-control-allow-credentials"] == "true"

    async def test_other_origins_get_no_cors_headers(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.post(
            "/api/identity/login", json={}, headers={"origin": "https://evil.example.com"}
        )
        assert "access-control-allow-origin" not in response.headers


class TestOpenApi:
    async def test_merges_every_services_paths_and_keeps_clashing_schemas_apart(
        self, gateway: httpx.AsyncClient
    ) -> None:
        document = (await gateway.get("/api/openapi.json")).json()
        assert {"/api/identity/things", "/api/tickets/things", "/api/actions/things"} <= set(
            document["paths"]
        )
        assert "/healthz" not in document["paths"]
        schemas = document["components"]["schemas"]
        assert "Thing" in schemas
        assert "tickets__Thing" in schemas
        assert "tickets__Shared" not in schemas

    async def test_docs_page(self, gateway: httpx.AsyncClient) -> None:
        page = await gateway.get("/api/docs")
        assert page.status_code == 200
        assert "/api/openapi.json" in page.text


class TestSpa:
    async def test_other_paths_fall_back_to_the_app(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get("/tickets/123")
        assert response.status_code == 200
        assert "text/html" in response.headers["content-type"]


class TestCallersNeverShareCookies:
    async def test_a_cookie_set_for_one_caller_never_reaches_another(
        self, gateway: httpx.AsyncClient, services: FakeServices
    ) -> None:
        first = await gateway.post("/api/identity/login", json={})
        assert "a=1" in first.headers.get_list("set-cookie")[0]
        gateway.cookies.clear()
        await gateway.post("/api/identity/refresh", headers={"x-tf-csrf": "1"})
        assert "cookie" not in services.received[-1]["headers"]


class TestSecurityHeaders:
    @pytest.mark.parametrize("path", ["/", "/tickets/123", "/api/identity/me", "/api/nowhere/x", "/healthz"])
    async def test_every_response_forbids_framing_sniffing_and_referrers(
        self, gateway: httpx.AsyncClient, path: str
    ) -> None:
        response = await gateway.get(path)
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]

    async def test_the_app_may_run_only_its_own_scripts(self, gateway: httpx.AsyncClient) -> None:
        policy = dict(
            part.strip().split(" ", 1)
            for part in (await gateway.get("/tickets/1")).headers["content-security-policy"].split(";")
        )
        assert policy["default-src"] == "'self'"
        assert "'unsafe-inline'" not in policy["script-src"]
        assert policy["object-src"] == "'none'"

    async def test_api_answers_run_nothing_even_when_opened_directly(
        self, gateway: httpx.AsyncClient, key: SigningKey
    ) -> None:
        response = await gateway.get("/api/tickets/attachments/1", headers=bearer(key.token()))
        assert response.status_code == 200
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert "sandbox" in policy

    async def test_the_docs_page_allows_its_inline_script_by_hash_only(
        self, gateway: httpx.AsyncClient
    ) -> None:
        page = await gateway.get("/api/docs")
        script = page.text.split("<script>", 1)[1].split("</script>", 1)[0]
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        policy = page.headers["content-security-policy"]
        assert f"'sha256-{digest}'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
