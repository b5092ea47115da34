"""The caller's claims, as injected by the gateway, and the dependencies that require them.

The gateway verifies the user's JWT, strips every client-sent `x-tf-*` header and sets
`x-tf-claims`: a short-lived HS256 JWT of the claims under the shared `GATEWAY_CLAIMS_SECRET`.
A service trusts nothing else: a request that reaches it without a valid, fresh token is refused.

The gateway reuses one header for a caller's requests for a few seconds, so a service keeps the
claims it verified, keyed by the header's exact text (a changed byte is a stranger), and checks
only the clock on a repeat: expiry and `claims_max_age_seconds` exactly as a full check would.
"""

import time
from collections.abc import Callable, Coroutine
from enum import StrEnum
from typing import Annotated, Any, TypeVar
from uuid import UUID

import jwt
from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from common.errors import Forbidden, Unauthorized
from common.lru import ExpiringLru

CLAIMS_HEADER = "x-tf-claims"
# A platform operator is no member of any company: its calls carry this header instead, a JWT of
# another audience, so tenant endpoints (which read only the one above) never take it.
OPERATOR_HEADER = "x-tf-operator"
OPERATOR_CLAIMS_AUDIENCE = "ticketflower-operator-services"
INTERNAL_HEADER_PREFIX = "x-tf-"
CLAIMS_ALGORITHM = "HS256"
# Only the gateway's claims pass as claims: a JWT signed for another purpose under the same secret
# names another audience.
CLAIMS_AUDIENCE = "ticketflower-services"
# The claims live only for the hop from the gateway to a service; a service may ask for less
# (`claims_max_age_seconds`).
CLAIMS_TTL_SECONDS = 300
# Verified claims headers kept per process (each lives CLAIMS_TTL_SECONDS at most).
VERIFIED_CLAIMS_ENTRIES = 4096


class SystemRole(StrEnum):
    USER = "user"
    ADMIN = "admin"
    TICKET_ADMIN = "ticket_admin"
    TASK_WORKER = "task_worker"
    WORKFLOW_CREATOR = "workflow_creator"


class Claims(BaseModel):
    company_id: UUID
    user_id: UUID
    roles: list[str]
    company_roles: list[str]
    iat: int

    def has_any_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


def sign_claims(claims: Claims, secret: str, ttl_seconds: int = CLAIMS_TTL_SECONDS) -> dict[str, str]:
    """The headers the gateway adds for an authenticated request."""
    payload = {**claims.model_dump(mode="json"), "aud": CLAIMS_AUDIENCE, "exp": claims.iat + ttl_seconds}
    return {CLAIMS_HEADER: jwt.encode(payload, secret, algorithm=CLAIMS_ALGORITHM)}


class OperatorClaims(BaseModel):
    """A platform operator: it runs the platform (lists, suspends, reactivates companies) and
    belongs to no company, so it carries no company and no tenant role."""

    operator_id: UUID
    iat: int


def sign_operator_claims(
    claims: OperatorClaims, secret: str, ttl_seconds: int = CLAIMS_TTL_SECONDS
) -> dict[str, str]:
    """The header the gateway adds for a platform operator's request."""
    payload = {
        **claims.model_dump(mode="json"),
        "aud": OPERATOR_CLAIMS_AUDIENCE,
        "exp": claims.iat + ttl_seconds,
    }
    return {OPERATOR_HEADER: jwt.encode(payload, secret, algorithm=CLAIMS_ALGORITHM)}


def _decode(token: str | None, secret: str, audience: str) -> dict[str, Any]:
    if not token:
        raise Unauthorized("This endpoint needs an authenticated caller.")
    try:
        payload: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[CLAIMS_ALGORITHM],
            audience=audience,
            options={"require": ["aud", "exp", "iat"]},
        )
    except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError) as exc:
        raise Unauthorized("The caller's claims have expired.") from exc
    except jwt.InvalidSignatureError as exc:
        raise Unauthorized("The caller's claims are not signed by the gateway.") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized("The caller's claims are malformed.") from exc
    return payload


ClaimsT = TypeVar("ClaimsT", Claims, OperatorClaims)
# (audience, secret, header) → the claims it carries. The secret is part of the key: a process
# that checks headers under two secrets (tests do) never takes one's header for the other's.
_verified: ExpiringLru[tuple[str, str, str], BaseModel] = ExpiringLru(VERIFIED_CLAIMS_ENTRIES)


def _verify(
    token: str | None, secret: str, audience: str, max_age_seconds: int, model: type[ClaimsT]
) -> ClaimsT:
    now = time.time()
    key = (audience, secret, token or "")
    cached = _verified.get(key)
    if cached is None:
        payload = _decode(token, secret, audience)
        try:
            claims = model.model_validate(payload)
        except ValidationError as exc:
            raise Unauthorized("The caller's claims are malformed.") from exc
        # PyJWT refuses the header from `exp` on (no leeway): kept exactly until then.
        _verified.put(key, claims, float(payload["exp"]))
    else:
        assert isinstance(cached, model)
        claims = cached
    if now - claims.iat > max_age_seconds:
        raise Unauthorized("The caller's claims have expired.")
    # A copy with its own lists (the claims' only mutable parts), so that nothing a request
    # does to its claims reaches the next request's; far cheaper than a deep copy.
    return claims.model_copy(
        update={name: list(value) for name, value in claims.__dict__.items() if isinstance(value, list)}
    )


def verify_operator_claims(headers: Any, secret: str, max_age_seconds: int) -> OperatorClaims:
    return _verify(
        headers.get(OPERATOR_HEADER), secret, OPERATOR_CLAIMS_AUDIENCE, max_age_seconds, OperatorClaims
    )


def verify_claims(headers: Any, secret: str, max_age_seconds: int) -> Claims:
    return _verify(headers.get(CLAIMS_HEADER), secret, CLAIMS_AUDIENCE, max_age_seconds, Claims)


async def current_claims(request: Request) -> Claims:
    settings = request.app.state.settings
    claims = verify_claims(
        request.headers, settings.claims_secret.get_secret_value(), settings.claims_max_age_seconds
    )
    request.state.claims = claims
    return claims


CurrentClaims = Annotated[Claims, Depends(current_claims)]


async def current_operator(request: Request) -> OperatorClaims:
    """The platform operator of this call; a company's user (or anybody else) is refused."""
    settings = request.app.state.settings
    return verify_operator_claims(
        request.headers, settings.claims_secret.get_secret_value(), settings.claims_max_age_seconds
    )


CurrentOperator = Annotated[OperatorClaims, Depends(current_operator)]


def require_roles(*roles: str) -> Callable[[Claims], Coroutine[Any, Any, Claims]]:
    """A dependency that lets through callers holding any of `roles` (admin always passes)."""
    allowed = set(roles) | {SystemRole.ADMIN.value}

    async def dependency(claims: CurrentClaims) -> Claims:
        if not allowed.intersection(claims.roles):
            raise Forbidden(f"This needs one of the roles: {', '.join(sorted(allowed))}.")
        return claims

    return dependency


AdminClaims = Annotated[Claims, Depends(require_roles(SystemRole.ADMIN))]
