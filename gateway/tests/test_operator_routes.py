"""The platform operators' API at the gateway: only an operator token (its own audience, no
company) opens `/api/identity/operator/...`, and reaches the service with signed operator
claims and no tenant claims; a tenant token is refused there, and an operator token is refused
on every tenant route. A suspension on `identity.events` cuts the company's older tokens."""

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from common.auth import OPERATOR_HEADER, verify_operator_claims
from common.settings import DEV_CLAIMS_SECRET
from contracts.envelope import Actor, envelope_for
from contracts.identity import CompanySuspended
from contracts.ids import uuid7
from gateway.auth import InvalidToken, TokenVerifier
from gateway.config import GatewaySettings
from gateway.revocations import RevocationFeed, TokenCutoffs

from .gateway_testkit import FakeServices, SigningKey

OPERATOR_AUDIENCE = "ticketflower-operator"


def operator_token(key: SigningKey, **overrides: Any) -> str:
    """Of the operator audience, but with the tenant claims a company user's token has."""
    return key.token(aud=OPERATOR_AUDIENCE, scope="platform_operator", **overrides)


def bare_operator_token(key: SigningKey) -> str:
    """As identity signs it: no company, no roles."""
    claims = key.claims(aud=OPERATOR_AUDIENCE, scope="platform_operator")
    for name in ("company_id", "roles", "company_roles"):
        claims.pop(name)
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


class TestOperatorRoutes:
    async def test_an_operator_token_reaches_the_operator_api_with_operator_claims_only(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        token = bare_operator_token(key)
        response = await gateway.get("/api/identity/operator/companies", headers=bearer(token))
        assert response.status_code == 200, response.text
        seen = services.received[-1]["headers"]
        assert "x-tf-claims" not in seen
        claims = verify_operator_claims(seen, DEV_CLAIMS_SECRET, 60)
        assert str(claims.operator_id) == jwt.decode(token, options={"verify_signature": False})["sub"]

    async def test_a_tenant_token_is_refused_on_the_operator_api(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        for path in ("/api/identity/operator/companies", "/api/identity/operator/me"):
            response = await gateway.get(path, headers=bearer(key.token(roles=["admin", "user"])))
            assert response.status_code == 401, path
        assert services.received == []

    async def test_a_token_of_the_operator_audience_naming_a_company_is_refused(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        response = await gateway.get("/api/identity/operator/companies", headers=bearer(operator_token(key)))
        assert response.status_code == 401
        assert services.received == []

    async def test_an_operator_token_opens_no_tenant_route(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        token = bare_operator_token(key)
        for path in (
            "/api/identity/users",
            "/api/tickets/tickets",
            "/api/definitions/workflows",
            "/api/identity/operators",
        ):
            response = await gateway.get(path, headers=bearer(token))
            assert response.status_code == 401, path
        assert services.received == []

    async def test_forged_operator_headers_never_reach_the_service(
        self, gateway: httpx.AsyncClient, services: FakeServices, key: SigningKey
    ) -> None:
        forged = {OPERATOR_HEADER: "forged", "x-tf-operator-signature": "00"}
        await gateway.get("/api/tickets/tickets", headers={**bearer(key.token()), **forged})
        seen = services.received[-1]["headers"]
        assert OPERATOR_HEADER not in seen
        assert "x-tf-operator-signature" not in seen

    async def test_operator_sign_in_is_public(
        self, gateway: httpx.AsyncClient, services: FakeServices
    ) -> None:
        response = await gateway.post(
            "/api/identity/operator/login", json={"email": "o@example.com", "password": "x"}
        )
        assert response.status_code == 200
        assert services.received[-1]["path"] == "/api/identity/operator/login"


class TestCompanySuspensionCutoff:
    def test_a_suspension_refuses_the_companys_older_tokens_only(self) -> None:
        cutoffs = TokenCutoffs(3600)
        feed = RevocationFeed("unused:9092", cutoffs)
        company = uuid7()
        suspended_at = datetime.now(UTC)
        envelope = envelope_for(
            CompanySuspended(company_id=company, status="suspended", tokens_valid_after=suspended_at),
            company_id=company,
            actor=Actor.system("identity"),
        )
        feed._apply(envelope.model_dump_json().encode())
        before = (suspended_at - timedelta(seconds=5)).timestamp()
        after = suspended_at.timestamp() + 2
        assert cutoffs.refuses(str(uuid7()), before, str(company))
        assert not cutoffs.refuses(str(uuid7()), after, str(company))
        assert not cutoffs.refuses(str(uuid7()), before, str(uuid7()))

    @pytest.mark.parametrize("company_in_token", [True, False])
    async def test_the_verifier_applies_the_company_cut(
        self, services: FakeServices, key: SigningKey, company_in_token: bool
    ) -> None:
        settings = GatewaySettings(env="test", jwks_min_refresh_seconds=0.0)
        cutoffs = TokenCutoffs(3600)
        verifier = TokenVerifier(settings, cutoffs)
        company = uuid7()
        cutoffs.learn_company(str(company), datetime.now(UTC) + timedelta(seconds=30))
        token = key.token(company_id=str(company if company_in_token else uuid7()), iat=int(time.time()))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=services.app), base_url="http://identity"
        ) as client:
            verifier.jwks.url = "http://identity/api/identity/.well-known/jwks.json"
            if company_in_token:
                with pytest.raises(InvalidToken, match="issued before"):
                    await verifier.verify(client, f"Bearer {token}")
            else:
                claims = await verifier.verify(client, f"Bearer {token}")
                assert claims.company_id != company
