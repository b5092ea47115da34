"""The JWT signing keys: Ed25519, stored in `signing_keys` with the private half encrypted.

The newest active key signs. Rotation adds a key and retires the others; a retired key stays
published in the JWKS until every token it may have signed has expired, so nobody is logged
out. Each replica caches the keys for `key_cache_seconds`, and only ever caches what a
committed transaction read or wrote.
"""

import math
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
    load_pem_private_key,
)
from jwt.algorithms import OKPAlgorithm

from common.db import UnitOfWork
from contracts.ids import uuid7
from identity.config import IdentitySettings
from identity.keys.repository import SigningKeyRepository
from identity.models import SigningKey

ALGORITHM = "EdDSA"


@dataclass(frozen=True)
class LoadedKey:
    kid: str
    private_key: Ed25519PrivateKey
    public_jwk: dict[str, Any]
    retired: bool


@dataclass(frozen=True)
class _Snapshot:
    keys: tuple[LoadedKey, ...]
    loaded_at: float


class KeyRing:
    def __init__(self, settings: IdentitySettings) -> None:
        self.settings = settings
        self._snapshot: _Snapshot | None = None

    async def signing_key(self, uow: UnitOfWork) -> LoadedKey:
        keys = await self._keys(uow)
        return next(key for key in keys if not key.retired)

    async def jwks(self, uow: UnitOfWork) -> list[dict[str, Any]]:
        return [key.public_jwk for key in await self._keys(uow)]

    async def rotate(self, uow: UnitOfWork) -> str:
        """Add a new signing key and retire the others; returns the new key id."""
        await SigningKeyRepository(uow.session).lock_key_creation()
        now = datetime.now(UTC)
        key = self._new_key()
        SigningKeyRepository(uow.session).add(key)
        await uow.session.flush()
        await SigningKeyRepository(uow.session).retire_active(key.kid, now)
        await SigningKeyRepository(uow.session).delete_retired_before(now - timedelta(days=7))
        uow.after_commit(self.forget)
        return key.kid

    def forget(self) -> None:
        self._snapshot = None

    async def _keys(self, uow: UnitOfWork) -> tuple[LoadedKey, ...]:
        snapshot = self._snapshot
        if snapshot is not None and time.monotonic() - snapshot.loaded_at < self.settings.key_cache_seconds:
            return snapshot.keys
        rows = await SigningKeyRepository(uow.session).published_keys(self._retired_after())
        if not any(row.retired_at is None for row in rows):
            await SigningKeyRepository(uow.session).lock_key_creation()
            rows = await SigningKeyRepository(uow.session).published_keys(self._retired_after())
            if not any(row.retired_at is None for row in rows):
                key = self._new_key()
                SigningKeyRepository(uow.session).add(key)
                await uow.session.flush()
                rows = [key, *rows]
        keys = tuple(self._load(row) for row in rows)
        fresh = _Snapshot(keys, time.monotonic())

        def remember() -> None:
            self._snapshot = fresh

        uow.after_commit(remember)
        return keys

    def _retired_after(self) -> datetime:
        return datetime.now(UTC) - timedelta(seconds=self.settings.retired_key_grace_seconds)

    def _secret(self) -> bytes:
        return self.settings.key_encryption_secret.get_secret_value().encode()

    def _new_key(self) -> SigningKey:
        private_key = Ed25519PrivateKey.generate()
        # Time-ordered, so the newest key sorts first even among keys made in one transaction.
        kid = uuid7().hex
        public_jwk: dict[str, Any] = {
            **OKPAlgorithm.to_jwk(private_key.public_key(), as_dict=True),
            "kid": kid,
            "alg": ALGORITHM,
            "use": "sig",
        }
        pem = private_key.private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(self._secret())
        ).decode()
        return SigningKey(
            kid=kid,
            algorithm=ALGORITHM,
            private_key_pem=pem,
            public_jwk=public_jwk,
            created_at=datetime.now(UTC),
        )

    def _load(self, row: SigningKey) -> LoadedKey:
        private_key = load_pem_private_key(row.private_key_pem.encode(), password=self._secret())
        if not isinstance(private_key, Ed25519PrivateKey):
            raise TypeError(f"signing key {row.kid} is not an Ed25519 key")
        return LoadedKey(row.kid, private_key, dict(row.public_jwk), row.retired_at is not None)


def sign_access_token(
    key: LoadedKey, settings: IdentitySettings, claims: dict[str, Any], *, valid_after: datetime | None = None
) -> str:
    """`valid_after`: the user's tokens_valid_after. The gateway refuses a token whose `iat`
    (whole seconds) is before it rounded up, so a token issued in the same second is dated at
    that rounded-up second (a fraction of a second ahead, well inside the verifiers' leeway)."""
    now = int(time.time())
    if valid_after is not None:
        now = max(now, math.ceil(valid_after.timestamp()))
    payload = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "nbf": now,
        "exp": now + settings.access_token_ttl_seconds,
        "jti": uuid.uuid4().hex,
        **claims,
    }
    return jwt.encode(payload, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})
