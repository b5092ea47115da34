"""GET /api/identity/.well-known/jwks.json and signing-key rotation."""

import httpx
import jwt
from fastapi import FastAPI

from common.db import Database
from identity.config import IdentitySettings
from identity.runtime import IdentityRuntime

from ..identity_testkit import sign_up


async def jwks(client: httpx.AsyncClient) -> list[dict[str, str]]:
    response = await client.get("/api/identity/.well-known/jwks.json")
    assert response.status_code == 200, response.text
    return list(response.json()["keys"])


def verifies(token: str, keys: list[dict[str, str]], settings: IdentitySettings) -> bool:
    kid = jwt.get_unverified_header(token)["kid"]
    match = [k for k in keys if k["kid"] == kid]
    if not match:
        return False
    jwt.decode(
        token,
        jwt.PyJWK(match[0]).key,
        algorithms=["EdDSA"],
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
    )
    return True


class TestJwks:
    async def test_publishes_the_key_tokens_are_signed_with(
        self, client: httpx.AsyncClient, settings: IdentitySettings
    ) -> None:
        account = await sign_up(client)
        keys = await jwks(client)
        assert verifies(account.session["access_token"], keys, settings)
        assert all(k["kty"] == "OKP" and k["crv"] == "Ed25519" and "d" not in k for k in keys)


class TestRotation:
    async def test_old_tokens_keep_verifying_and_new_ones_use_the_new_key(
        self, app: FastAPI, client: httpx.AsyncClient, db: Database, settings: IdentitySettings
    ) -> None:
        before = await sign_up(client)
        runtime: IdentityRuntime = app.state.identity
        async with db.unit_of_work() as uow:
            new_kid = await runtime.keyring.rotate(uow)
        after = await sign_up(client)
        keys = await jwks(client)
        assert jwt.get_unverified_header(after.session["access_token"])["kid"] == new_kid
        assert keys[0]["kid"] == new_kid
        assert verifies(before.session["access_token"], keys, settings)
        assert verifies(after.session["access_token"], keys, settings)
        refreshed = await client.post(
            "/api/identity/refresh", json={"refresh_token": before.session["refresh_token"], "cookie": False}
        )
        assert refreshed.status_code == 200
