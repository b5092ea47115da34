"""Access-token verification: EdDSA only, against identity's JWKS.

The JWKS is fetched over HTTP and cached. A token signed with a key id the cache does not know
triggers a refetch (a rotation just happened), at most once per `jwks_min_refresh_seconds`, so
a flood of made-up key ids cannot turn the gateway into a load generator against identity.

A verified token is kept (keyed by its exact text, so a changed byte is a stranger) until it
expires, and a cached token is honoured only while the JWKS still holds the very key that
verified it: a refreshed key set drops it back to a full check. Revocation cut-offs are not
cached; they are checked on every request, as before.
"""

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import jwt
from jwt import PyJWK

from common.auth import Claims, OperatorClaims, sign_claims
from common.errors import ServiceUnavailable, Unauthorized
from common.lru import ExpiringLru
from gateway.config import GatewaySettings
from gateway.revocations import TokenCutoffs

log = logging.getLogger(__name__)

ALGORITHM = "EdDSA"
REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "iat", "nbf", "jti"]
JWKS_PATH = "/api/identity/.well-known/jwks.json"

PUBLIC_ROUTES = {
    ("POST", "/api/identity/signup"),
    ("POST", "/api/identity/login"),
    ("POST", "/api/identity/refresh"),
    ("POST", "/api/identity/logout"),
    ("POST", "/api/identity/password-reset/request"),
    ("POST", "/api/identity/password-reset/confirm"),
    ("POST", "/api/identity/operator/login"),
    ("GET", JWKS_PATH),
    ("HEAD", JWKS_PATH),
}
PUBLIC_PREFIXES = ("/api/callbacks/",)
# The platform operators' API: operator tokens only (and operator tokens nowhere else).
OPERATOR_PREFIX = "/api/identity/operator"
OPERATOR_SCOPE = "platform_operator"


def is_operator_path(path: str) -> bool:
    return path == OPERATOR_PREFIX or path.startswith(OPERATOR_PREFIX + "/")


def is_public(method: str, path: str) -> bool:
    """Routes callable without a token (CONVENTIONS.md, "Public paths")."""
    return (method, path.rstrip("/") or "/") in PUBLIC_ROUTES or path.startswith(PUBLIC_PREFIXES)


class InvalidToken(Unauthorized):
    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"www-authenticate": 'Bearer error="invalid_token"'})


class JwksCache:
    def __init__(self, url: str, ttl_seconds: float, min_refresh_seconds: float) -> None:
        self.url = url
        self.ttl_seconds = ttl_seconds
        self.min_refresh_seconds = min_refresh_seconds
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def key(self, client: httpx.AsyncClient, kid: str) -> PyJWK | None:
        now = time.monotonic()
        if self._fetched_at is None or now - self._fetched_at > self.ttl_seconds or kid not in self._keys:
            await self._refresh(client, force=False)
        return self._keys.get(kid)

    async def _refresh(self, client: httpx.AsyncClient, *, force: bool) -> None:
        async with self._lock:
            now = time.monotonic()
            if (
                not force
                and self._attempted_at is not None
                and now - self._attempted_at < self.min_refresh_seconds
            ):
                return
            self._attempted_at = now
            try:
                response = await client.get(self.url, timeout=5.0)
                response.raise_for_status()
                document = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                log.warning("fetching the JWKS from %s failed: %s", self.url, exc)
                if not self._keys:
                    raise ServiceUnavailable(
                        "Sign-in cannot be checked right now; try again shortly.",
                        headers={"retry-after": "5"},
                    ) from exc
                return
            self._keys = _parse_jwks(document)
            self._fetched_at = now


def _parse_jwks(document: Any) -> dict[str, PyJWK]:
    keys: dict[str, PyJWK] = {}
    for jwk in document.get("keys", []) if isinstance(document, dict) else []:
        if not isinstance(jwk, dict) or jwk.get("alg") != ALGORITHM or jwk.get("kty") != "OKP":
            continue
        try:
            keys[str(jwk["kid"])] = PyJWK(jwk, algorithm=ALGORITHM)
        except (KeyError, jwt.PyJWKError, jwt.InvalidKeyError) as exc:
            log.warning("ignoring an unusable JWKS entry: %s", exc)
    return keys


@dataclass
class _Verified:
    """A token that passed every check, with the key that verified it."""

    key: PyJWK
    kid: str
    payload: dict[str, Any]
    claims: Claims | None = None


class TokenVerifier:
    def __init__(self, settings: GatewaySettings, cutoffs: TokenCutoffs | None = None) -> None:
        self.settings = settings
        self.cutoffs = cutoffs or TokenCutoffs(settings.token_revocation_window_seconds)
        self.jwks = JwksCache(
            settings.identity_url.rstrip("/") + JWKS_PATH,
            settings.jwks_cache_seconds,
            settings.jwks_min_refresh_seconds,
        )
        # (token, audience) → what verifying it gave.
        self._verified: ExpiringLru[tuple[str, str], _Verified] = ExpiringLru(settings.token_cache_entries)

    async def verify(self, client: httpx.AsyncClient, authorization: str | None) -> Claims:
        """The caller's claims from a `Bearer` access token; InvalidToken (401) for anything else."""
        verified = await self._decode(client, authorization, self.settings.jwt_audience)
        payload = verified.payload
        if self.cutoffs.refuses(str(payload["sub"]), float(payload["iat"]), str(payload.get("company_id"))):
            raise InvalidToken(
                "The access token was issued before a change to this account's access; refresh the session."
            )
        if verified.claims is None:
            verified.claims = _claims_of(payload)
        # A copy: the claims are the caller's for this request only, dated now as before.
        return verified.claims.model_copy(update={"iat": int(time.time())})

    async def verify_operator(self, client: httpx.AsyncClient, authorization: str | None) -> OperatorClaims:
        """A platform operator's claims. A company user's token has the tenant audience and is
        refused here (401), as an operator token is refused everywhere else."""
        payload = (await self._decode(client, authorization, self.settings.operator_jwt_audience)).payload
        if payload.get("scope") != OPERATOR_SCOPE or "company_id" in payload:
            raise InvalidToken("This API takes a platform operator's token only.")
        try:
            return OperatorClaims(operator_id=UUID(str(payload["sub"])), iat=int(time.time()))
        except ValueError as exc:
            raise InvalidToken("The access token names no operator.") from exc

    async def _decode(self, client: httpx.AsyncClient, authorization: str | None, audience: str) -> _Verified:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken("This needs a signed-in caller: send `Authorization: Bearer <access token>`.")
        token = token.strip()
        cached = self._verified.get((token, audience))
        if cached is not None:
            # The same key lookup a full check makes (and the same JWKS refresh when due): a key
            # withdrawn or replaced since sends the token through the full check again.
            if await self.jwks.key(client, cached.kid) is cached.key:
                return cached
            self._verified.discard((token, audience))
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise InvalidToken("The access token is malformed.") from exc
        # Pinned before any key is looked at: `none`, HS256 signed with the public key, or any
        # other algorithm is refused whatever the key id says.
        if header.get("alg") != ALGORITHM:
            raise InvalidToken("The access token's algorithm is not accepted.")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("The access token names no signing key.")
        key = await self.jwks.key(client, kid)
        if key is None:
            raise InvalidToken("The access token was signed with an unknown key.")
        try:
            payload = jwt.decode(
                token,
                key.key,
                algorithms=[ALGORITHM],
                audience=audience,
                issuer=self.settings.jwt_issuer,
                leeway=self.settings.jwt_leeway_seconds,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("The access token has expired; refresh the session.") from exc
        except jwt.ImmatureSignatureError as exc:
            raise InvalidToken("The access token is not valid yet.") from exc
        except jwt.InvalidAudienceError as exc:
            raise InvalidToken("The access token is not meant for this API.") from exc
        except jwt.InvalidIssuerError as exc:
            raise InvalidToken("The access token was not issued by TicketFlower identity.") from exc
        except jwt.InvalidTokenError as exc:
            raise InvalidToken("The access token is not valid.") from exc
        verified = _Verified(key, kid, payload)
        # PyJWT refuses a token once `exp <= now - leeway`: kept exactly until then.
        self._verified.put(
            (token, audience), verified, float(payload["exp"]) + self.settings.jwt_leeway_seconds
        )
        return verified


class ClaimsSigner:
    """The signed claims header of a caller, made once per `reuse_seconds` and then reused.

    Signing the same claims within the same second gives the same bytes; reusing a header a few
    seconds longer only makes its `iat` that much older at the service, far inside the five
    minutes the header lives and the services' `claims_max_age_seconds`. The key is every
    claim the header carries, so callers never share a header."""

    def __init__(self, secret: str, reuse_seconds: float, max_entries: int) -> None:
        self.secret = secret
        self.reuse_seconds = reuse_seconds
        self._signed: ExpiringLru[tuple[Any, ...], dict[str, str]] = ExpiringLru(max_entries)

    def headers(self, claims: Claims) -> dict[str, str]:
        now = time.time()
        key = (claims.company_id, claims.user_id, tuple(claims.roles), tuple(claims.company_roles))
        found = self._signed.get(key)
        if found is None:
            found = sign_claims(claims, self.secret)
            self._signed.put(key, found, now + self.reuse_seconds)
        return found


def _claims_of(payload: dict[str, Any]) -> Claims:
    try:
        roles = payload["roles"]
        company_roles = payload["company_roles"]
        if not all(isinstance(r, str) for r in [*roles, *company_roles]):
            raise TypeError("roles must be strings")
        return Claims(
            company_id=UUID(str(payload["company_id"])),
            user_id=UUID(str(payload["sub"])),
            roles=list(roles),
            company_roles=list(company_roles),
            iat=int(time.time()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidToken("The access token lacks the caller's company or roles.") from exc
