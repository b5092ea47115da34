"""The verified-token cache and the reused claims header: a repeat of the same token skips the
signature check, and is still refused exactly when a full check would refuse it (expired, its
key withdrawn, its user's access changed since it was issued), while a token differing by one
byte is never taken for a cached one."""

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from common.auth import Claims, verify_claims
from common.errors import Unauthorized
from contracts.ids import uuid7
from gateway.auth import ClaimsSigner, InvalidToken, TokenVerifier
from gateway.config import GatewaySettings
from gateway.revocations import TokenCutoffs

from .gateway_testkit import FakeServices, SigningKey

SECRET = "a-claims-secret-of-at-least-32-bytes!"


def bearer(token: str) -> str:
    return f"Bearer {token}"


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every full signature check the verifier makes."""
    seen: list[str] = []
    real = jwt.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(token)
        return real(token, *args, **kwargs)

    monkeypatch.setattr("gateway.auth.jwt.decode", counting)
    return seen


@pytest.fixture
def settings(tmp_path: Path) -> GatewaySettings:
    return GatewaySettings(env="test", spa_dir=tmp_path, jwks_min_refresh_seconds=0.0, jwt_leeway_seconds=0)


@pytest.fixture
async def client(services: FakeServices) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=services.app)) as client:
        yield client


class TestVerifiedTokens:
    async def test_a_repeated_token_is_verified_once(
        self, settings: GatewaySettings, client: httpx.AsyncClient, key: SigningKey, decodes: list[str]
    ) -> None:
        verifier = TokenVerifier(settings)
        token = key.token(roles=["user", "admin"])
        first = await verifier.verify(client, bearer(token))
        second = await verifier.verify(client, bearer(token))
        assert decodes == [token]
        assert (second.user_id, second.company_id, second.roles) == (
            first.user_id,
            first.company_id,
            first.roles,
        )
        assert second is not first

    async def test_an_expired_token_is_refused_though_cached(
        self, settings: GatewaySettings, client: httpx.AsyncClient, key: SigningKey
    ) -> None:
        verifier = TokenVerifier(settings)
        now = int(time.time())
        token = key.token(iat=now, nbf=now, exp=now + 1)
        await verifier.verify(client, bearer(token))
        await asyncio.sleep(max(0.0, now + 1 - time.time()) + 0.05)
        with pytest.raises(InvalidToken) as refused:
            await verifier.verify(client, bearer(token))
        assert "expired" in refused.value.detail

    async def test_a_token_is_refused_once_its_user_is_cut_off_though_cached(
        self, settings: GatewaySettings, client: httpx.AsyncClient, key: SigningKey
    ) -> None:
        cutoffs = TokenCutoffs(3600)
        verifier = TokenVerifier(settings, cutoffs)
        user, company = uuid7(), uuid7()
        earlier = int(time.time()) - 30
        token = key.token(sub=str(user), company_id=str(company), iat=earlier, nbf=earlier)
        bystander = key.token(iat=earlier, nbf=earlier)
        await verifier.verify(client, bearer(token))
        await verifier.verify(client, bearer(bystander))

        cutoffs.learn(str(user), datetime.now(UTC))
        with pytest.raises(InvalidToken) as refused:
            await verifier.verify(client, bearer(token))
        assert "refresh" in refused.value.detail
        await verifier.verify(client, bearer(bystander))

    async def test_a_suspended_company_cuts_off_a_cached_token(
        self, settings: GatewaySettings, client: httpx.AsyncClient, key: SigningKey
    ) -> None:
        cutoffs = TokenCutoffs(3600)
        verifier = TokenVerifier(settings, cutoffs)
        company = uuid7()
        earlier = int(time.time()) - 30
        token = key.token(company_id=str(company), iat=earlier, nbf=earlier)
        await verifier.verify(client, bearer(token))
        cutoffs.learn_company(str(company), datetime.now(UTC))
        with pytest.raises(InvalidToken):
            await verifier.verify(client, bearer(token))

    async def test_a_token_whose_key_was_withdrawn_is_refused_though_cached(
        self,
        settings: GatewaySettings,
        client: httpx.AsyncClient,
        services: FakeServices,
        key: SigningKey,
        decodes: list[str],
    ) -> None:
        verifier = TokenVerifier(settings.model_copy(update={"jwks_cache_seconds": 0.2}))
        token = key.token()
        await verifier.verify(client, bearer(token))
        await verifier.verify(client, bearer(token))
        assert len(decodes) == 1

        services.keys = [SigningKey.generate()]
        await asyncio.sleep(0.3)
        with pytest.raises(InvalidToken) as refused:
            await verifier.verify(client, bearer(token))
        assert "unknown key" in refused.value.detail

    async def test_a_refreshed_key_set_sends_a_cached_token_through_the_full_check(
        self,
        settings: GatewaySettings,
        client: httpx.AsyncClient,
        services: FakeServices,
        key: SigningKey,
        decodes: list[str],
    ) -> None:
        verifier = TokenVerifier(settings.model_copy(update={"jwks_cache_seconds": 0.2}))
        token = key.token()
        await verifier.verify(client, bearer(token))
        # The same key id now stands for another key: the token no longer verifies.
        services.keys = [SigningKey.generate(kid=key.kid)]
        await asyncio.sleep(0.3)
        with pytest.raises(InvalidToken):
            await verifier.verify(client, bearer(token))
        assert decodes == [token, token]

    async def test_a_token_differing_by_its_signature_or_payload_never_hits_the_cache(
        self, settings: GatewaySettings, client: httpx.AsyncClient, key: SigningKey
    ) -> None:
        verifier = TokenVerifier(settings)
        claims = key.claims()
        genuine = key.token(**claims)
        await verifier.verify(client, bearer(genuine))

        impostor = SigningKey(SigningKey.generate().private_key, key.kid)
        forged = impostor.token(**claims)
        header, payload, signature = genuine.split(".")
        _, other_payload, _ = key.token(**{**claims, "roles": ["admin"]}).split(".")
        spliced = f"{header}.{other_payload}.{signature}"
        flipped = f"{header}.{payload}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"
        for token in (forged, spliced, flipped):
            with pytest.raises(InvalidToken):
                await verifier.verify(client, bearer(token))
        await verifier.verify(client, bearer(genuine))

    async def test_a_refused_token_is_not_remembered(
        self, settings: GatewaySettings, client: httpx.AsyncClient, key: SigningKey, decodes: list[str]
    ) -> None:
        verifier = TokenVerifier(settings)
        token = key.token(aud="somewhere-else")
        for _ in range(2):
            with pytest.raises(InvalidToken):
                await verifier.verify(client, bearer(token))
        assert decodes == [token, token]

    async def test_a_tenant_token_cached_is_still_refused_on_the_operator_api(
        self, settings: GatewaySettings, client: httpx.AsyncClient, key: SigningKey
    ) -> None:
        verifier = TokenVerifier(settings)
        token = key.token()
        await verifier.verify(client, bearer(token))
        with pytest.raises(InvalidToken):
            await verifier.verify_operator(client, bearer(token))

    async def test_the_cache_is_bounded(
        self, settings: GatewaySettings, client: httpx.AsyncClient, key: SigningKey, decodes: list[str]
    ) -> None:
        verifier = TokenVerifier(settings.model_copy(update={"token_cache_entries": 2}))
        tokens = [key.token() for _ in range(3)]
        for token in tokens:
            await verifier.verify(client, bearer(token))
        await verifier.verify(client, bearer(tokens[0]))
        assert decodes == [*tokens, tokens[0]]


def claims_of(**overrides: Any) -> Claims:
    values: dict[str, Any] = {
        "company_id": uuid7(),
        "user_id": uuid7(),
        "roles": ["user"],
        "company_roles": [],
        "iat": int(time.time()),
    }
    values.update(overrides)
    return Claims(**values)


class TestClaimsHeader:
    def test_one_header_serves_a_callers_requests_and_verifies_at_the_service(self) -> None:
        signer = ClaimsSigner(SECRET, reuse_seconds=5.0, max_entries=100)
        caller = claims_of()
        first = signer.headers(caller)
        again = signer.headers(caller.model_copy(update={"iat": caller.iat - 1}))
        assert again == first
        seen = verify_claims(first, SECRET, 60)
        assert (seen.user_id, seen.company_id, seen.roles) == (
            caller.user_id,
            caller.company_id,
            caller.roles,
        )

    def test_callers_differing_in_any_claim_never_share_a_header(self) -> None:
        signer = ClaimsSigner(SECRET, reuse_seconds=5.0, max_entries=100)
        caller = claims_of(roles=["user"], company_roles=["hr"])
        others = [
            caller.model_copy(update={"user_id": uuid7()}),
            caller.model_copy(update={"company_id": uuid7()}),
            caller.model_copy(update={"roles": ["user", "admin"]}),
            caller.model_copy(update={"company_roles": []}),
        ]
        mine = signer.headers(caller)
        for other in others:
            header = signer.headers(other)
            assert header != mine
            seen = verify_claims(header, SECRET, 60)
            assert (seen.user_id, seen.company_id, seen.roles, seen.company_roles) == (
                other.user_id,
                other.company_id,
                other.roles,
                other.company_roles,
            )

    async def test_a_header_is_signed_anew_once_its_reuse_ends(self) -> None:
        signer = ClaimsSigner(SECRET, reuse_seconds=0.05, max_entries=100)
        caller = claims_of(iat=int(time.time()) - 10)
        first = signer.headers(caller)
        await asyncio.sleep(0.1)
        later = caller.model_copy(update={"iat": int(time.time())})
        second = signer.headers(later)
        assert second != first
        assert verify_claims(second, SECRET, 60).iat == later.iat

    def test_a_header_signed_under_another_secret_is_refused(self) -> None:
        signer = ClaimsSigner("another-secret-of-at-least-32-bytes!!", reuse_seconds=5.0, max_entries=100)
        with pytest.raises(Unauthorized):
            verify_claims(signer.headers(claims_of()), SECRET, 60)
